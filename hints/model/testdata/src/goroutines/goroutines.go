package goroutines

import (
	"context"
	"sync"
	"time"
)

type Job struct{ ID int }

type Pool struct {
	jobs    chan Job
	results chan int
	quit    chan struct{}
	wg      sync.WaitGroup
}

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan Job), results: make(chan int, 16), quit: make(chan struct{})}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for j := range p.jobs {
		p.results <- j.ID
	}
}

func (p *Pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

func Watch(ctx context.Context, events <-chan string, out func(string)) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-events:
				if !ok {
					return
				}
				out(e)
			}
		}
	}()
}

func Ticker(stop chan struct{}) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}

func Forever(ch chan int) {
	go func() {
		for {
			ch <- 1
		}
	}()
}

func Fetch(urls []string, get func(string) int) int {
	done := make(chan int)
	for _, u := range urls {
		go func() {
			done <- get(u)
		}()
	}
	total := 0
	for range urls {
		total += <-done
	}
	return total
}

func Later(f func()) {
	time.AfterFunc(time.Second, f)
}
