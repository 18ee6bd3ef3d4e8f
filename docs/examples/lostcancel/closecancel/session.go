package main

import (
	"context"
	"fmt"
)

type Session struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// Right: Close cancels the session's context.
func NewSession(parent context.Context) *Session {
	ctx, cancel := context.WithCancel(parent)
	return &Session{ctx: ctx, cancel: cancel}
}

func (s *Session) Close() error {
	s.cancel()
	return nil
}

func main() {
	s := NewSession(context.Background())
	defer s.Close()
	fmt.Println(s.ctx.Err())
}
