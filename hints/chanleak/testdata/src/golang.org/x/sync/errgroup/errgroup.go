// Package errgroup is a stand-in for golang.org/x/sync/errgroup.
package errgroup

import (
	"context"
	"sync"
)

type Group struct {
	wg  sync.WaitGroup
	err error
	mu  sync.Mutex
}

func WithContext(ctx context.Context) (*Group, context.Context) { return &Group{}, ctx }

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			g.err = err
			g.mu.Unlock()
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}
