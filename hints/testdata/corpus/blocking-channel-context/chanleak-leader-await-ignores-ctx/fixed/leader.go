package leader

import (
	"context"
	"time"
)

// Lock is a distributed lock used for leader election.
type Lock interface {
	TryAcquire(ctx context.Context, id string) (bool, error)
}

// Elector runs onElected once this node becomes the leader.
type Elector struct {
	lock      Lock
	id        string
	retry     time.Duration
	elected   chan struct{}
	onElected func(ctx context.Context)
}

// New returns an elector for candidate id.
func New(lock Lock, id string, retry time.Duration, onElected func(context.Context)) *Elector {
	return &Elector{lock: lock, id: id, retry: retry, elected: make(chan struct{}), onElected: onElected}
}

// Run campaigns until ctx is done.
func (e *Elector) Run(ctx context.Context) {
	go e.campaign(ctx)
	go e.awaitLeadership(ctx)
}

func (e *Elector) awaitLeadership(ctx context.Context) {
	select {
	case <-e.elected:
		e.onElected(ctx)
	case <-ctx.Done():
	}
}

func (e *Elector) campaign(ctx context.Context) {
	t := time.NewTicker(e.retry)
	defer t.Stop()
	for {
		ok, err := e.lock.TryAcquire(ctx, e.id)
		if err == nil && ok {
			close(e.elected)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
