package connpool

import (
	"net"
	"sync"
)

// Pool is a small handle to a set of idle connections. Copies of a Pool
// share the same underlying state.
type Pool struct {
	mu   *sync.Mutex
	idle map[string]net.Conn
}

// NewPool returns an empty pool.
func NewPool() Pool {
	return Pool{mu: new(sync.Mutex), idle: make(map[string]net.Conn)}
}

// Put parks c as an idle connection to addr.
func (p Pool) Put(addr string, c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.idle[addr]; ok {
		old.Close()
	}
	p.idle[addr] = c
}

// Len reports the number of idle connections.
func (p Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// Drain closes every idle connection and returns how many were closed.
func (p Pool) Drain() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	closed := 0
	for p.Len() > 0 {
		for addr, c := range p.idle {
			c.Close()
			delete(p.idle, addr)
			closed++
		}
	}
	return closed
}
