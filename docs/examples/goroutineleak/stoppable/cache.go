package main

import (
	"fmt"
	"sync"
	"time"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]time.Time
	quit  chan struct{}
}

// Right: the janitor returns when Close closes quit.
func NewCache() *Cache {
	c := &Cache{items: map[string]time.Time{}, quit: make(chan struct{})}
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.evict()
			case <-c.quit:
				return
			}
		}
	}()
	return c
}

func (c *Cache) Close() { close(c.quit) }

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
		c.Close()
	}
}
