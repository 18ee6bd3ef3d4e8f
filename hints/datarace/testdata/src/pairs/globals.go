package pairs

import (
	"sync"
	"sync/atomic"
)

// Package variables and slice elements shared by every worker.

var requests int

func serveOne() { requests++ } // want "the goroutine started at line 19 writes `requests` here, and so does every other instance of it, with nothing ordering them: a data race"

// ServeAll: every worker bumps the package counter.
func ServeAll(n int) int {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveOne()
		}()
	}
	wg.Wait()
	return requests
}

var served atomic.Int64

// ServeAllAtomic: the package counter is atomic.
func ServeAllAtomic(n int) int64 {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			served.Add(1)
		}()
	}
	wg.Wait()
	return served.Load()
}

var verbose bool

func logf(format string) {
	if verbose {
		println(format)
	}
}

// Toggle: the caller turns logging on while workers read the flag.
func Toggle(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			logf("working")
		}()
	}
	verbose = true // want "Toggle writes `verbose` here while the goroutine started at line 57 reads it at line 47, with nothing ordering the two: a data race"
	wg.Wait()
}

// ToggleFirst sets the flag before the workers start: read-only after.
func ToggleFirst(n int) {
	verbose = true
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			logf("working")
		}()
	}
	wg.Wait()
}

type histogram struct {
	buckets []int
}

// Observe: every worker bumps bucket 0.
func Observe(h *histogram, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.buckets[0]++ // want "the goroutine started at line 89 writes `h\\.buckets\\[0\\]` here, and so does every other instance of it, with nothing ordering them: a data race"
		}()
	}
	wg.Wait()
}

// ObserveOwn: worker i bumps bucket i.
func ObserveOwn(h *histogram, n int) {
	h.buckets = make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.buckets[i]++
		}()
	}
	wg.Wait()
}
