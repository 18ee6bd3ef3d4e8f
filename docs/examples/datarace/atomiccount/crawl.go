package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Stats struct {
	fetched atomic.Int64
}

func (s *Stats) record() { s.fetched.Add(1) }

// Right: the counter is an atomic.Int64, as the quick fix makes it.
func crawl(urls []string, s *Stats) {
	var wg sync.WaitGroup
	for range urls {
		wg.Go(func() {
			s.record()
		})
	}
	wg.Wait()
}

func main() {
	s := &Stats{}
	crawl([]string{"a", "b", "c"}, s)
	fmt.Println(int(s.fetched.Load()), "fetched")
}
