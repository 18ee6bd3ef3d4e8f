package channels

import (
	"context"
	"sync"
)

// Result goes through a closure, a select and a timeout.
func Result(ctx context.Context, work func() int) int {
	results := make(chan int)
	go func() {
		results <- work()
	}()
	select {
	case r := <-results:
		return r
	case <-ctx.Done():
		return 0
	}
}

// Pool passes the channel to workers started in a loop, and closes it.
func Pool(jobs []int, do func(int)) {
	ch := make(chan int, 4)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(ch, do, &wg)
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
}

func worker(ch <-chan int, do func(int), wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range ch {
		do(j)
	}
}

// PerIteration makes a channel per iteration: one goroutine per channel.
func PerIteration(n int) {
	for i := 0; i < n; i++ {
		done := make(chan struct{})
		go func() { close(done) }()
		<-done
	}
}

// gen returns its channel: followed into each caller.
func gen(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i
		}
	}()
	return out
}

func Sum(n int) int {
	s := 0
	for v := range gen(n) {
		s += v
	}
	return s
}

type Server struct{ reqs chan int }

// Stored escapes: a field.
func NewServer() *Server {
	reqs := make(chan int)
	return &Server{reqs: reqs}
}

// Group runs its goroutines through errgroup-like WaitGroup.Go.
func Group(work func() int) int {
	out := make(chan int, 1)
	var wg sync.WaitGroup
	wg.Go(func() { out <- work() })
	wg.Wait()
	return <-out
}

// Drain receives in a deferred closure.
func Drain(work func() int) {
	ch := make(chan int)
	defer func() { <-ch }()
	go func() { ch <- work() }()
}

// Handed to another package: escapes.
func Handed(f func(chan int)) {
	ch := make(chan int)
	f(ch)
}
