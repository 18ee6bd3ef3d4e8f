// Package racy has two data races that go test -race reports: one that
// synclens also finds statically (a variable shared with a goroutine), one
// it does not (a field read under a lock and written without it, through
// a method).
package racy

import "sync"

// Count races on n: the goroutine and its starter both increment it
// before the Wait.
func Count() int {
	n := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n++ // race:count
	}()
	n++ // race:count
	wg.Wait()
	return n
}

type Meter struct {
	mu    sync.Mutex
	total int
}

func (m *Meter) Add(d int) {
	m.total += d // race:meter
}

func (m *Meter) Total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.total // race:meter
}

// Measure races on m.total: Add does not take m.mu.
func Measure() int {
	m := &Meter{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.Add(2)
	}()
	t := m.Total()
	wg.Wait()
	return t
}
