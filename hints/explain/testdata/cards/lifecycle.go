package cards

import (
	"context"
	"errors"
	"sync"
)

// Start hands its cancel func to the caller.
func Start(parent context.Context, run func(context.Context)) context.CancelFunc {
	ctx, cancel := context.WithCancel(parent) //hover:WithCancel,cancel
	go run(ctx)
	return cancel
}

// Watch runs cleanup once ctx is cancelled.
func Watch(parent context.Context, cleanup func(), work func()) {
	ctx, cancel := context.WithCancel(parent)
	go func() { //hover:go
		<-ctx.Done()
		cleanup()
	}()
	work()
	cancel()
}

// Gather closes results once every worker is done.
func Gather(inputs []int, f func(int) int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- f(in)
		}()
	}
	go func() { //hover:go
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Limiter bounds how many calls of Do run at once.
type Limiter struct {
	sem chan struct{} //hover:sem
}

func NewLimiter(limit int) *Limiter {
	return &Limiter{sem: make(chan struct{}, limit)} //hover:make
}

func (l *Limiter) Do(f func()) {
	l.sem <- struct{}{} //hover:<-
	f()
	<-l.sem
}

type Registry struct {
	mu    sync.Mutex
	names map[string]int
}

// Lookup returns early with the lock held when the name is missing.
func (r *Registry) Lookup(name string) (int, error) {
	r.mu.Lock() //hover:Lock,mu
	id, ok := r.names[name]
	if !ok {
		return 0, errors.New("missing")
	}
	r.mu.Unlock()
	return id, nil
}

// Ask gives up on the reply when ctx is done: the goroutine's send then
// blocks forever.
func Ask(ctx context.Context, q func() int) int {
	replies := make(chan int)
	go func() { //hover:go
		replies <- q()
	}()
	select {
	case r := <-replies:
		return r
	case <-ctx.Done():
		return 0
	}
}
