// Command maps is wrong: goroutines write a plain map at the same time. The
// runtime usually stops it with "fatal error: concurrent map writes".
package main

import (
	"fmt"
	"sync"
)

func main() {
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 10000 {
				seen[g*10000+i] = true // unsynchronized map write
			}
		})
	}
	wg.Wait()
	fmt.Println(len(seen))
}
