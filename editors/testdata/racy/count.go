package racy

import "sync"

// Count races on n: the goroutine and its starter both increment it
// before the Wait. go test -race reports it; so does synclens
// (sharedcapture).
func Count() int {
	n := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n++
	}()
	n++
	wg.Wait()
	return n
}
