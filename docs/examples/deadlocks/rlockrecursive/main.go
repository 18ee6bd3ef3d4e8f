// Command rlockrecursive is wrong: Total holds a read lock and calls Count,
// which takes the read lock again. When a writer arrives in between, the
// second RLock waits for the writer, and the writer for the first RLock.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Inventory struct {
	mu    sync.RWMutex
	items map[string]int
}

func (inv *Inventory) Count(name string) int {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	return inv.items[name]
}

func (inv *Inventory) Total(names ...string) int {
	inv.mu.RLock()
	defer inv.mu.RUnlock()
	total := 0
	for _, n := range names {
		time.Sleep(10 * time.Millisecond) // a writer arrives meanwhile
		total += inv.Count(n)             // recursive RLock
	}
	return total
}

func main() {
	inv := &Inventory{items: map[string]int{"a": 1, "b": 2}}
	go func() {
		time.Sleep(5 * time.Millisecond)
		inv.mu.Lock() // waits for Total's read lock, and blocks new readers
		inv.items["c"] = 3
		inv.mu.Unlock()
	}()
	fmt.Println(inv.Total("a", "b")) // fatal error: all goroutines are asleep - deadlock!
}
