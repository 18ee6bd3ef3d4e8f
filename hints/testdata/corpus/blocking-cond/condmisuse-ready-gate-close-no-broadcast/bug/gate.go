package gate

import (
	"errors"
	"sync"
)

// ErrClosed is returned by Wait when the gate was closed before opening.
var ErrClosed = errors.New("gate: closed")

// Gate blocks request handlers until the service is ready or shut down.
type Gate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	ready  bool
	closed bool
}

// New returns a closed-until-ready gate.
func New() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// Wait blocks until the gate opens or is closed.
func (g *Gate) Wait() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready && !g.closed {
		g.cond.Wait()
	}
	if !g.ready {
		return ErrClosed
	}
	return nil
}

// Open lets every current and future caller of Wait through.
func (g *Gate) Open() {
	g.mu.Lock()
	g.ready = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

// Close makes pending and future calls to Wait fail.
func (g *Gate) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}
