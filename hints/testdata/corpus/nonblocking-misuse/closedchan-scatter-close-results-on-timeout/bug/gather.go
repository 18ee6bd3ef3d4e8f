package scatter

import (
	"context"
	"time"
)

// Query is a search request.
type Query struct {
	Terms []string
	Limit int
}

// Answer is one shard's reply.
type Answer struct {
	Shard string
	Hits  []string
}

// Shard answers queries for part of the index.
type Shard interface {
	Name() string
	Search(ctx context.Context, q Query) ([]string, error)
}

// Gather queries every shard and returns the answers that arrived before
// the deadline.
func Gather(ctx context.Context, shards []Shard, q Query, timeout time.Duration) []Answer {
	results := make(chan Answer, len(shards))
	for _, s := range shards {
		go func() {
			hits, err := s.Search(ctx, q)
			if err != nil {
				hits = nil
			}
			results <- Answer{Shard: s.Name(), Hits: hits}
		}()
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var out []Answer
	for range shards {
		select {
		case a := <-results:
			out = append(out, a)
		case <-timer.C:
			close(results)
			return out
		}
	}
	close(results)
	return out
}
