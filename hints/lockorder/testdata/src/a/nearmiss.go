package a

import "sync"

// Near misses: none of these is reported.

// A common lock serializes both orders.
type Gated struct {
	big  sync.Mutex
	a, b sync.Mutex
}

func (g *Gated) AB() {
	g.big.Lock()
	defer g.big.Unlock()
	g.a.Lock()
	g.b.Lock() // ok: g.big held on both paths
	g.b.Unlock()
	g.a.Unlock()
}

func (g *Gated) BA() {
	g.big.Lock()
	defer g.big.Unlock()
	g.b.Lock()
	g.a.Lock() // ok
	g.a.Unlock()
	g.b.Unlock()
}

// Read locks only.
type Reads struct {
	x, y sync.RWMutex
}

func (r *Reads) XY() {
	r.x.RLock()
	r.y.RLock() // ok
	r.y.RUnlock()
	r.x.RUnlock()
}

func (r *Reads) YX() {
	r.y.RLock()
	r.x.RLock() // ok
	r.x.RUnlock()
	r.y.RUnlock()
}

// Parent then child on one type (a tree), never the reverse.
type Node struct {
	mu       sync.Mutex
	parent   *Node
	children []*Node
}

func (n *Node) Walk() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range n.children {
		c.mu.Lock() // ok: one type, parent before child
		c.mu.Unlock()
	}
}

func (n *Node) Up() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.parent != nil {
		n.parent.mu.Lock() // ok: another instance of the type
		n.parent.mu.Unlock()
	}
}

// Consistent order everywhere.
type Ordered struct {
	a, b sync.Mutex
}

func (o *Ordered) One() {
	o.a.Lock()
	o.b.Lock() // ok
	o.b.Unlock()
	o.a.Unlock()
}

func (o *Ordered) Two() {
	o.a.Lock()
	defer o.a.Unlock()
	o.b.Lock() // ok
	o.b.Unlock()
}

// Released before taking the other.
func (o *Ordered) Three() {
	o.b.Lock()
	o.b.Unlock()
	o.a.Lock() // ok
	o.a.Unlock()
}

// An object made here is not shared yet.
var registryMu sync.Mutex
var registry = map[string]*Ordered{}

func NewOrdered(name string) *Ordered {
	o := &Ordered{}
	o.b.Lock()
	defer o.b.Unlock()
	registryMu.Lock() // ok: nobody else can hold o.b
	registry[name] = o
	registryMu.Unlock()
	return o
}

func Lookup(name string) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if o := registry[name]; o != nil {
		o.b.Lock() // ok
		o.b.Unlock()
	}
}

// A goroutine does not inherit the lock.
func (o *Ordered) Async() {
	o.b.Lock()
	defer o.b.Unlock()
	go func() {
		o.a.Lock() // ok: another goroutine, b not held there
		o.a.Unlock()
	}()
}

// TryLock does not wait.
func (o *Ordered) Try() {
	o.b.Lock()
	defer o.b.Unlock()
	if o.a.TryLock() { // ok
		o.a.Unlock()
	}
}

// Swapped arguments, but called one after the other in one goroutine.
func SwapSequential(x, y *Account) {
	Transfer(x, y, 1)
	Transfer(y, x, 1)
}

// Package initialization runs in one goroutine.
var initA, initB sync.Mutex

func init() {
	initA.Lock()
	initB.Lock() // ok
	initB.Unlock()
	initA.Unlock()
}

func UseB() {
	initB.Lock()
	defer initB.Unlock()
	initA.Lock()
	initA.Unlock()
}

// The reverse order is taken only on a path that panics (misuse detection).
type Reader struct {
	mu     sync.Mutex
	conn   *ConnState
	inRead bool
}

type ConnState struct {
	mu       sync.Mutex
	r        *Reader
	hijacked bool
}

func (c *ConnState) isHijacked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hijacked
}

func (r *Reader) Read() {
	r.mu.Lock()
	if r.inRead {
		h := r.conn.isHijacked() // ok: only on the way to a panic
		r.mu.Unlock()
		if h {
			panic("read after hijack")
		}
		panic("concurrent read")
	}
	r.inRead = true
	r.mu.Unlock()
}

func (c *ConnState) Hijack() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.r.mu.Lock()
	c.hijacked = true
	c.r.mu.Unlock()
}

// The reverse order is taken by a callee only in a mode the caller rules out.
type TLSConn struct {
	mu, hs  sync.Mutex
	version int
}

func (s *TLSConn) renegotiate() {
	if s.version != 13 {
		s.hs.Lock() // ok: not in version 13
		s.hs.Unlock()
	}
}

func (s *TLSConn) Read() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renegotiate()
}

func (s *TLSConn) Handshake() {
	s.hs.Lock()
	defer s.hs.Unlock()
	s.mu.Lock()
	s.mu.Unlock()
}
