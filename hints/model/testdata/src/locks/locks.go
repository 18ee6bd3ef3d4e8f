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

// withLock runs a callback with the helper's lock held: Each's closure
// takes s.inner under s.mu.
func withLock(l sync.Locker, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

func (s *Store) Each() {
	withLock(&s.mu, func() {
		s.inner.Lock()
		s.inner.Unlock()
	})
}

// set locks only when its caller does not hold s.mu: Clear's call does not
// acquire it.
func (s *Store) set(locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.data = nil
}

func (s *Store) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set(true)
}

// waitLocked drops its caller's lock and takes it back: neither releases
// nor returns it.
func (s *Store) waitLocked(ch chan int) {
	s.mu.Unlock()
	<-ch
	s.mu.Lock()
}

func (s *Store) Wait(ch chan int) {
	s.mu.Lock()
	s.waitLocked(ch)
	s.mu.Unlock()
}

// Handle is a value sharing a mutex between copies: Len's lock is the
// caller's.
type Handle struct {
	mu *sync.Mutex
	n  int
}

func (h Handle) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

func (h Handle) Twice() int {
	h.mu.Lock()
	n := h.n
	h.mu.Unlock()
	return n + h.Len()
}

// Box is generic: Swap's call of get reaches the generic body.
type Box[T any] struct {
	mu sync.Mutex
	v  T
}

func (b *Box[T]) get() T { return b.v }

func (b *Box[T]) Swap(v T) T {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := b.get()
	b.v = v
	return old
}

// Node holds its replicas in maps and slices: a lock of one of them is
// named with its index where the source writes it, and described where the
// source names no index (a range loop).
type Node struct {
	mu struct {
		sync.Mutex
		replicas map[int]*Replica
	}
	list []*Replica
}

type Replica struct{ raftMu sync.Mutex }

func (s *Node) LockReplica(id int) {
	s.mu.replicas[id].raftMu.Lock()
	s.mu.replicas[id].raftMu.Unlock()
	s.list[0].raftMu.Lock()
	s.list[0].raftMu.Unlock()
	for _, r := range s.list {
		r.raftMu.Lock()
		r.raftMu.Unlock()
	}
}

// Conn is reached through a local variable: its lock is named as the
// source spells it there (c.mu), while it stays the same object.
type Conn struct{ mu sync.Mutex }

type Client struct{ conn *Conn }

func (cl *Client) Use() {
	c := cl.conn
	c.mu.Lock()
	c.mu.Unlock()
	cl.conn.mu.Lock()
	cl.conn.mu.Unlock()
}
