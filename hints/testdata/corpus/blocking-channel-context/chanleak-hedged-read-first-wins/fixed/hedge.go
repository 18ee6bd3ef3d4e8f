package hedge

import (
	"context"
	"errors"
)

// Replica serves reads for a key range.
type Replica interface {
	Read(ctx context.Context, key string) ([]byte, error)
}

// ErrNoReplicas is returned when Read is called without replicas.
var ErrNoReplicas = errors.New("hedge: no replicas")

// Read sends the request to every replica and returns the first successful
// answer. The remaining requests are cancelled.
func Read(ctx context.Context, replicas []Replica, key string) ([]byte, error) {
	if len(replicas) == 0 {
		return nil, ErrNoReplicas
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		data []byte
		err  error
	}
	results := make(chan result, len(replicas))
	for _, r := range replicas {
		go func(r Replica) {
			data, err := r.Read(ctx, key)
			results <- result{data, err}
		}(r)
	}

	var lastErr error
	for range replicas {
		select {
		case res := <-results:
			if res.err == nil {
				return res.data, nil
			}
			lastErr = res.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, lastErr
}
