package cache

import (
	"sync"
	"time"
)

// Loader fetches the current value for a key from the backing store.
type Loader func(key string) (string, error)

type entry struct {
	value   string
	expires time.Time
}

// Cache is a read-through cache with a fixed TTL.
type Cache struct {
	mu      sync.Mutex
	entries map[string]entry
	load    Loader
	ttl     time.Duration
}

// New returns an empty cache backed by load.
func New(load Loader, ttl time.Duration) *Cache {
	return &Cache{entries: make(map[string]entry), load: load, ttl: ttl}
}

// Get returns the cached value for key, refreshing it when it has expired.
func (c *Cache) Get(key string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && time.Now().Before(e.expires) {
		return e.value, nil
	}
	return c.refresh(key)
}

func (c *Cache) refresh(key string) (string, error) {
	v, err := c.load(key)
	if err != nil {
		return "", err
	}
	c.storeLocked(key, v)
	return v, nil
}

// storeLocked records value under key. c.mu must be held.
func (c *Cache) storeLocked(key, value string) {
	c.entries[key] = entry{value: value, expires: time.Now().Add(c.ttl)}
}

// Set stores value under key.
func (c *Cache) Set(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.storeLocked(key, value)
}
