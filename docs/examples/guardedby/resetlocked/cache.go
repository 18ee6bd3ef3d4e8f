package main

import (
	"fmt"
	"sync"
)

type Cache struct {
	mu     sync.Mutex
	items  map[string]string
	hits   int
	misses int
}

func (c *Cache) Get(k string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return v, ok
}

func (c *Cache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Right: the reset takes the lock like every other access.
func (c *Cache) ResetStats() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits = 0
	c.misses = 0
}

func main() {
	c := &Cache{items: map[string]string{"a": "1"}}
	var wg sync.WaitGroup
	wg.Go(func() { c.Get("a") })
	wg.Go(c.ResetStats)
	wg.Wait()
	fmt.Println(c.Stats())
}
