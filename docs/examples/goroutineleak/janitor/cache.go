package main

import (
	"fmt"
	"sync"
	"time"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]time.Time
}

// Wrong: every Cache starts a janitor that never stops, so every cache
// made for a request leaks a goroutine (and the cache it references).
func NewCache() *Cache {
	c := &Cache{items: map[string]time.Time{}}
	go func() {
		for range time.Tick(time.Minute) {
			c.evict()
		}
	}()
	return c
}

func (c *Cache) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, expires := range c.items {
		if time.Now().After(expires) {
			delete(c.items, k)
		}
	}
}

func main() {
	for i := 0; i < 3; i++ { // one cache per request
		c := NewCache()
		fmt.Println(len(c.items))
	}
}
