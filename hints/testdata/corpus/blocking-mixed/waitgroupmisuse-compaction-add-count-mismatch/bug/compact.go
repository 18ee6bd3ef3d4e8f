package tsdb

import (
	"sync"
)

type shard struct {
	mu       sync.Mutex
	name     string
	segments [][]byte
}

func (sh *shard) size() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	n := 0
	for _, s := range sh.segments {
		n += len(s)
	}
	return n
}

func (sh *shard) compact() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var merged []byte
	for _, s := range sh.segments {
		merged = append(merged, s...)
	}
	sh.segments = [][]byte{merged}
}

// Store is a set of shards that are compacted together.
type Store struct {
	shards     []*shard
	minCompact int
}

// CompactAll compacts every shard that is big enough, concurrently.
func (s *Store) CompactAll() {
	var wg sync.WaitGroup
	wg.Add(len(s.shards))
	for _, sh := range s.shards {
		if sh.size() < s.minCompact {
			continue
		}
		go func() {
			defer wg.Done()
			sh.compact()
		}()
	}
	wg.Wait()
}
