package batcher

import (
	"sync"
	"time"
)

// Entry is one log line waiting to be shipped.
type Entry struct {
	Stream string
	Line   string
	At     time.Time
}

// Batcher groups entries per stream before shipping them.
type Batcher struct {
	mu      sync.Mutex
	streams map[string][]Entry
	dropped int
	maxAge  time.Duration
}

// NewBatcher returns an empty batcher that drops entries older than maxAge.
func NewBatcher(maxAge time.Duration) *Batcher {
	return &Batcher{streams: make(map[string][]Entry), maxAge: maxAge}
}

// Add queues entries for shipping.
func (b *Batcher) Add(entries []Entry) {
	now := time.Now()
	for _, e := range entries {
		b.mu.Lock()
		if now.Sub(e.At) > b.maxAge {
			b.dropped++
			continue
		}
		b.streams[e.Stream] = append(b.streams[e.Stream], e)
		b.mu.Unlock()
	}
}

// Take removes and returns everything queued for stream.
func (b *Batcher) Take(stream string) []Entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.streams[stream]
	delete(b.streams, stream)
	return out
}
