package pipe

import (
	"io"
	"sync"
)

// Buffer is an in-memory byte stream. Readers either block in Read or
// select on Notify and then read.
type Buffer struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    []byte
	closed bool
	notify chan struct{}
}

// NewBuffer returns an empty buffer.
func NewBuffer() *Buffer {
	b := &Buffer{notify: make(chan struct{}, 1)}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Notify returns a channel that becomes ready after new data arrives.
func (b *Buffer) Notify() <-chan struct{} { return b.notify }

// Write appends p to the buffer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return 0, io.ErrClosedPipe
	}
	b.buf = append(b.buf, p...)
	b.mu.Unlock()
	b.cond.Broadcast()
	select {
	case b.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

// Read blocks until data is available or the buffer is closed.
func (b *Buffer) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.buf) == 0 && !b.closed {
		b.cond.Wait()
	}
	if len(b.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

// Close makes pending and future reads return io.EOF once drained.
func (b *Buffer) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cond.Broadcast()
	return nil
}
