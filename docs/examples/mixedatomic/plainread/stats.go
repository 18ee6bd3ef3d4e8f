package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Stats struct {
	requests int64
}

func (s *Stats) Inc() { atomic.AddInt64(&s.requests, 1) }

// Wrong: the goroutines add to the counter with sync/atomic, but
// Requests reads it plainly.
func (s *Stats) Requests() int64 {
	n := s.requests
	return n
}

func main() {
	var s Stats
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(s.Inc)
	}
	fmt.Println(s.Requests())
	wg.Wait()
}
