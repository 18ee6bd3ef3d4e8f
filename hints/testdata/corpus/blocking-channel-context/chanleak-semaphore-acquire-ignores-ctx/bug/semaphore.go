package limiter

import (
	"context"
	"net"
)

// Semaphore bounds the number of concurrently served connections.
type Semaphore struct {
	slots chan struct{}
}

// NewSemaphore returns a semaphore with n slots.
func NewSemaphore(n int) *Semaphore {
	return &Semaphore{slots: make(chan struct{}, n)}
}

// Acquire takes a slot, waiting until one is free or ctx is done.
func (s *Semaphore) Acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.slots <- struct{}{}
	return nil
}

// Release returns a slot.
func (s *Semaphore) Release() {
	<-s.slots
}

// Serve hands each connection from l to handle while holding a slot for
// the lifetime of the connection.
func Serve(ctx context.Context, l net.Listener, s *Semaphore, handle func(net.Conn)) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		if err := s.Acquire(ctx); err != nil {
			c.Close()
			return err
		}
		go func() {
			defer s.Release()
			defer c.Close()
			handle(c)
		}()
	}
}
