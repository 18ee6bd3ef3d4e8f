package election

import (
	"context"
	"sync"
	"time"
)

// LeaseStore grants and renews a leadership lease.
type LeaseStore interface {
	Acquire(ctx context.Context, id string, ttl time.Duration) error
	Renew(ctx context.Context, id string, ttl time.Duration) error
}

// Elector campaigns for leadership on behalf of one candidate.
type Elector struct {
	store LeaseStore
	id    string
	ttl   time.Duration

	mu     sync.Mutex
	leader bool
}

// NewElector returns an elector for candidate id.
func NewElector(store LeaseStore, id string, ttl time.Duration) *Elector {
	return &Elector{store: store, id: id, ttl: ttl}
}

// Campaign acquires the lease and keeps it renewed in the background.
func (e *Elector) Campaign(ctx context.Context) error {
	if err := e.store.Acquire(ctx, e.id, e.ttl); err != nil {
		return err
	}
	e.setLeader(true)
	go e.renew()
	return nil
}

func (e *Elector) renew() {
	t := time.NewTicker(e.ttl / 3)
	defer t.Stop()
	for range t.C {
		err := e.store.Renew(context.Background(), e.id, e.ttl)
		e.setLeader(err == nil)
	}
}

func (e *Elector) setLeader(v bool) {
	e.mu.Lock()
	e.leader = v
	e.mu.Unlock()
}

// IsLeader reports whether the last renewal succeeded.
func (e *Elector) IsLeader() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leader
}
