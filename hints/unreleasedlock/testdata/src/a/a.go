package a

import (
	"errors"
	"log"
	"os"
	"sync"
)

var errMissing = errors.New("missing")

type Cache struct {
	mu    sync.Mutex
	items map[string]int
}

// Flagged: an early return leaves c.mu locked.
func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock() // want `c.mu is locked here but not unlocked on the path that returns at line 22`
	v, ok := c.items[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

// Not flagged: deferred unlock.
func (c *Cache) GetDeferred(k string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	if !ok {
		return 0, errMissing
	}
	return v, nil
}

// Not flagged: unlocked on every path.
func (c *Cache) GetAllPaths(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

type Registry struct {
	sync.RWMutex
	names []string
}

// Flagged: embedded RWMutex, read lock leaked on the empty path.
func (r *Registry) First() string {
	r.RLock() // want `r is locked here but not unlocked on the path that returns at line 60`
	if len(r.names) == 0 {
		return ""
	}
	n := r.names[0]
	r.RUnlock()
	return n
}

// Not flagged: lock helper, held on every return.
func (r *Registry) lockNames() []string {
	r.Lock()
	return r.names
}

// Not flagged: the name says the caller unlocks.
func (c *Cache) lockIfPresent(k string) bool {
	c.mu.Lock()
	if _, ok := c.items[k]; !ok {
		c.mu.Unlock()
		return false
	}
	return true
}

// Not flagged: conditional helper, held exactly when it reports success.
func (c *Cache) acquireOpen() error {
	c.mu.Lock()
	if c.items == nil {
		c.mu.Unlock()
		return errMissing
	}
	return nil
}

// Not flagged: released by an unlock helper of the package.
func (c *Cache) Len() int {
	c.mu.Lock()
	if c.items == nil {
		c.release()
		return 0
	}
	n := len(c.items)
	c.release()
	return n
}

func (c *Cache) release() { c.mu.Unlock() }

// Not flagged: the goroutine it starts unlocks.
func (c *Cache) Handoff(done chan struct{}) {
	c.mu.Lock()
	if done == nil {
		c.mu.Unlock()
		return
	}
	go func() {
		defer c.mu.Unlock()
		<-done
	}()
}

// Not flagged: correlated condition.
func (c *Cache) Maybe(lock bool) int {
	if lock {
		c.mu.Lock()
	}
	n := len(c.items)
	if lock {
		c.mu.Unlock()
	}
	return n
}

// Not flagged: the other exit never returns.
func (c *Cache) MustGet(k string) int {
	c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		log.Fatalf("missing %s", k)
	}
	if v < 0 {
		os.Exit(2)
	}
	c.mu.Unlock()
	return v
}

// Flagged: a continue skips the unlock.
func (c *Cache) Sum(keys []string) int {
	total := 0
	for _, k := range keys {
		c.mu.Lock() // want "c.mu is locked in a loop but the path where .!ok. is true \\(line 152\\) goes around without unlocking it: the next iteration's Lock blocks forever"
		v, ok := c.items[k]
		if !ok {
			continue
		}
		c.mu.Unlock()
		total += v
	}
	return total
}

var mu sync.Mutex
var count int

// Flagged: package-level mutex, error path.
func Incr(limit int) error {
	mu.Lock() // want `mu is locked here but not unlocked on the path that returns at line 168`
	if count >= limit {
		return errors.New("limit")
	}
	count++
	mu.Unlock()
	return nil
}

// Not flagged: TryLock.
func TryIncr() bool {
	if !mu.TryLock() {
		return false
	}
	count++
	mu.Unlock()
	return true
}

// Not flagged: unlock through a method value.
func Reset() {
	mu.Lock()
	unlock := mu.Unlock
	defer unlock()
	if count == 0 {
		return
	}
	count = 0
}

// Not flagged: a panic path.
func MustReset() {
	mu.Lock()
	if count < 0 {
		panic("negative")
	}
	count = 0
	mu.Unlock()
}

var table struct {
	sync.Mutex
	rows []int
}

// Not flagged: the same comparison guards the lock and the unlock.
func Rows(base int) []int {
	var out []int
	if base == 10 {
		table.Lock()
		out = table.rows
	}
	out = append(out, base)
	if base == 10 {
		table.Unlock()
	}
	return out
}

type Scanner struct {
	mu   sync.RWMutex
	hold bool
	buf  []byte
}

// Not flagged: the lock is kept on purpose on one path through a shared
// return, and the fact is recorded in a field.
func (s *Scanner) Scan(raw bool) error {
	if s.hold {
		return errors.New("scan called twice")
	}
	s.mu.RLock()
	s.buf = s.buf[:0]
	if raw {
		s.hold = true
	} else {
		s.mu.RUnlock()
	}
	return nil
}

// Not flagged: a lock taken in a loop and released by another goroutine.
func Relay(l sync.Locker, n int, ready chan<- bool) {
	go func() {
		for i := 0; i < n; i++ {
			l.Lock()
			ready <- true
		}
	}()
}

// Flagged: the path that falls off the end keeps the lock; the message says
// so rather than citing a return statement that is not there.
func (c *Cache) Bump(k string) {
	c.mu.Lock() // want `c.mu is locked here but not unlocked on the path that returns at the end of the function \(line 266\)`
	if _, ok := c.items[k]; !ok {
		c.mu.Unlock()
		return
	}
	c.items[k]++
}

type RCache struct {
	mu    sync.RWMutex
	items map[string]int
}

// Flagged: break leaves the loop, and the function, still holding c.mu.
func (c *RCache) Prefix(keys []string) int {
	n := 0
	for _, k := range keys {
		c.mu.RLock() // want "c.mu is read-locked in a loop, but the path where .k == \"\". is true \\(line 278\\) leaves the loop with it held and the function returns at line 284 without unlocking it: the next Lock blocks forever"
		if k == "" {
			break
		}
		n += c.items[k]
		c.mu.RUnlock()
	}
	return n
}

// Not flagged: the break path unlocks first.
func (c *RCache) PrefixUnlocked(keys []string) int {
	n := 0
	for _, k := range keys {
		c.mu.RLock()
		if k == "" {
			c.mu.RUnlock()
			break
		}
		n += c.items[k]
		c.mu.RUnlock()
	}
	return n
}
