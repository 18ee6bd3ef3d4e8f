package b

import (
	"errors"
	"io"
	"sync"
	"testing"
)

var errClosed = errors.New("closed")

// A lock helper: the caller owns the lock after the call.
type Store struct {
	mu     sync.Mutex
	data   map[string]int
	closed bool
}

func (s *Store) lock() { s.mu.Lock() }

func (s *Store) unlock() { s.mu.Unlock() }

func (s *Store) Get(k string) (int, error) {
	s.lock() // want `s\.lock locks s\.mu here but it is not unlocked on the path that returns at line 26: the next Lock blocks forever`
	if s.closed {
		return 0, errClosed
	}
	v := s.data[k]
	s.unlock()
	return v, nil
}

// Not flagged: the helper's lock released by a deferred helper call.
func (s *Store) Put(k string, v int) error {
	s.lock()
	defer s.unlock()
	if s.closed {
		return errClosed
	}
	s.data[k] = v
	return nil
}

// Not flagged: released on every path.
func (s *Store) Len() int {
	s.lock()
	if s.data == nil {
		s.unlock()
		return 0
	}
	n := len(s.data)
	s.unlock()
	return n
}

// A function called with the lock held drops it for a write and, on the
// error path, returns without taking it again.
type Conn struct {
	mu      sync.Mutex
	w       io.Writer
	pending [][]byte
	err     error
}

func (c *Conn) flushLocked() error {
	for len(c.pending) > 0 {
		b := c.pending[0]
		c.pending = c.pending[1:]
		c.mu.Unlock() // want `c\.mu is unlocked here and not locked again on the path that returns at line 72, but \(\*Conn\)\.flushLocked is called with c\.mu held and returns with it held on other paths: its caller's Unlock is then a fatal unlock of an unlocked mutex`
		_, err := c.w.Write(b)
		if err != nil {
			return err
		}
		c.mu.Lock()
	}
	return nil
}

func (c *Conn) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flushLocked()
}

// Every caller holds c.mu: the same contract without the name.
func (c *Conn) drain() {
	for len(c.pending) > 0 {
		c.mu.Unlock() // want `c\.mu is unlocked here and not locked again on the path that returns at line 90, but \(\*Conn\)\.drain is called with c\.mu held and returns with it held on other paths: its caller's Unlock is then a fatal unlock of an unlocked mutex`
		if c.err != nil {
			return
		}
		c.mu.Lock()
		c.pending = c.pending[1:]
	}
}

func (c *Conn) Close() {
	c.mu.Lock()
	c.drain()
	c.mu.Unlock()
}

// Not flagged: releases and takes the lock back on every path.
func (c *Conn) writeLocked(b []byte) error {
	c.mu.Unlock()
	_, err := c.w.Write(b)
	c.mu.Lock()
	return err
}

// Not flagged: unlocks on every path (the caller knows).
func (c *Conn) closeLocked() {
	if c.err == nil {
		c.err = errClosed
	}
	c.mu.Unlock()
}

// Not flagged: tells the caller whether it released the lock.
func (c *Conn) maybeFlushLocked() (unlocked bool) {
	if len(c.pending) == 0 {
		return false
	}
	c.mu.Unlock()
	return true
}

// Not flagged: drops the lock for a while and takes it back with a
// deferred Lock.
func (c *Conn) sendLocked(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	c.mu.Unlock()
	defer c.mu.Lock()
	_, err := c.w.Write(b)
	return err
}

func (c *Conn) Send(b []byte) error {
	c.mu.Lock()
	if err := c.writeLocked(b); err != nil {
		c.mu.Unlock()
		return err
	}
	if c.maybeFlushLocked() {
		return nil
	}
	err := c.sendLocked(b)
	c.mu.Unlock()
	return err
}

func (c *Conn) Shutdown() {
	c.mu.Lock()
	c.closeLocked()
}

// Not flagged: the early return follows a reported test failure.
func checkStore(t *testing.T, s *Store) {
	s.lock()
	if s.data == nil {
		t.Errorf("no data")
		return
	}
	s.unlock()
}
