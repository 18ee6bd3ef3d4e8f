// Command adddone uses a WaitGroup with Add and Done: Add before the go
// statement, Done deferred in the goroutine.
package main

import (
	"fmt"
	"sync"
)

func main() {
	urls := []string{"a.example", "b.example", "c.example"}
	sizes := make([]int, len(urls))

	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1) // in the parent, before the goroutine starts
		go func() {
			defer wg.Done() // runs on every return path
			sizes[i] = len(u)
		}()
	}
	wg.Wait()
	fmt.Println(sizes)
}
