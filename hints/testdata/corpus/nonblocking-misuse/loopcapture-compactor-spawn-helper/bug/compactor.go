//go:build go1.21

package compactor

import "sync"

// Shard is a compactable unit of storage.
type Shard interface {
	Compact() (freed int)
}

// Compactor compacts shards in the background.
type Compactor struct {
	wg sync.WaitGroup

	mu    sync.Mutex
	freed map[int]int
}

// New returns a compactor.
func New() *Compactor {
	return &Compactor{freed: make(map[int]int)}
}

// spawn runs fn in a tracked goroutine.
func (c *Compactor) spawn(fn func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		fn()
	}()
}

func (c *Compactor) record(shard, freed int) {
	c.mu.Lock()
	c.freed[shard] += freed
	c.mu.Unlock()
}

// CompactAll compacts every shard concurrently and waits for them.
func (c *Compactor) CompactAll(shards []Shard) {
	for i, sh := range shards {
		c.spawn(func() {
			n := sh.Compact()
			c.record(i, n)
		})
	}
	c.wg.Wait()
}
