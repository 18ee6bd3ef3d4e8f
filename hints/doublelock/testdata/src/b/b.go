package b

import (
	"container/list"
	"net"
	"sync"
)

// LRU is generic; Put reaches Remove through evictOldest.
type LRU[K comparable, V any] struct {
	mu    sync.Mutex
	size  int
	order *list.List
	items map[K]*list.Element
}

func (l *LRU[K, V]) Put(key K, value V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items[key] = l.order.PushFront(key)
	if l.order.Len() > l.size {
		l.evictOldest()
	}
}

func (l *LRU[K, V]) evictOldest() {
	if el := l.order.Back(); el != nil {
		l.Remove(el.Value.(K))
	}
}

func (l *LRU[K, V]) Remove(key K) {
	l.mu.Lock() // want `Lock of l.mu blocks forever`
	defer l.mu.Unlock()
	l.removeLocked(key)
}

func (l *LRU[K, V]) removeLocked(key K) {
	if el, ok := l.items[key]; ok {
		l.order.Remove(el)
		delete(l.items, key)
	}
}

// Pool is a value type sharing a *sync.Mutex between copies.
type Pool struct {
	mu   *sync.Mutex
	idle map[string]net.Conn
}

func (p Pool) Len() int {
	p.mu.Lock() // want `Lock of p.mu blocks forever: p.mu is held by \(Pool\).Drain since line 58, which calls p.Len \(line 61\)`
	defer p.mu.Unlock()
	return len(p.idle)
}

func (p Pool) Drain() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for p.Len() > 0 {
		for addr, c := range p.idle {
			c.Close()
			delete(p.idle, addr)
			n++
		}
	}
	return n
}

// Near misses: none of these is reported.

type Account struct {
	mu      sync.Mutex
	balance int
	parent  *Account
	shards  []Account
}

func (a *Account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// Different instances of the same type.
func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	if to.Balance() < 0 { // ok: to may be another account
		return
	}
	from.balance -= n
}

// Parent/child locking on one type.
func (a *Account) Propagate() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.parent != nil {
		a.parent.Balance() // ok: another instance
	}
}

// Released before the call.
func (a *Account) Snapshot() int {
	a.mu.Lock()
	b := a.balance
	a.mu.Unlock()
	return b + a.Balance() // ok
}

// Released by a helper before the call.
func (a *Account) unlock() { a.mu.Unlock() }

func (a *Account) Snapshot2() int {
	a.mu.Lock()
	b := a.balance
	a.unlock()
	return b + a.Balance() // ok
}

// A new goroutine starts with no locks held.
func (a *Account) Async(done chan int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	go func() {
		done <- a.Balance() // ok
	}()
	go a.Balance() // ok
}

// TryLock does not block.
func (a *Account) Try() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mu.TryLock() { // ok
		a.mu.Unlock()
		return true
	}
	return false
}

// Elements of a slice are different locks.
func (a *Account) LockShards() {
	for i := range a.shards {
		a.shards[i].mu.Lock()
	}
	for i := range a.shards {
		a.shards[i].mu.Lock() // ok: unknown which shard
	}
}

// A Locker of unknown dynamic type may be reentrant.
func Twice(l sync.Locker) {
	l.Lock()
	l.Lock() // ok
	l.Unlock()
	l.Unlock()
}

// Two read locks are rlockrecursion's business.
type Table struct {
	mu sync.RWMutex
	m  map[string]int
}

func (t *Table) Get(k string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.m[k]
}

func (t *Table) GetTwo(a, b string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.Get(a) + t.Get(b) // ok here
}

// Unlock and Lock again in a loop.
func (a *Account) Drain(ch chan int) {
	a.mu.Lock()
	for a.balance > 0 {
		a.mu.Unlock()
		<-ch
		a.mu.Lock() // ok
		a.balance--
	}
	a.mu.Unlock()
}

// Locked on one path only.
func (a *Account) Maybe(lock bool) {
	if lock {
		a.mu.Lock()
	}
	a.mu.Lock() // ok: not held on every path
	a.mu.Unlock()
}

// A function value stored in a field is unknown.
type Hooked struct {
	mu       sync.Mutex
	onChange func()
}

func (h *Hooked) Set() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onChange() // ok: unknown
}

// The callee locks only when its caller says it does not hold the lock.
type Conn struct {
	mu    sync.Mutex
	state int
}

func (c *Conn) setState(s int, locked bool) {
	if !locked {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	c.state = s
}

func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setState(0, true) // ok
}

func (c *Conn) Open() {
	c.setState(1, false)
}

// A callback run by a helper after it unlocks.
func afterUnlock(l sync.Locker, fn func()) {
	l.Lock()
	l.Unlock()
	fn()
}

func (c *Conn) Reset() {
	afterUnlock(&c.mu, func() {
		c.mu.Lock() // ok
		c.state = 0
		c.mu.Unlock()
	})
}

// A copy of a value receiver is another mutex (vet's copylocks says so).
type Meter struct {
	mu sync.Mutex
	n  int
}

func (m *Meter) Inc() {
	m.mu.Lock()
	m.n++
	m.mu.Unlock()
}

// The package-level lock is released by the deferred call only at return.
var reg struct {
	sync.Mutex
	names []string
}

func Names() []string {
	reg.Lock()
	defer reg.Unlock()
	return append([]string(nil), reg.names...)
}

func Add(n string) {
	reg.Lock()
	reg.names = append(reg.names, n)
	reg.Unlock()
	_ = Names() // ok
}

// A mutex used to wait for a goroutine: it unlocks, the second Lock waits.
func WaitFor(work func()) {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		work()
		mu.Unlock()
	}()
	mu.Lock() // ok: released by the goroutine
}

// The callee locks only in a mode its caller rules out.
type Session struct {
	mu      sync.Mutex
	version int
	n       int
}

func (s *Session) handleLegacy() {
	if s.version == 12 {
		s.renegotiate()
	}
}

func (s *Session) renegotiate() {
	s.mu.Lock() // ok: only for version 12, which Handle never has
	s.n++
	s.mu.Unlock()
}

func (s *Session) Handle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handleLegacy()
}

// The callee upgrades its caller's read lock: it releases it first.
type Keys struct {
	mu   sync.RWMutex
	keys []string
}

func (k *Keys) initRLocked() {
	if len(k.keys) > 0 {
		return
	}
	k.mu.RUnlock()
	defer k.mu.RLock()
	k.mu.Lock() // ok: the read lock was released
	defer k.mu.Unlock()
	k.keys = []string{"a"}
}

func (k *Keys) First() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	k.initRLocked()
	return k.keys[0]
}
