package kvstore

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
)

// Store persists JSON documents as files in a directory.
type Store struct {
	mu      sync.Mutex
	dir     string
	version map[string]int
}

// Open returns a store rooted at dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Store{dir: dir, version: make(map[string]int)}, nil
}

// Save writes v under key and bumps its version.
func (s *Store) Save(key string, v any) error {
	s.mu.Lock()
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, key+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		s.mu.Unlock()
		return err
	}
	err = os.Rename(tmp, filepath.Join(s.dir, key+".json"))
	if err == nil {
		s.version[key]++
	}
	s.mu.Unlock()
	return err
}

// Version returns how many times key has been saved.
func (s *Store) Version(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version[key]
}
