package state

import "sync"

// Update describes a change of one key.
type Update struct {
	Key      string
	Old, New string
}

// Machine holds key/value state and feeds every change to an observer
// goroutine that keeps the change history.
type Machine struct {
	mu      sync.RWMutex
	state   map[string]string
	history []Update
	updates chan Update
	done    chan struct{}
}

// NewMachine starts the observer.
func NewMachine() *Machine {
	m := &Machine{state: make(map[string]string), updates: make(chan Update), done: make(chan struct{})}
	go m.observe()
	return m
}

func (m *Machine) observe() {
	defer close(m.done)
	for u := range m.updates {
		m.mu.Lock()
		m.history = append(m.history, u)
		m.mu.Unlock()
	}
}

// Set changes key and records the change.
func (m *Machine) Set(key, value string) {
	m.mu.Lock()
	old := m.state[key]
	m.state[key] = value
	m.mu.Unlock()
	m.updates <- Update{Key: key, Old: old, New: value}
}

// Announce records the current value of key again, e.g. after a resync.
func (m *Machine) Announce(key string) {
	m.mu.RLock()
	v := m.state[key]
	m.mu.RUnlock()
	m.updates <- Update{Key: key, Old: v, New: v}
}

// Close stops the observer. Set and Announce must not be called afterwards.
func (m *Machine) Close() {
	close(m.updates)
	<-m.done
}
