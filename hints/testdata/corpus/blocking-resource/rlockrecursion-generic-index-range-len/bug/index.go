package index

import "sync"

// Index is a concurrent map from keys to values.
type Index[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// New returns an empty index.
func New[K comparable, V any]() *Index[K, V] {
	return &Index[K, V]{m: make(map[K]V)}
}

// Set stores v under k.
func (idx *Index[K, V]) Set(k K, v V) {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	idx.m[k] = v
}

// Len returns the number of entries.
func (idx *Index[K, V]) Len() int {
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	return len(idx.m)
}

// Range calls fn for each entry while holding the read lock. It stops
// when fn returns false.
func (idx *Index[K, V]) Range(fn func(K, V) bool) {
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	for k, v := range idx.m {
		if !fn(k, v) {
			return
		}
	}
}
