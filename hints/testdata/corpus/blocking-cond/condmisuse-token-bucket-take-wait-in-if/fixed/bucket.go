package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Bucket is a token bucket refilled by Run.
type Bucket struct {
	mu     sync.Mutex
	cond   *sync.Cond
	tokens int
	max    int
}

// NewBucket returns a full bucket of max tokens.
func NewBucket(max int) *Bucket {
	b := &Bucket{tokens: max, max: max}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Take removes one token, waiting while the bucket is empty.
func (b *Bucket) Take() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.tokens == 0 {
		b.cond.Wait()
	}
	b.tokens--
}

func (b *Bucket) refill(n int) {
	b.mu.Lock()
	b.tokens = min(b.tokens+n, b.max)
	b.mu.Unlock()
	b.cond.Broadcast()
}

// Run adds n tokens every interval until ctx is done.
func (b *Bucket) Run(ctx context.Context, every time.Duration, n int) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.refill(n)
		}
	}
}
