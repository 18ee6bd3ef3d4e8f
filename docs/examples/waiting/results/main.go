// Command results waits for goroutines by receiving their results, and
// closes the results channel once all of them are done.
package main

import (
	"fmt"
	"sync"
)

type result struct {
	n, square int
}

func main() {
	results := make(chan result)

	var wg sync.WaitGroup
	for n := range 5 {
		wg.Go(func() { results <- result{n, n * n} })
	}
	go func() {
		wg.Wait()
		close(results) // ends the range below
	}()

	total := 0
	for r := range results {
		total += r.square
	}
	fmt.Println("sum of squares:", total) // 30
}
