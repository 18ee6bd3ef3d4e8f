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
	stop  chan struct{}
}

// New returns a cache whose entries expire after ttl and are swept every sweep.
func New(ttl, sweep time.Duration) *Cache {
	c := &Cache{items: make(map[string]item), ttl: ttl, stop: make(chan struct{})}
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
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case now := <-t.C:
			c.deleteExpired(now)
		}
	}
}

// Close stops the background sweeper.
func (c *Cache) Close() {
	close(c.stop)
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
