package retry

import (
	"context"
	"time"
)

// Retrier retries an operation with exponential backoff.
type Retrier struct {
	Max    int
	Base   time.Duration
	Report func(attempt int, err error)
}

func (r *Retrier) backoff(attempt int) time.Duration {
	return r.Base << (attempt - 1)
}

// Do calls op until it succeeds or Max attempts have failed. Failures are
// reported asynchronously so that a slow reporter does not delay retries.
func (r *Retrier) Do(ctx context.Context, op func(context.Context) error) error {
	attempt := 0
	var err error
	for attempt < r.Max {
		attempt++
		if err = op(ctx); err == nil {
			return nil
		}
		go r.Report(attempt, err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.backoff(attempt)):
		}
	}
	return err
}
