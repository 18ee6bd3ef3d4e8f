package config

import (
	"os"
	"sync"
	"time"
)

// Store serves the contents of a config file, reloading it when it gets old.
type Store struct {
	path   string
	maxAge time.Duration

	mu       sync.RWMutex
	data     []byte
	loadedAt time.Time
}

// NewStore returns a store for the file at path.
func NewStore(path string, maxAge time.Duration) *Store {
	return &Store{path: path, maxAge: maxAge}
}

// Value returns the current file contents.
func (s *Store) Value() ([]byte, error) {
	s.mu.RLock()
	if time.Since(s.loadedAt) < s.maxAge {
		data := s.data
		s.mu.RUnlock()
		return data, nil
	}
	s.mu.RUnlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.loadedAt) < s.maxAge {
		return s.data, nil
	}
	if err := s.reloadLocked(); err != nil {
		return nil, err
	}
	return s.data, nil
}

func (s *Store) reloadLocked() error {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return err
	}
	s.data = data
	s.loadedAt = time.Now()
	return nil
}
