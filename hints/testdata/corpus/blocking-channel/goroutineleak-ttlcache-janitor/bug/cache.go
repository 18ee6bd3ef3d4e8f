package ttlcache

import (
	"sync"
	"time"
)

type item struct {
	value   any
	expires time.Time
}

// Cache stores values for a fixed time.
type Cache struct {
	mu    sync.Mutex
	items map[string]item
	ttl   time.Duration
}

// New returns a cache whose entries expire after ttl and are swept every sweep.
func New(ttl, sweep time.Duration) *Cache {
	c := &Cache{items: make(map[string]item), ttl: ttl}
	go c.janitor(sweep)
	return c
}

// Set stores v under key.
func (c *Cache) Set(key string, v any) {
	c.mu.Lock()
	c.items[key] = item{value: v, expires: time.Now().Add(c.ttl)}
	c.mu.Unlock()
}

// Get returns the value for key if it has not expired.
func (c *Cache) Get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[key]
	if !ok || time.Now().After(it.expires) {
		return nil, false
	}
	return it.value, true
}

func (c *Cache) janitor(every time.Duration) {
	for {
		time.Sleep(every)
		c.deleteExpired(time.Now())
	}
}

func (c *Cache) deleteExpired(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, it := range c.items {
		if now.After(it.expires) {
			delete(c.items, k)
		}
	}
}
