package connpool

import (
	"net"
	"sync"
)

// Pool caps the number of open connections to one backend.
type Pool struct {
	dial func() (net.Conn, error)
	max  int

	mu   sync.Mutex
	cond *sync.Cond
	idle []net.Conn
	open int
}

// New returns a pool that opens at most max connections.
func New(dial func() (net.Conn, error), max int) *Pool {
	p := &Pool{dial: dial, max: max}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Get returns an idle connection or dials a new one, waiting while the
// pool is at its limit.
func (p *Pool) Get() (net.Conn, error) {
	p.mu.Lock()
	for len(p.idle) == 0 && p.open >= p.max {
		p.cond.Wait()
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.open++
	p.mu.Unlock()

	c, err := p.dial()
	if err != nil {
		p.release()
		return nil, err
	}
	return c, nil
}

// Put returns a healthy connection to the pool.
func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// Discard closes a broken connection and frees its slot.
func (p *Pool) Discard(c net.Conn) {
	c.Close()
	p.release()
}

func (p *Pool) release() {
	p.mu.Lock()
	p.open--
	p.mu.Unlock()
	p.cond.Signal()
}
