package linkcheck

import "sync"

// Checker follows links from a start page and collects broken pages.
type Checker struct {
	fetch func(url string) (links []string, err error)
	seen  map[string]bool
	wg    sync.WaitGroup

	mu     sync.Mutex
	broken []string
}

// New returns a checker using fetch.
func New(fetch func(string) ([]string, error)) *Checker {
	return &Checker{fetch: fetch, seen: make(map[string]bool)}
}

func (c *Checker) visit(url string, depth int) {
	defer c.wg.Done()
	c.mu.Lock()
	if depth == 0 || c.seen[url] {
		c.mu.Unlock()
		return
	}
	c.seen[url] = true
	c.mu.Unlock()
	links, err := c.fetch(url)
	if err != nil {
		c.mu.Lock()
		c.broken = append(c.broken, url)
		c.mu.Unlock()
		return
	}
	for _, l := range links {
		c.wg.Add(1)
		go c.visit(l, depth-1)
	}
}

// Run checks every page reachable from start within depth links.
func (c *Checker) Run(start string, depth int) []string {
	c.wg.Add(1)
	go c.visit(start, depth)
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken
}
