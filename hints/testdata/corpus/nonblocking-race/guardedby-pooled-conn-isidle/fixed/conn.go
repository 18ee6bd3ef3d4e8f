package pool

import (
	"net"
	"sync"
	"time"
)

// State is the lifecycle state of a pooled connection.
type State int

const (
	Idle State = iota
	Busy
	Closed
)

// Conn is a pooled connection.
type Conn struct {
	nc net.Conn

	mu       sync.Mutex
	state    State
	lastUsed time.Time
}

func (c *Conn) setState(s State) {
	c.mu.Lock()
	c.state = s
	c.lastUsed = time.Now()
	c.mu.Unlock()
}

// Do writes req on the connection.
func (c *Conn) Do(req []byte) error {
	c.setState(Busy)
	defer c.setState(Idle)
	_, err := c.nc.Write(req)
	return err
}

// IdleSince returns when the connection was last used.
func (c *Conn) IdleSince() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastUsed
}

// IsIdle reports whether the connection can be reaped or reused. The
// pool's reaper goroutine calls it while requests are running.
func (c *Conn) IsIdle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == Idle
}

// Close closes the connection.
func (c *Conn) Close() error {
	c.setState(Closed)
	return c.nc.Close()
}
