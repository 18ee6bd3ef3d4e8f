// Command closechan stops workers by closing the channel they read: range
// ends when the channel is closed and drained.
package main

import (
	"fmt"
	"sync"
)

func main() {
	jobs := make(chan int)
	var mu sync.Mutex
	sum := 0

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for j := range jobs { // ends after close(jobs)
				mu.Lock()
				sum += j
				mu.Unlock()
			}
		})
	}

	for j := 1; j <= 100; j++ {
		jobs <- j
	}
	close(jobs) // only the sender closes, and only once
	wg.Wait()

	fmt.Println(sum) // 5050
}
