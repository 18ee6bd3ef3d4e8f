// Command limit processes items with an errgroup: at most 4 at a time, the
// first error cancels the rest, and Wait returns it.
package main

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
)

func process(ctx context.Context, item int) error {
	if item == 7 {
		return fmt.Errorf("item %d: corrupt", item)
	}
	select {
	case <-time.After(10 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(4) // Go blocks while 4 goroutines are running

	for item := range 20 {
		if ctx.Err() != nil {
			break // stop starting work after the first failure
		}
		g.Go(func() error {
			return process(ctx, item)
		})
	}
	fmt.Println("error:", g.Wait()) // item 7: corrupt
}
