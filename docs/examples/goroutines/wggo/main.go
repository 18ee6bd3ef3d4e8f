// Command wggo starts goroutines with sync.WaitGroup.Go (Go 1.25) and waits
// for all of them.
package main

import (
	"fmt"
	"sync"
)

func main() {
	sizes := []int{3, 1, 4, 1, 5}
	squares := make([]int, len(sizes))

	var wg sync.WaitGroup
	for i, n := range sizes {
		wg.Go(func() {
			squares[i] = n * n // each goroutine writes its own element
		})
	}
	wg.Wait() // every write above happens before Wait returns

	fmt.Println(squares)
}
