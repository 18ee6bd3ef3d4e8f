package main

import (
	"context"
	"fmt"
)

type Session struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// Wrong: the cancel func is kept in s.cancel, but Close never calls it;
// the session's context lives as long as its parent.
func NewSession(parent context.Context) *Session {
	ctx, cancel := context.WithCancel(parent)
	return &Session{ctx: ctx, cancel: cancel}
}

func (s *Session) Close() error {
	return nil
}

func main() {
	s := NewSession(context.Background())
	defer s.Close()
	fmt.Println(s.ctx.Err())
}
