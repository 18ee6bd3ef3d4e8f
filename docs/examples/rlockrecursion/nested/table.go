package main

import (
	"fmt"
	"sync"
)

type Table struct {
	mu     sync.RWMutex
	routes map[string]string
	dflt   string
}

func (t *Table) Update(prefix, hop string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[prefix] = hop
}

// Wrong: Lookup read-locks t.mu and calls defaultRoute, which read-locks it
// again. A writer waiting in Update between the two blocks the second RLock.
func (t *Table) Lookup(prefix string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if hop, ok := t.routes[prefix]; ok {
		return hop
	}
	return t.defaultRoute()
}

func (t *Table) defaultRoute() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.dflt
}

func main() {
	t := &Table{routes: map[string]string{}, dflt: "gw"}
	t.Update("10.0.0.0/8", "r1")
	fmt.Println(t.Lookup("10.0.0.0/8"), t.Lookup("0.0.0.0/0"))
}
