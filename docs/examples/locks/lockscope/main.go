// Command lockscope keeps critical sections short: it copies what it needs
// under the lock and does the slow work after unlocking.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Stats struct {
	mu     sync.Mutex
	counts map[string]int
}

func (s *Stats) Add(key string) {
	s.mu.Lock()
	defer s.mu.Unlock() // the whole method is the critical section
	s.counts[key]++
}

// Report holds the lock only while copying, not while writing the report.
func (s *Stats) Report() {
	s.mu.Lock()
	snapshot := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		snapshot[k] = v
	}
	s.mu.Unlock()

	for k, v := range snapshot {
		time.Sleep(10 * time.Millisecond) // slow output, lock not held
		fmt.Println(k, v)
	}
}

// Reset shows a critical section in the middle of a function: the closure
// bounds the lock, and defer still unlocks on panic.
func (s *Stats) Reset() (old int) {
	func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		old = len(s.counts)
		clear(s.counts)
	}()
	fmt.Println("reset", old, "keys") // lock not held
	return old
}

func main() {
	s := &Stats{counts: map[string]int{}}
	var wg sync.WaitGroup
	for _, k := range []string{"a", "b", "a"} {
		wg.Go(func() { s.Add(k) })
	}
	wg.Wait()
	s.Report()
	s.Reset()
}
