package snapshot

import "sync"

// Store holds the latest published snapshot. Readers can block until a
// newer version appears.
type Store struct {
	mu      sync.RWMutex
	changed *sync.Cond
	version uint64
	data    []byte
}

// NewStore returns an empty store at version 0.
func NewStore() *Store {
	s := &Store{}
	s.changed = sync.NewCond(&s.mu)
	return s
}

// Publish installs data as the next version.
func (s *Store) Publish(data []byte) uint64 {
	s.mu.Lock()
	s.version++
	s.data = data
	v := s.version
	s.mu.Unlock()
	s.changed.Broadcast()
	return v
}

// Latest returns the current version and data.
func (s *Store) Latest() (uint64, []byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version, s.data
}

// WaitNewer blocks until a version newer than v is published.
func (s *Store) WaitNewer(v uint64) (uint64, []byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for s.version <= v {
		s.changed.Wait()
	}
	return s.version, s.data
}
