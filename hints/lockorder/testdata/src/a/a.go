package a

import (
	"net"
	"sync"
	"time"
)

// Two fields of one server, taken in opposite orders by two methods.
type Server struct {
	connMu   sync.Mutex
	conns    map[net.Conn]bool
	statsMu  sync.Mutex
	accepted int
}

func (s *Server) handle(c net.Conn) {
	s.connMu.Lock()
	s.conns[c] = true
	s.statsMu.Lock() // want `lock order inversion: \(\*Server\)\.handle takes s\.statsMu while holding s\.connMu \(line 20\), but \(\*Server\)\.Snapshot takes s\.connMu while holding s\.statsMu \(line 29\): two goroutines running them can each hold one lock and wait for the other forever`
	s.accepted++
	s.statsMu.Unlock()
	s.connMu.Unlock()
}

func (s *Server) Snapshot() (int, int) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.accepted, len(s.conns)
}

// Two types calling each other with their own lock held.
type Session struct {
	mu       sync.Mutex
	id       string
	lastUsed time.Time
	mgr      *Manager
}

type Manager struct {
	mu       sync.Mutex
	sessions map[string]*Session
	active   map[string]time.Time
}

func (m *Manager) Expire(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, s := range m.sessions {
		if s.expired(now) {
			delete(m.sessions, id)
		}
	}
}

func (s *Session) expired(now time.Time) bool {
	s.mu.Lock() // want `lock order inversion: \(\*Manager\).Expire takes s.mu while holding m.mu \(line 52\), but \(\*Session\).Touch holds s.mu and calls s.mgr.markActive \(line 68\), which takes m.mu`
	defer s.mu.Unlock()
	return now.Sub(s.lastUsed) > time.Hour
}

func (s *Session) Touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUsed = time.Now()
	s.mgr.markActive(s.id, s.lastUsed)
}

func (m *Manager) markActive(id string, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.active[id] = t
}

// Package-level locks, one read-locked through a helper.
var (
	driversMu sync.RWMutex
	drivers   = map[string]string{}
	openMu    sync.Mutex
	open      = map[string]int{}
)

func Register(name, d string) {
	driversMu.Lock()
	defer driversMu.Unlock()
	drivers[name] = d
	openMu.Lock() // want `lock order inversion: Register takes openMu while holding driversMu \(line 89\), but Open takes driversMu while holding openMu \(line 104\): two goroutines running them can each hold one lock and wait for the other forever`
	open[name] = 0
	openMu.Unlock()
}

func lookup(name string) (string, bool) {
	driversMu.RLock()
	defer driversMu.RUnlock()
	d, ok := drivers[name]
	return d, ok
}

func Open(name string) bool {
	openMu.Lock()
	defer openMu.Unlock()
	_, ok := lookup(name)
	open[name]++
	return ok
}

// Three stages of one pipeline form a cycle.
type stage struct {
	mu    sync.Mutex
	items []string
}

type Pipeline struct {
	in, mid, out stage
}

func (p *Pipeline) Ingest() {
	p.in.mu.Lock()
	defer p.in.mu.Unlock()
	p.mid.mu.Lock() // want `lock order cycle: \(\*Pipeline\)\.Ingest takes p\.mid\.mu while holding p\.in\.mu \(line 122\), \(\*Pipeline\)\.Transform takes p\.out\.mu while holding p\.mid\.mu \(line 130\), \(\*Pipeline\)\.Flush takes p\.in\.mu while holding p\.out\.mu \(line 139\): 3 goroutines running them can each hold one lock and wait for the next forever`
	p.mid.items = append(p.mid.items, p.in.items...)
	p.mid.mu.Unlock()
}

func (p *Pipeline) Transform() {
	p.mid.mu.Lock()
	defer p.mid.mu.Unlock()
	p.out.mu.Lock()
	p.out.items = append(p.out.items, p.mid.items...)
	p.out.mu.Unlock()
}

func (p *Pipeline) Flush(rejected []string) {
	p.out.mu.Lock()
	defer p.out.mu.Unlock()
	if len(rejected) > 0 {
		p.in.mu.Lock()
		p.in.items = append(p.in.items, rejected...)
		p.in.mu.Unlock()
	}
}

// A callback run with the hub's lock held locks a watcher, and a watcher
// calls back into the hub with its own lock held.
type Watcher struct {
	sync.Mutex
	hub     *Hub
	pending []string
}

type Hub struct {
	mu       sync.Mutex
	watchers map[*Watcher]bool
}

func (h *Hub) each(fn func(w *Watcher)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for w := range h.watchers {
		fn(w)
	}
}

func (h *Hub) Broadcast(ev string) {
	h.each(func(w *Watcher) {
		w.Lock() // want `lock order inversion: \(\*Hub\).Broadcast takes w while holding h.mu`
		w.pending = append(w.pending, ev)
		w.Unlock()
	})
}

func (w *Watcher) Close() {
	w.Lock()
	defer w.Unlock()
	w.pending = nil
	w.hub.remove(w)
}

func (h *Hub) remove(w *Watcher) {
	h.mu.Lock()
	delete(h.watchers, w)
	h.mu.Unlock()
}

// Two goroutines call one function with its arguments swapped.
type Account struct {
	mu      sync.Mutex
	balance int
}

func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock() // want `lock order inversion: Transfer takes to\.mu while holding from\.mu, and goroutines call both Transfer\(a, b, 10\) \(line 205\) and Transfer\(b, a, 20\) \(line 206\): each can hold one lock and wait for the other forever`
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func Swap() {
	a, b := &Account{}, &Account{}
	var wg sync.WaitGroup
	wg.Go(func() { Transfer(a, b, 10) })
	wg.Go(func() { Transfer(b, a, 20) })
	wg.Wait()
}

// A generic pair whose two methods take its locks in opposite orders.
type Pair[T any] struct {
	left, right sync.Mutex
	l, r        T
}

func (p *Pair[T]) SwapLR() {
	p.left.Lock()
	defer p.left.Unlock()
	p.right.Lock() // want `lock order inversion: \(\*Pair\[T\]\).SwapLR takes p.right while holding p.left`
	p.l, p.r = p.r, p.l
	p.right.Unlock()
}

func (p *Pair[T]) SwapRL() {
	p.right.Lock()
	defer p.right.Unlock()
	p.left.Lock()
	p.l, p.r = p.r, p.l
	p.left.Unlock()
}
