package scenarios

import (
	"sync"
	"sync/atomic"
)

type counter struct {
	n    int
	name string
}

func RaceCounter(c *counter) {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.n++ // race
		}()
	}
	wg.Wait()
}

func RaceOKCounterLocked(c *counter) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			c.n++
			mu.Unlock()
		}()
	}
	wg.Wait()
	_ = c.n
}

type loop struct {
	closed bool
	quit   chan struct{}
}

func (l *loop) run() {
	for !l.closed { // race
		<-l.quit
	}
}

// RaceFlag: Start's goroutine reads the flag its caller then writes.
func RaceFlag() {
	l := &loop{quit: make(chan struct{}, 1)}
	go l.run()
	l.closed = true // race
	l.quit <- struct{}{}
}

// RaceOKPublished: the write happens before the go statement.
func RaceOKPublished() {
	l := &loop{quit: make(chan struct{}, 1)}
	l.closed = true
	go l.run()
	l.quit <- struct{}{}
}

// RaceOKHandOff: the result is written before the send and read after
// the receive.
func RaceOKHandOff() int {
	c := &counter{}
	done := make(chan struct{})
	go func() {
		c.n = 42
		close(done)
	}()
	<-done
	return c.n
}

func RaceAfterTimeout(results chan int) int {
	c := &counter{}
	go func() {
		c.n = 1 // race
		results <- 1
	}()
	return c.n // race
}

// RaceOKAtomicFlag: the plain write is published by an atomic store the
// reader checks first.
func RaceOKAtomicFlag() string {
	c := &counter{}
	var ready atomic.Bool
	go func() {
		c.name = "x"
		ready.Store(true)
	}()
	if ready.Load() {
		return c.name
	}
	return ""
}

func RaceOKOnce() string {
	var once sync.Once
	c := &counter{}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { c.name = "init" })
			_ = c.name
		}()
	}
	wg.Wait()
	return c.name
}

func RaceAppend(xs []int) []int {
	var out []int
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out = append(out, x) // race
		}()
	}
	wg.Wait()
	return out
}

func RaceMap() map[int]int {
	m := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m[i] = i // race
		}()
	}
	wg.Wait()
	return m
}

// RaceOKSemaphore: a channel of capacity 1 used as a lock.
func RaceOKSemaphore(c *counter) {
	sem := make(chan struct{}, 1)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			c.n++
			<-sem
		}()
	}
	wg.Wait()
}
