package cache

import "sync"

// Cache is an in-memory byte cache with hit/miss accounting.
type Cache struct {
	mu     sync.Mutex
	items  map[string][]byte
	hits   int
	misses int
}

// New returns an empty cache.
func New() *Cache {
	return &Cache{items: make(map[string][]byte)}
}

// Get returns the value stored under key.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return v, ok
}

// Put stores v under key.
func (c *Cache) Put(key string, v []byte) {
	c.mu.Lock()
	c.items[key] = v
	c.mu.Unlock()
}

// Stats returns the hit and miss counters.
func (c *Cache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// ResetStats zeroes the hit and miss counters. The admin endpoint calls it
// while the cache is serving traffic.
func (c *Cache) ResetStats() {
	c.hits = 0
	c.misses = 0
}
