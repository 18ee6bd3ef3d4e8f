// Command oncevalue computes a value once with sync.OnceValues (Go 1.21).
package main

import (
	"fmt"
	"os"
	"sync"
)

// hostname is computed on the first call; later calls return the same
// results, error included.
var hostname = sync.OnceValues(func() (string, error) {
	fmt.Println("looking up hostname")
	return os.Hostname()
})

func main() {
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := hostname(); err != nil {
				fmt.Println(err)
			}
		})
	}
	wg.Wait()
	_, err := hostname()
	fmt.Println("error:", err)
}
