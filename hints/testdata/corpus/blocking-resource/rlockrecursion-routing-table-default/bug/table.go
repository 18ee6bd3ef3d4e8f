package router

import (
	"net/netip"
	"sync"
)

// Route sends matching traffic to a next hop.
type Route struct {
	Prefix  netip.Prefix
	NextHop netip.Addr
}

// Table is a routing table that is read far more often than it is updated.
type Table struct {
	mu     sync.RWMutex
	routes []Route
	dflt   *Route
}

// Update replaces the routing table.
func (t *Table) Update(routes []Route, dflt *Route) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes = routes
	t.dflt = dflt
}

// Lookup returns the next hop for addr, falling back to the default route.
func (t *Table) Lookup(addr netip.Addr) (netip.Addr, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	best := -1
	for i, r := range t.routes {
		if r.Prefix.Contains(addr) && (best < 0 || r.Prefix.Bits() > t.routes[best].Prefix.Bits()) {
			best = i
		}
	}
	if best >= 0 {
		return t.routes[best].NextHop, true
	}
	return t.defaultRoute()
}

func (t *Table) defaultRoute() (netip.Addr, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.dflt == nil {
		return netip.Addr{}, false
	}
	return t.dflt.NextHop, true
}
