package deploy

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Pusher installs a release in one region.
type Pusher func(ctx context.Context, region, release string) error

// Rollout pushes release to every region in parallel. On failure it
// reports a region that failed and the error.
func Rollout(ctx context.Context, push Pusher, release string, regions []string) (failed string, err error) {
	if len(regions) == 0 {
		return "", fmt.Errorf("deploy: no regions for %s", release)
	}
	g, ctx := errgroup.WithContext(ctx)
	var mu sync.Mutex
	for _, r := range regions {
		g.Go(func() error {
			if err := push(ctx, r, release); err != nil {
				mu.Lock()
				if failed == "" {
					failed = r
				}
				mu.Unlock()
				return fmt.Errorf("region %s: %w", r, err)
			}
			return nil
		})
	}
	err = g.Wait()
	return failed, err
}
