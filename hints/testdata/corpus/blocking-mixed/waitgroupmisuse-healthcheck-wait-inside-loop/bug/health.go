package health

import (
	"sync"
	"time"
)

// Checker probes a set of endpoints concurrently.
type Checker struct {
	probe func(target string) error

	mu      sync.Mutex
	last    map[string]error
	checked time.Time
}

// NewChecker returns a checker using probe.
func NewChecker(probe func(string) error) *Checker {
	return &Checker{probe: probe, last: make(map[string]error)}
}

type result struct {
	target string
	err    error
}

// CheckAll probes every target and records the results.
func (c *Checker) CheckAll(targets []string) map[string]error {
	results := make(chan result)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- result{t, c.probe(t)}
		}()
		wg.Wait()
	}

	out := make(map[string]error, len(targets))
	for range targets {
		r := <-results
		out[r.target] = r.err
	}

	c.mu.Lock()
	c.last = out
	c.checked = time.Now()
	c.mu.Unlock()
	return out
}
