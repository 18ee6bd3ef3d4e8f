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

// Wrong: Get holds c.mu and, on a miss, calls refresh, which calls store,
// which locks c.mu again.
func (c *Cache) Get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.entries[key]; ok {
		return v
	}
	return c.refresh(key)
}

func (c *Cache) refresh(key string) string {
	v := c.load(key)
	c.store(key, v)
	return v
}

func (c *Cache) store(key, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = v
}

func main() {
	c := &Cache{entries: map[string]string{}, load: func(k string) string { return k + "!" }}
	fmt.Println(c.Get("a")) // fatal error: all goroutines are asleep - deadlock!
}
