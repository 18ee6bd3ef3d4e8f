package peer

import (
	"net"
	"sync"
	"time"
)

// Conn is a connection to a peer kept alive with heartbeats.
type Conn struct {
	mu      sync.Mutex
	c       net.Conn
	lastErr error
	done    chan struct{}
}

// Dial connects to addr and sends a heartbeat every interval.
func Dial(addr string, every time.Duration) (*Conn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Conn{c: nc, done: make(chan struct{})}
	go p.heartbeat(every)
	return p, nil
}

func (p *Conn) heartbeat(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		p.mu.Lock()
		if _, err := p.c.Write([]byte("PING\n")); err != nil {
			p.lastErr = err
		}
		p.mu.Unlock()
	}
}

// Err returns the last heartbeat error.
func (p *Conn) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr
}

// Close closes the connection.
func (p *Conn) Close() error {
	close(p.done)
	return p.c.Close()
}
