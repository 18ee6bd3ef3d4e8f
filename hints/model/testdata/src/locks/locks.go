package locks

import "sync"

type Store struct {
	mu    sync.RWMutex
	data  map[string]int
	inner *Inner
}

type Inner struct {
	sync.Mutex
	n int
}

func (s *Store) Get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.getLocked(k)
}

// getLocked is only called with s.mu held.
func (s *Store) getLocked(k string) int {
	return s.data[k]
}

func (s *Store) Put(k string, v int) {
	s.mu.Lock()
	s.data[k] = v
	s.inner.Lock()
	s.inner.n++
	s.inner.Unlock()
	s.mu.Unlock()
}

// lockAll returns with both locks held.
func (s *Store) lockAll() {
	s.mu.Lock()
	s.inner.Lock()
}

func (s *Store) unlockAll() {
	s.inner.Unlock()
	s.mu.Unlock()
}

func (s *Store) Reset() {
	s.lockAll()
	s.data = nil
	s.unlockAll()
	s.data = map[string]int{}
}

func Helper(l sync.Locker, f func()) {
	l.Lock()
	defer l.Unlock()
	f()
}

func (s *Store) Visit() {
	Helper(&s.mu, func() {
		s.inner.Lock()
		s.inner.n = 0
		s.inner.Unlock()
	})
}

func (s *Store) Try() bool {
	if !s.inner.TryLock() {
		return false
	}
	s.inner.n++
	s.inner.Unlock()
	return true
}

func (s *Store) Spawn() {
	s.mu.Lock()
	go func() {
		s.inner.Lock()
		s.inner.Unlock()
	}()
	s.mu.Unlock()
}

func Pick(a, b *Store, first bool) {
	x := a
	if !first {
		x = b
	}
	x.mu.Lock()
	x.mu.Unlock()
}
