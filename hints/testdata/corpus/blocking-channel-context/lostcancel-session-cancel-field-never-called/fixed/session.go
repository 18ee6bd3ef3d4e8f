package session

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned when a session is closed twice.
var ErrClosed = errors.New("session: already closed")

// Session is a client session. Work started on behalf of the session uses
// its context, which ends when the session is closed.
type Session struct {
	ID string

	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	closed bool
}

// NewSession starts a session derived from parent. release is called once
// the session's context ends.
func NewSession(parent context.Context, id string, release func()) *Session {
	ctx, cancel := context.WithCancel(parent)
	context.AfterFunc(ctx, release)
	return &Session{ID: id, ctx: ctx, cancel: cancel}
}

// Context returns the session's context.
func (s *Session) Context() context.Context {
	return s.ctx
}

// Close ends the session.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	s.cancel()
	return nil
}
