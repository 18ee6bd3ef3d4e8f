package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Right: a typed atomic cannot be read or written plainly.
type Stats struct {
	requests atomic.Int64
}

func (s *Stats) Inc() { s.requests.Add(1) }

func (s *Stats) Requests() int64 { return s.requests.Load() }

func main() {
	var s Stats
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(s.Inc)
	}
	fmt.Println(s.Requests())
	wg.Wait()
}
