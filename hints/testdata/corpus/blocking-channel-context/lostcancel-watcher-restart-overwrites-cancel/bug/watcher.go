package watch

import (
	"context"
	"sync"
)

// Event is a change to a key.
type Event struct {
	Key      string
	Revision int64
}

// Client streams changes starting at a revision until ctx is done.
type Client interface {
	Watch(ctx context.Context, fromRev int64, out chan<- Event) error
}

// Watcher keeps one watch stream open and can restart it from a revision.
type Watcher struct {
	client Client
	events chan Event

	mu     sync.Mutex
	cancel context.CancelFunc
}

// NewWatcher returns a watcher delivering on events.
func NewWatcher(c Client, events chan Event) *Watcher {
	return &Watcher{client: c, events: events}
}

// Restart (re)opens the watch stream at rev.
func (w *Watcher) Restart(parent context.Context, rev int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ctx, cancel := context.WithCancel(parent)
	w.cancel = cancel
	go w.client.Watch(ctx, rev, w.events)
}

// Stop closes the current watch stream.
func (w *Watcher) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
}
