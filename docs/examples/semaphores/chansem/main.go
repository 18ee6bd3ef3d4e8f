// Command chansem limits how many goroutines run a section at once with a
// buffered channel used as a counting semaphore.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	sem := make(chan struct{}, 3) // at most 3 holders

	var mu sync.Mutex
	active, peak := 0, 0

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			sem <- struct{}{}        // acquire: blocks while 3 are inside
			defer func() { <-sem }() // release

			mu.Lock()
			active++
			peak = max(peak, active)
			mu.Unlock()

			time.Sleep(10 * time.Millisecond) // the limited work

			mu.Lock()
			active--
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Println("peak concurrency:", peak) // never more than 3
}
