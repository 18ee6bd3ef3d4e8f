package reload

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Reloader holds the current configuration and counts reloads.
type Reloader struct {
	gen uint64

	mu  sync.Mutex
	cfg map[string]string
}

// Reload installs cfg as the current configuration.
func (r *Reloader) Reload(cfg map[string]string) {
	r.mu.Lock()
	r.cfg = cfg
	r.mu.Unlock()
	atomic.AddUint64(&r.gen, 1)
}

// Watch calls fn with the new configuration whenever it changes, checking
// every interval, until ctx is done.
func (r *Reloader) Watch(ctx context.Context, every time.Duration, fn func(map[string]string)) {
	seen := atomic.LoadUint64(&r.gen)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if g := atomic.LoadUint64(&r.gen); g != seen {
			seen = g
			r.mu.Lock()
			cfg := r.cfg
			r.mu.Unlock()
			fn(cfg)
		}
	}
}
