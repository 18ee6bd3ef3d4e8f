package main

import (
	"fmt"
	"sync"
)

type Stats struct {
	fetched int
}

func (s *Stats) record() { s.fetched++ }

// Wrong: every worker increments the counter through record, with
// nothing ordering the increments.
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
	fmt.Println(s.fetched, "fetched")
}
