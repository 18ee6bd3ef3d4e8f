// Command writer shows that sync.RWMutex does not starve writers: readers
// overlap without pause, yet Lock gets in, because a waiting writer keeps new
// readers out.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	var mu sync.RWMutex
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				mu.RLock()
				time.Sleep(time.Millisecond) // readers overlap all the time
				mu.RUnlock()
			}
		})
	}
	time.Sleep(10 * time.Millisecond)

	start := time.Now()
	mu.Lock() // waits only for the readers already inside
	waited := time.Since(start)
	mu.Unlock()
	stop.Store(true)
	wg.Wait()

	fmt.Println("writer got the lock:", waited < 100*time.Millisecond)
}
