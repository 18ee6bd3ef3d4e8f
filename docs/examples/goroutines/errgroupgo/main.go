// Command errgroupgo starts goroutines that can fail with errgroup.Group.Go:
// Wait returns the first error, and the group's context is canceled at once.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context, name string) error {
	if name == "missing" {
		return errors.New("fetch missing: not found")
	}
	select {
	case <-time.After(time.Second): // the work, which the failure cuts short
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	g, ctx := errgroup.WithContext(context.Background())
	for _, name := range []string{"a", "missing", "b"} {
		g.Go(func() error {
			return fetch(ctx, name)
		})
	}
	err := g.Wait()
	fmt.Println("first error:", err)
}
