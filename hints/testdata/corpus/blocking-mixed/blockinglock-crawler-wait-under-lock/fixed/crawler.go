package crawler

import (
	"maps"
	"net/http"
	"sync"
)

// Crawler checks the status of many URLs concurrently.
type Crawler struct {
	client *http.Client
	wg     sync.WaitGroup

	mu      sync.Mutex
	status  map[string]int
	running bool
}

// New returns a crawler using client.
func New(client *http.Client) *Crawler {
	return &Crawler{client: client, status: make(map[string]int)}
}

// Start checks every URL in the background.
func (c *Crawler) Start(urls []string) {
	c.mu.Lock()
	c.running = true
	c.mu.Unlock()
	for _, u := range urls {
		c.wg.Add(1)
		go c.fetch(u)
	}
}

func (c *Crawler) fetch(u string) {
	defer c.wg.Done()
	code := 0
	if resp, err := c.client.Head(u); err == nil {
		code = resp.StatusCode
		resp.Body.Close()
	}
	c.mu.Lock()
	c.status[u] = code
	c.mu.Unlock()
}

// Wait blocks until every check has finished and returns the status codes.
func (c *Crawler) Wait() map[string]int {
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = false
	return maps.Clone(c.status)
}
