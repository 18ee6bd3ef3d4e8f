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
	v, ok := c.items[key]
	if !ok {
		return "", false // c.mu is still locked
	}
	c.mu.Unlock()
	return v, true
}

// Wrong: the first Get of a missing key leaves c.mu locked, and the second
// Get blocks forever.
func main() {
	c := Cache{items: map[string]string{"a": "1"}}
	fmt.Println(c.Get("b"))
	fmt.Println(c.Get("a")) // blocks forever
}
