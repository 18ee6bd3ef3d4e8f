package a

import (
	"sync"
	"time"
)

type entry struct {
	value   string
	expires time.Time
}

// Cache reaches its lock again through a chain of calls.
type Cache struct {
	mu      sync.Mutex
	entries map[string]entry
	load    func(string) (string, error)
}

func (c *Cache) Get(key string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && time.Now().Before(e.expires) {
		return e.value, nil
	}
	return c.refresh(key)
}

func (c *Cache) refresh(key string) (string, error) {
	v, err := c.load(key)
	if err != nil {
		return "", err
	}
	c.store(key, v)
	return v, nil
}

func (c *Cache) store(key, value string) {
	c.mu.Lock() // want `Lock of c.mu blocks forever: c.mu is held by \(\*Cache\).Get since line 21, which calls c.refresh \(line 26\) → c.store \(line 34\)`
	defer c.mu.Unlock()
	c.entries[key] = entry{value: value, expires: time.Now().Add(time.Minute)}
}

// Set takes the lock once: fine.
func (c *Cache) Set(key, value string) {
	c.store(key, value)
}

// Counter locks twice in one function.
type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Add(d int) {
	c.mu.Lock()
	c.n += d
	if c.n > 100 {
		c.mu.Lock() // want `second Lock of c\.mu blocks forever: already held since line 56`
		c.n = 0
	}
	c.mu.Unlock()
}

// Registry embeds its mutex.
type Registry struct {
	sync.Mutex
	names map[string]bool
}

func (r *Registry) Register(name string) {
	r.Lock()
	defer r.Unlock()
	if r.names[name] {
		r.Deregister(name)
	}
	r.names[name] = true
}

func (r *Registry) Deregister(name string) {
	r.Lock() // want `Lock of r blocks forever: r is held by \(\*Registry\)\.Register since line 72, which calls r\.Deregister \(line 75\)`
	defer r.Unlock()
	delete(r.names, name)
}

// Server calls a closure that locks again.
type Server struct {
	mu     sync.Mutex
	counts map[string]int
	total  int
}

func (s *Server) Flush() int {
	report := func() int {
		s.mu.Lock() // want `Lock of s.mu blocks forever: s.mu is held by \(\*Server\).Flush since line 99, which calls report \(line 101\)`
		defer s.mu.Unlock()
		return len(s.counts)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total += report()
	return s.total
}

// Scheduler passes its mutex as a sync.Locker to a helper that runs a
// callback with it held.
type Scheduler struct {
	mu   sync.Mutex
	jobs []int
}

func withLock(l sync.Locker, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

func (s *Scheduler) Due() {
	withLock(&s.mu, func() {
		for _, j := range s.jobs {
			if j > 0 {
				s.reschedule(j)
			}
		}
	})
}

func (s *Scheduler) reschedule(j int) {
	s.mu.Lock() // want `Lock of s\.mu blocks forever: s\.mu is held by \(\*Scheduler\)\.Due since line 119, which calls withLock \(line 119\) → fn \(line 115\) → s\.reschedule \(line 122\)`
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, j)
}

// Add uses the helper once: fine.
func (s *Scheduler) Add(j int) {
	withLock(&s.mu, func() { s.jobs = append(s.jobs, j) })
}

// Config upgrades a read lock.
type Config struct {
	mu   sync.RWMutex
	data []byte
	age  int
}

func (c *Config) Value() []byte {
	c.mu.RLock()
	if c.age < 10 {
		d := c.data
		c.mu.RUnlock()
		return d
	}
	c.mu.Lock() // want `Lock of c\.mu blocks forever: this goroutine holds its read lock since line 147, and Lock waits for every reader to leave`
	c.data = nil
	c.mu.Unlock()
	c.mu.RUnlock()
	return nil
}

func (c *Config) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.age = 0
	if c.Len() > 0 {
		c.data = nil
	}
}

func (c *Config) Len() int {
	c.mu.RLock() // want `RLock of c\.mu blocks forever: c\.mu is held by \(\*Config\)\.Reset since line 161, which calls c\.Len \(line 164\)`
	defer c.mu.RUnlock()
	return len(c.data)
}

// Store has a lock helper that returns with the lock held.
type Store struct {
	mu   sync.Mutex
	data map[string]int
}

func (s *Store) lock() { s.mu.Lock() }

func (s *Store) unlock() { s.mu.Unlock() }

func (s *Store) Bump(k string) {
	s.lock()
	s.data[k]++
	s.mu.Lock() // want `second Lock of s\.mu blocks forever: already held since line 186`
	s.unlock()
}

var (
	mu      sync.Mutex
	drivers = map[string]int{}
)

func lookup(name string) int {
	mu.Lock() // want `Lock of mu blocks forever: mu is held by Register since line 204, which calls lookup \(line 206\)`
	defer mu.Unlock()
	return drivers[name]
}

func Register(name string) {
	mu.Lock()
	defer mu.Unlock()
	if lookup(name) == 0 {
		drivers[name] = 1
	}
}

// Each loop iteration calls a method that locks again.
func (c *Counter) SumAll(xs []int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range xs {
		c.addLocked(x)
		if x < 0 {
			c.Reset()
		}
	}
	return c.n
}

func (c *Counter) addLocked(d int) { c.n += d }

func (c *Counter) Reset() {
	c.mu.Lock() // want `Lock of c\.mu blocks forever: c\.mu is held by \(\*Counter\)\.SumAll since line 213, which calls c\.Reset \(line 218\)`
	c.n = 0
	c.mu.Unlock()
}
