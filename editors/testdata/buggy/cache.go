package buggy

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

type Cache struct {
	mu    sync.Mutex
	items map[string]int
}

// Get leaves c.mu locked when the key is missing.
func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}
