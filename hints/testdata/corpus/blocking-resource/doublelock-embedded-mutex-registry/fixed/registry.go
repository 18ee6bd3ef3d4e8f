package registry

import (
	"errors"
	"sync"
	"time"
)

// Instance is one registered endpoint of a service.
type Instance struct {
	Name     string
	Addr     string
	LastSeen time.Time
}

// Registry tracks live service instances by name.
type Registry struct {
	sync.Mutex
	instances map[string]*Instance
	staleAge  time.Duration
}

// NewRegistry returns an empty registry.
func NewRegistry(staleAge time.Duration) *Registry {
	return &Registry{instances: make(map[string]*Instance), staleAge: staleAge}
}

// Register adds inst, replacing a previous instance that stopped heartbeating.
func (r *Registry) Register(inst *Instance) error {
	r.Lock()
	defer r.Unlock()
	if old, ok := r.instances[inst.Name]; ok {
		if time.Since(old.LastSeen) < r.staleAge {
			return errors.New("registry: instance already registered: " + inst.Name)
		}
		delete(r.instances, old.Name)
	}
	inst.LastSeen = time.Now()
	r.instances[inst.Name] = inst
	return nil
}

// Deregister removes the instance with the given name.
func (r *Registry) Deregister(name string) {
	r.Lock()
	defer r.Unlock()
	delete(r.instances, name)
}

// Lookup returns the address registered for name.
func (r *Registry) Lookup(name string) (string, bool) {
	r.Lock()
	defer r.Unlock()
	inst, ok := r.instances[name]
	if !ok {
		return "", false
	}
	return inst.Addr, true
}
