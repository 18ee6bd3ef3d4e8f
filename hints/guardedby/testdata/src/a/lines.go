package a

import "sync"

// LineCounter is guarded by mu, with //line directives between its parts.
//
//line generated.go:3
type LineCounter struct {
	mu sync.Mutex
	n  int
}

func (c *LineCounter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *LineCounter) Add(k int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += k
}

func (c *LineCounter) Get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

//line far.go:90000
func (c *LineCounter) Reset() {
	c.n = 0 // want `c\.n is written here without c\.mu`
}
