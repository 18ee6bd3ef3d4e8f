package main

import (
	"fmt"
	"maps"
	"sync"
)

type Crawler struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	status map[string]int
}

func (c *Crawler) Start(urls []string) {
	for _, u := range urls {
		c.wg.Add(1)
		go c.fetch(u)
	}
}

func (c *Crawler) fetch(u string) {
	defer c.wg.Done()
	code := len(u) // stands for an HTTP request
	c.mu.Lock()
	c.status[u] = code
	c.mu.Unlock()
}

// Right: wait first, then lock to read what the goroutines recorded.
func (c *Crawler) Wait() map[string]int {
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.status)
}

func main() {
	c := &Crawler{status: map[string]int{}}
	c.Start([]string{"a", "bb"})
	fmt.Println(c.Wait()) // map[a:1 bb:2]
}
