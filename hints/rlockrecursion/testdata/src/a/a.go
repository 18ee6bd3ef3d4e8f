package a

import (
	"net/netip"
	"sync"
	"time"
)

// Table reaches its read lock again through a call.
type Table struct {
	mu     sync.RWMutex
	routes map[netip.Prefix]netip.Addr
	dflt   netip.Addr
}

func (t *Table) Update(p netip.Prefix, hop netip.Addr) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[p] = hop
}

func (t *Table) Lookup(a netip.Addr) netip.Addr {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for p, hop := range t.routes {
		if p.Contains(a) {
			return hop
		}
	}
	return t.defaultRoute()
}

func (t *Table) defaultRoute() netip.Addr {
	t.mu.RLock() // want `recursive RLock of t.mu can deadlock: t.mu is read-locked by \(\*Table\).Lookup since line 23, which calls t.defaultRoute \(line 30\); a writer waiting in between \(\(\*Table\).Update, line 17\) blocks this RLock forever`
	defer t.mu.RUnlock()
	return t.dflt
}

// Cluster embeds its RWMutex and goes through two calls.
type Cluster struct {
	sync.RWMutex
	members map[string]time.Time
}

func (c *Cluster) Join(id string) {
	c.Lock()
	c.members[id] = time.Now()
	c.Unlock()
}

func (c *Cluster) Healthy() []string {
	c.RLock()
	defer c.RUnlock()
	var ids []string
	for id := range c.members {
		if c.alive(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (c *Cluster) alive(id string) bool {
	return time.Since(c.seen(id)) < time.Minute
}

func (c *Cluster) seen(id string) time.Time {
	c.RLock() // want `recursive RLock of c can deadlock: c is read-locked by \(\*Cluster\).Healthy since line 52, which calls c.alive \(line 56\) → c.seen \(line 64\)`
	defer c.RUnlock()
	return c.members[id]
}

// Index runs a callback with its read lock held; the callback reads it again.
type Index[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (idx *Index[K, V]) Set(k K, v V) {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	idx.m[k] = v
}

func (idx *Index[K, V]) Len() int {
	idx.mu.RLock() // want `recursive RLock of idx\.mu can deadlock: idx\.mu is read-locked by Snapshot since line 103, which calls idx\.Range \(line 103\) → fn \(line 95\) → idx\.Len \(line 105\); a writer waiting in between \(\(\*Index\[K, V\]\)\.Set, line 80\) blocks this RLock forever`
	defer idx.mu.RUnlock()
	return len(idx.m)
}

func (idx *Index[K, V]) Range(fn func(K, V) bool) {
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	for k, v := range idx.m {
		if !fn(k, v) {
			return
		}
	}
}

func Snapshot[K comparable, V any](idx *Index[K, V]) []V {
	var out []V
	idx.Range(func(k K, v V) bool {
		if out == nil {
			out = make([]V, 0, idx.Len())
		}
		out = append(out, v)
		return true
	})
	return out
}

// Stats read-locks twice in one function.
var statsMu sync.RWMutex
var stats = map[string]int{}

func Inc(k string) {
	statsMu.Lock()
	stats[k]++
	statsMu.Unlock()
}

func Ratio(a, b string) float64 {
	statsMu.RLock()
	x := stats[a]
	statsMu.RLock() // want `recursive RLock of statsMu can deadlock: this goroutine already read-locks it since line 124, and a writer waiting in between \(Inc, line 118\) blocks this RLock forever`
	y := stats[b]
	statsMu.RUnlock()
	statsMu.RUnlock()
	return float64(x) / float64(y)
}

// Near misses.

// No writer anywhere in the package: the second RLock cannot block.
type Frozen struct {
	mu   sync.RWMutex
	data map[string]int
}

func (f *Frozen) Get(k string) int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.data[k]
}

func (f *Frozen) Sum(a, b string) int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.Get(a) + f.Get(b) // ok
}

// Released before the call.
func (t *Table) Count() int {
	t.mu.RLock()
	n := len(t.routes)
	t.mu.RUnlock()
	if n == 0 {
		t.defaultRoute() // ok
	}
	return n
}

// Another table.
func (t *Table) Merge(o *Table) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for p := range t.routes {
		o.Lookup(p.Addr()) // ok: o may be another table
	}
}

// A goroutine starts with no lock held.
func (t *Table) Prefetch(done chan netip.Addr) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	go func() { done <- t.defaultRoute() }() // ok
}

// TryRLock does not block.
func (t *Table) Peek() bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.mu.TryRLock() { // ok
		t.mu.RUnlock()
		return true
	}
	return false
}

// A local RWMutex written only by the same goroutine, after its reads.
func Local() {
	var mu sync.RWMutex
	mu.RLock()
	mu.RLock() // ok: nobody else can be waiting to write
	mu.RUnlock()
	mu.RUnlock()
	mu.Lock()
	mu.Unlock()
}

// After initRLocked, the caller's read lock is held again: a second RLock
// through a call is still recursive.
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
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys = []string{"a"}
}

func (k *Keys) Len() int {
	k.mu.RLock() // want `recursive RLock of k.mu can deadlock`
	defer k.mu.RUnlock()
	return len(k.keys)
}

func (k *Keys) First() (string, int) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	k.initRLocked()
	return k.keys[0], k.Len()
}
