// Package inlays exercises the inlay hints: inlays.golden shows this file
// with every hint inserted as ‹label›.
package inlays

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

type Store struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	items map[string]int
	hits  int
}

// Put: the lock is held from the Lock to the Unlock, not after it.
func (s *Store) Put(k string, v int) {
	s.mu.Lock()
	s.items[k] = v
	s.hits++
	s.mu.Unlock()
	s.touch()
}

// Get: a deferred unlock keeps the lock to the end.
func (s *Store) Get(k string) int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	v := s.items[k]
	return v
}

// Both locks, the second taken and released inside.
func (s *Store) Both() {
	s.mu.Lock()
	s.rw.Lock()
	s.hits = 0
	s.rw.Unlock()
	s.mu.Unlock()
}

// A branch that unlocks on one path only: after the if, the lock is
// not certainly held, so no label.
func (s *Store) Maybe(drop bool) {
	s.mu.Lock()
	if drop {
		s.mu.Unlock()
		return
	}
	s.hits++
	s.mu.Unlock()
}

// touchLocked is only called with s.mu held: every statement is in the
// critical section of its callers.
func (s *Store) touchLocked() {
	s.hits++
}

func (s *Store) touch() {
	s.mu.Lock()
	s.touchLocked()
	s.mu.Unlock()
}

// Two statements on one line get one label, after the last.
func (s *Store) OneLine() {
	s.mu.Lock(); s.hits++
	s.mu.Unlock()
}

// A closure has its own lock state.
func (s *Store) Closure() func() {
	return func() {
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
	}
}

func work(int) {}

// Joined by a WaitGroup.
func Fan(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(i)
		}()
	}
	wg.Wait()
}

// Joined by a receive, and started by wg.Go.
func Pair() int {
	done := make(chan int)
	go func() { done <- 1 }()
	var wg sync.WaitGroup
	wg.Go(func() { work(2) })
	wg.Wait()
	return <-done
}

// Nobody waits.
func Fire() {
	go work(3)
}

// An errgroup's goroutine is joined by its Wait.
func Group(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	return g.Wait()
}

const workers = 4

// Capacities: a literal says it already, and so does nothing for a
// parameter of an exported function; a named constant and a local constant
// value get a label, and so does the parameter of pool below, which only
// constants are passed for.
func Chans(n int) {
	a := make(chan int, 8)
	b := make(chan int, workers)
	size := 2
	c := make(chan int, size)
	d := make(chan int, n)
	_, _, _, _ = a, b, c, d
}

func pool(size int) chan struct{} {
	return make(chan struct{}, size)
}

func usePool() {
	pool(1)
	pool(16)
}

// An exported function may be called with any size: no label.
func Pool(size int) chan struct{} {
	return make(chan struct{}, size)
}
