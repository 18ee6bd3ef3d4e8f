// Command deferunlock shows a cache whose lock is released by defer, so
// every return path, and a panic, unlocks it.
package main

import (
	"fmt"
	"sync"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

func (c *Cache) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	if !ok {
		return "", false
	}
	return v, true
}

func (c *Cache) Put(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = make(map[string]string)
	}
	c.items[key] = value
}

func main() {
	var c Cache
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { c.Put(fmt.Sprint(i), "value") })
	}
	wg.Wait()
	v, ok := c.Get("2")
	fmt.Println(v, ok)
}
