// Command config publishes an immutable configuration through an
// atomic.Pointer: readers never lock, and a writer swaps in a new value.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Config struct {
	Limit   int
	Servers []string
}

var current atomic.Pointer[Config]

// update builds a new Config and swaps it in; the old one is never modified,
// so readers holding it stay consistent.
func update(limit int) {
	for {
		old := current.Load()
		next := &Config{Limit: limit, Servers: old.Servers}
		if current.CompareAndSwap(old, next) {
			return
		}
	}
}

func main() {
	current.Store(&Config{Limit: 10, Servers: []string{"a", "b"}})

	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			c := current.Load() // a consistent snapshot
			_ = c.Limit + len(c.Servers)
		})
	}
	wg.Go(func() { update(20) })
	wg.Wait()

	fmt.Println(current.Load().Limit) // 20
}
