// Command unbounded is wrong for large inputs: it starts one goroutine per
// item, and every one of them opens a connection at once.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

var open, peak atomic.Int64

func upload(item int) {
	n := open.Add(1) // a connection, a file, a buffer
	defer open.Add(-1)
	for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
	}
	time.Sleep(10 * time.Millisecond)
}

func main() {
	items := make([]int, 5000)
	var wg sync.WaitGroup
	for i := range items {
		wg.Go(func() { upload(i) }) // 5000 goroutines, 5000 connections
	}
	wg.Wait()
	fmt.Println("peak open connections:", peak.Load())
}
