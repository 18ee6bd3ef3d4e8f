// Command rwmutex guards a read-mostly table with a sync.RWMutex: lookups
// share the lock, updates take it alone.
package main

import (
	"fmt"
	"sync"
)

type Routes struct {
	mu     sync.RWMutex
	routes map[string]string
}

func (r *Routes) Lookup(path string) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	backend, ok := r.routes[path]
	return backend, ok
}

func (r *Routes) Set(path, backend string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.routes[path] = backend
}

func main() {
	r := &Routes{routes: map[string]string{"/": "web-1"}}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				r.Lookup("/") // readers run in parallel
			}
		})
	}
	wg.Go(func() { r.Set("/api", "api-1") })
	wg.Wait()

	fmt.Println(r.Lookup("/api"))
}
