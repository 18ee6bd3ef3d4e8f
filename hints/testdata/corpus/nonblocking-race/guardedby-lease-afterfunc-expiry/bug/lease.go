package lease

import (
	"sync"
	"time"
)

// Lease is a time-limited grant held by one client at a time.
type Lease struct {
	mu      sync.Mutex
	holder  string
	expired bool
	gen     int
	timer   *time.Timer
}

// Grant gives the lease to holder for ttl, replacing any previous grant.
func (l *Lease) Grant(holder string, ttl time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
	l.gen++
	gen := l.gen
	l.holder = holder
	l.expired = false
	l.timer = time.AfterFunc(ttl, func() {
		if l.gen == gen {
			l.expired = true
		}
	})
}

// Holder returns the current holder, or "" if the lease has expired.
func (l *Lease) Holder() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.expired {
		return ""
	}
	return l.holder
}

// Release gives the lease up early.
func (l *Lease) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
	l.expired = true
}
