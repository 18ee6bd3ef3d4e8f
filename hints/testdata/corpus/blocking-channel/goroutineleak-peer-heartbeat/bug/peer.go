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
}

// Dial connects to addr and sends a heartbeat every interval.
func Dial(addr string, every time.Duration) (*Conn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Conn{c: nc}
	go p.heartbeat(every)
	return p, nil
}

func (p *Conn) heartbeat(every time.Duration) {
	for {
		time.Sleep(every)
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
	return p.c.Close()
}
