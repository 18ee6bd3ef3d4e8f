package main

import (
	"fmt"
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

// Wrong: Wait holds c.mu while waiting for fetch goroutines that must lock
// c.mu before they can call Done.
func (c *Crawler) Wait() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Wait()
	return c.status
}

func main() {
	c := &Crawler{status: map[string]int{}}
	c.Start([]string{"a", "bb"})
	fmt.Println(c.Wait()) // may never return
}
