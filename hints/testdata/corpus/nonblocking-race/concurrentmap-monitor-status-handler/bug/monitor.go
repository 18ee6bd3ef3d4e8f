package monitor

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Monitor polls services in the background and serves their status.
type Monitor struct {
	check  func(name string) error
	names  []string
	status map[string]string
}

// New returns a monitor for the named services.
func New(check func(string) error, names []string) *Monitor {
	return &Monitor{check: check, names: names, status: make(map[string]string)}
}

// Run polls every service each interval until ctx is done.
func (m *Monitor) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, n := range m.names {
			st := "ok"
			if err := m.check(n); err != nil {
				st = err.Error()
			}
			m.status[n] = st
		}
	}
}

// ServeHTTP writes the last known status of every service.
func (m *Monitor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for name, st := range m.status {
		fmt.Fprintf(w, "%s: %s\n", name, st)
	}
}
