// Package entry: a plain read and atomic writes that a common lock
// excludes, where the lock is held by the callers of the function that
// writes (goleveldb's cache: CAS on the head under the read lock, Close
// reading it under the write lock).
package entry

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

type node struct{ size int }

type Cache struct {
	mu   sync.RWMutex
	head unsafe.Pointer // *node
}

// NewCache grows the cache before anyone else can see it.
func NewCache() *Cache {
	c := &Cache{head: unsafe.Pointer(&node{size: 1})}
	c.grow()
	return c
}

func (c *Cache) Get() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.grow()
}

func (c *Cache) Delete() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.grow()
}

// grow runs only under the read lock its callers hold, or on a cache
// still being made.
func (c *Cache) grow() int {
	h := (*node)(atomic.LoadPointer(&c.head))
	nh := &node{size: h.size * 2}
	atomic.CompareAndSwapPointer(&c.head, unsafe.Pointer(h), unsafe.Pointer(nh))
	return nh.size
}

// Close holds the write lock: no grow runs meanwhile.
func (c *Cache) Close() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return (*node)(c.head).size
}

// Size holds no lock: grow can swap the head while it reads.
func (c *Cache) Size() int {
	return (*node)(c.head).size // want `c\.head is read here without sync/atomic`
}
