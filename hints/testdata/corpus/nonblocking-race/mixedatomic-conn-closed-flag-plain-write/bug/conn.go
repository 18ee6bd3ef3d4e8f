package transport

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("transport: connection closed")

// Conn frames messages on a network connection.
type Conn struct {
	nc     net.Conn
	closed int32

	mu sync.Mutex
}

// NewConn wraps nc.
func NewConn(nc net.Conn) *Conn {
	return &Conn{nc: nc}
}

// Send writes one message.
func (c *Conn) Send(p []byte) error {
	if atomic.LoadInt32(&c.closed) == 1 {
		return ErrClosed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.nc.Write(p)
	return err
}

// Close closes the connection. Calling it again has no effect.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed == 1 {
		return nil
	}
	c.closed = 1
	return c.nc.Close()
}
