package resolver

import (
	"fmt"
	"net/netip"
	"sync"
	"time"
)

// Resolver resolves host names with a per-lookup timeout and falls back to
// the last good answer.
type Resolver struct {
	lookup  func(host string) ([]netip.Addr, error)
	timeout time.Duration

	mu   sync.Mutex
	last map[string][]netip.Addr
}

// New returns a resolver using lookup.
func New(lookup func(string) ([]netip.Addr, error), timeout time.Duration) *Resolver {
	return &Resolver{lookup: lookup, timeout: timeout, last: make(map[string][]netip.Addr)}
}

// Resolve returns the addresses of host.
func (r *Resolver) Resolve(host string) ([]netip.Addr, error) {
	type answer struct {
		addrs []netip.Addr
		err   error
	}
	ch := make(chan answer, 1)
	go func() {
		addrs, err := r.lookup(host)
		ch <- answer{addrs, err}
	}()
	select {
	case a := <-ch:
		if a.err == nil {
			r.mu.Lock()
			r.last[host] = a.addrs
			r.mu.Unlock()
		}
		return a.addrs, a.err
	case <-time.After(r.timeout):
		r.mu.Lock()
		addrs, ok := r.last[host]
		r.mu.Unlock()
		if ok {
			return addrs, nil
		}
		return nil, fmt.Errorf("resolve %s: timed out after %v", host, r.timeout)
	}
}
