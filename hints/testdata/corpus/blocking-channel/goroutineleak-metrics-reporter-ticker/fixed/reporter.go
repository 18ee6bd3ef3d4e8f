package reporter

import (
	"context"
	"sync"
	"time"
)

// Sink receives a snapshot of all gauges.
type Sink func(map[string]float64) error

// Reporter periodically pushes gauges to a sink.
type Reporter struct {
	mu       sync.Mutex
	gauges   map[string]float64
	sink     Sink
	failures int
}

// NewReporter returns a reporter that flushes to sink every interval
// until ctx is done.
func NewReporter(ctx context.Context, sink Sink, interval time.Duration) *Reporter {
	r := &Reporter{gauges: make(map[string]float64), sink: sink}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.flush()
			}
		}
	}()
	return r
}

// Set records the current value of a gauge.
func (r *Reporter) Set(name string, v float64) {
	r.mu.Lock()
	r.gauges[name] = v
	r.mu.Unlock()
}

func (r *Reporter) flush() {
	r.mu.Lock()
	snap := make(map[string]float64, len(r.gauges))
	for k, v := range r.gauges {
		snap[k] = v
	}
	r.mu.Unlock()
	if err := r.sink(snap); err != nil {
		r.mu.Lock()
		r.failures++
		r.mu.Unlock()
	}
}
