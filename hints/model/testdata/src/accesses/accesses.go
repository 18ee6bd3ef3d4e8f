package accesses

import (
	"sync"
	"sync/atomic"
)

type Counter struct {
	mu    sync.Mutex
	n     int
	hits  int64
	names map[string]bool
}

func New() *Counter {
	c := &Counter{}
	c.n = 1
	c.names = map[string]bool{}
	return c
}

func (c *Counter) Incr() {
	c.mu.Lock()
	c.n++
	c.names["x"] = true
	c.mu.Unlock()
	atomic.AddInt64(&c.hits, 1)
}

func (c *Counter) Peek() (int, int64) {
	return c.n, c.hits
}

var total int

func Sum(xs []int) int {
	var wg sync.WaitGroup
	sum := 0
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum += x
		}()
	}
	wg.Wait()
	total = sum
	return sum
}
