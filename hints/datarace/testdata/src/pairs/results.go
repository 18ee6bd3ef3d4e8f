package pairs

import (
	"errors"
	"sync"
	"time"
)

// Named results written by a goroutine.

type stats struct {
	count int
	max   int
}

func compute() int { return 42 }

var errTimeout = errors.New("timeout")

// Measure gives up on the timeout and marks its named result, while the
// goroutine may still fill it in.
func Measure(timeout time.Duration) (res *stats, err error) {
	res = &stats{}
	done := make(chan struct{})
	go func() {
		res.count = compute()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		res.count = -1 // want "Measure writes `res\\.count` here while the goroutine started at line 25 writes it at line 26, with nothing ordering the two: a data race"
		err = errTimeout
	}
	return
}

// MeasureCopy hands the goroutine's result over a buffered channel:
// nothing is shared.
func MeasureCopy(timeout time.Duration) (res stats, err error) {
	ch := make(chan stats, 1)
	go func() {
		ch <- stats{count: compute()}
	}()
	select {
	case res = <-ch:
	case <-time.After(timeout):
		res.count = -1
		err = errTimeout
	}
	return
}

type peak struct {
	max int
}

// Fill's named result is a pointer the goroutines fill in, each reading
// and writing the maximum.
func Fill(n int) (out *peak) {
	out = &peak{}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v := compute(); v > out.max {
				out.max = v // want "the goroutine started at line 65 writes `out\\.max` here while another instance of it reads it at line 67, with nothing ordering the two: a data race"
			}
		}()
	}
	wg.Wait()
	return
}

// FillLocked locks around the maximum.
func FillLocked(n int) (out *peak) {
	out = &peak{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := compute()
			mu.Lock()
			if v > out.max {
				out.max = v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return
}
