package inventory

import (
	"sync"
	"time"
)

// Host is a machine in the fleet.
type Host struct {
	Name string
	Addr string
}

// Inventory serves the current host list while a new one is loading.
type Inventory struct {
	mu    sync.RWMutex
	hosts []Host
}

// Hosts returns the current host list.
func (inv *Inventory) Hosts() []Host {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	return inv.hosts
}

// Refresh loads a new host list and installs it, logging while it waits.
func (inv *Inventory) Refresh(load func() ([]Host, error), logf func(string, ...any)) error {
	var hosts []Host
	var err error
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		hosts, err = load()
	}()

	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			if err != nil {
				return err
			}
			inv.mu.Lock()
			inv.hosts = hosts
			inv.mu.Unlock()
			return nil
		case <-t.C:
			logf("inventory: still loading after %v", time.Since(start).Round(time.Second))
		}
	}
}
