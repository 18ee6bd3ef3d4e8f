package main

import (
	"fmt"
	"sync"
)

type Cache struct {
	mu      sync.Mutex
	entries map[string]string
	load    func(string) string
}

// Right: the helpers called with c.mu held expect it held, and say so.
func (c *Cache) Get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.entries[key]; ok {
		return v
	}
	return c.refreshLocked(key)
}

func (c *Cache) refreshLocked(key string) string {
	v := c.load(key)
	c.storeLocked(key, v)
	return v
}

// storeLocked stores v. c.mu must be held.
func (c *Cache) storeLocked(key, v string) {
	c.entries[key] = v
}

// Set locks for callers outside the package.
func (c *Cache) Set(key, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.storeLocked(key, v)
}

func main() {
	c := &Cache{entries: map[string]string{}, load: func(k string) string { return k + "!" }}
	c.Set("b", "bee")
	fmt.Println(c.Get("a"), c.Get("b")) // a! bee
}
