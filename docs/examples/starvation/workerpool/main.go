// Command workerpool bounds concurrency with a fixed number of workers that
// read items from a channel.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

var open, peak atomic.Int64

func upload(item int) {
	n := open.Add(1)
	defer open.Add(-1)
	for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
	}
	time.Sleep(10 * time.Millisecond)
}

func main() {
	items := make(chan int)
	var wg sync.WaitGroup
	for range 8 { // 8 workers, whatever the number of items
		wg.Go(func() {
			for it := range items {
				upload(it)
			}
		})
	}
	for i := range 200 {
		items <- i
	}
	close(items)
	wg.Wait()
	fmt.Println("peak open connections:", peak.Load()) // at most 8
}
