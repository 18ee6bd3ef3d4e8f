package backup

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Lister enumerates object keys, calling fn for each.
type Lister interface {
	List(ctx context.Context, fn func(key string) error) error
}

// Copier copies one object to the backup location.
type Copier interface {
	Copy(ctx context.Context, key string) error
}

// Run copies every object listed by src using the given number of workers,
// stopping at the first error.
func Run(ctx context.Context, src Lister, dst Copier, workers int) error {
	g, ctx := errgroup.WithContext(ctx)
	keys := make(chan string)

	g.Go(func() error {
		defer close(keys)
		return src.List(ctx, func(key string) error {
			select {
			case keys <- key:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})

	for i := 0; i < workers; i++ {
		g.Go(func() error {
			for k := range keys {
				if err := dst.Copy(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}
