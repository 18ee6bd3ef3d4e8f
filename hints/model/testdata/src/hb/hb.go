// Package hb exercises the happens-before model. In each function named
// Par* some pair of accesses of the same variable (one a write) may run in
// parallel; in each function named Ord* none may.
package hb

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

func work() (int, error) { return 1, nil }

func ParGoThenRead() int {
	x := 0
	go func() { x = 1 }()
	return x
}

func OrdWriteBeforeGo() {
	x := 0
	x = 2
	go func() { println(x) }()
}

func OrdWaitGroup() int {
	var wg sync.WaitGroup
	x := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		x = 1
	}()
	wg.Wait()
	return x
}

func OrdDoneChannel() int {
	done := make(chan struct{})
	x := 0
	go func() {
		x = 1
		close(done)
	}()
	<-done
	return x
}

func ParTimeout() (res int, err error) {
	done := make(chan struct{})
	go func() {
		res, err = work()
		close(done)
	}()
	select {
	case <-done:
		return
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

func ParLoopCounter(n int) int {
	var wg sync.WaitGroup
	count := 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count++
		}()
	}
	wg.Wait()
	return count
}

func OrdPerIteration(xs []int) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x++
			println(x)
		}()
	}
	wg.Wait()
}

func OrdHandoff() {
	ch := make(chan int)
	x := 0
	go func() {
		<-ch
		println(x)
	}()
	x = 5
	ch <- 1
}

func OrdOnce() int {
	var once sync.Once
	x := 0
	once.Do(func() { x = 1 })
	return x
}

func ParEscape() func() {
	stopped := false
	go func() {
		for !stopped {
			time.Sleep(time.Millisecond)
		}
	}()
	return func() { stopped = true }
}

func OrdSyncCallback(xs []int) int {
	calls := 0
	sort.Slice(xs, func(i, j int) bool {
		calls++
		return xs[i] < xs[j]
	})
	return calls
}

func spawn(f func()) { go f() }

func ParHelperSpawn() int {
	x := 0
	spawn(func() { x = 1 })
	return x
}

func runAndWait(f func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
	wg.Wait()
}

func OrdHelperJoins() int {
	x := 0
	runAndWait(func() { x = 1 })
	return x
}

func ParErrgroup(items []int) error {
	var g errgroup.Group
	failed := 0
	for _, it := range items {
		g.Go(func() error {
			if it < 0 {
				failed = it
			}
			return nil
		})
	}
	err := g.Wait()
	println(failed)
	return err
}

func OrdErrgroupWait() int {
	var g errgroup.Group
	x := 0
	g.Go(func() error {
		x = 1
		return nil
	})
	g.Wait()
	return x
}

func ParTwoGoroutines() {
	err := error(nil)
	go func() { err = errors.New("a") }()
	go func() { err = errors.New("b") }()
	_ = err
}

func OrdSequentialGoroutines() {
	var wg sync.WaitGroup
	x := 0
	wg.Add(1)
	go func() { defer wg.Done(); x = 1 }()
	wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done(); x = 2 }()
	wg.Wait()
	println(x)
}

func OrdLocked() {
	var mu sync.Mutex
	x := 0
	go func() {
		mu.Lock()
		x = 1
		mu.Unlock()
	}()
	mu.Lock()
	println(x)
	mu.Unlock()
}

func OrdRecursiveClosure(n int) int {
	total := 0
	var visit func(int)
	visit = func(i int) {
		total += i
		if i > 0 {
			visit(i - 1)
		}
	}
	visit(n)
	return total
}

func ParStoredClosureGo() int {
	x := 0
	f := func() { x = 1 }
	go f()
	return x
}

type S struct {
	mu sync.Mutex
	n  int
	m  map[string]int
}

func (s *S) loop() {
	for {
		s.n++
	}
}

func ParFieldThroughMethod(s *S) int {
	go s.loop()
	return s.n
}

func OrdFieldBeforeGo(s *S) {
	s.n = 0
	go s.loop()
}

func (s *S) fill(k string) { s.m[k] = 1 }

func ParMapHelperLoop(s *S, keys []string) {
	for _, k := range keys {
		go s.fill(k)
	}
}

func OrdAtomicFlag() int {
	var done atomic.Bool
	result := 0
	go func() {
		result = 42
		done.Store(true)
	}()
	for !done.Load() {
	}
	return result
}
