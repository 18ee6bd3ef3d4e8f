// Command counter is wrong: goroutines increment a shared int without
// synchronization. Run it with -race to see the report.
package main

import (
	"fmt"
	"sync"
)

func main() {
	count := 0
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 1000 {
				count++ // read, add, write: not atomic
			}
		})
	}
	wg.Wait()
	fmt.Println(count) // often less than 2000
}
