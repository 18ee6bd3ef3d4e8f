package a

import "sync"

// Queue is a generic blocking queue.
type Queue[T any] struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []T
}

func NewQueue[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue[T]) Put(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// Get waits in an if.
func (q *Queue[T]) Get() T {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() // want "q.cond.Wait in an if: after waking, the condition is not checked again"
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// GetLoop waits in a loop.
func (q *Queue[T]) GetLoop() T {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // ok
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// Barrier waits without holding the lock.
type Barrier struct {
	mu   sync.Mutex
	cond *sync.Cond
	gen  int
	n    int
}

func NewBarrier() *Barrier {
	b := &Barrier{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *Barrier) generation() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gen
}

func (b *Barrier) Await() {
	g := b.generation()
	for g == b.gen {
		b.cond.Wait() // want "b.cond.Wait without holding b.mu, the Cond's lock"
	}
}

func (b *Barrier) Arrive() {
	b.mu.Lock()
	b.n++
	b.gen++
	b.mu.Unlock()
	b.cond.Broadcast()
}

// Snapshot waits under the read lock of the RWMutex that is the Cond's L.
type Snapshot struct {
	mu      sync.RWMutex
	changed *sync.Cond
	version int
}

func NewSnapshot() *Snapshot {
	s := &Snapshot{}
	s.changed = sync.NewCond(&s.mu)
	return s
}

func (s *Snapshot) WaitNewer(v int) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for s.version <= v {
		s.changed.Wait() // want "s.changed.Wait with only the read lock of s.mu held"
	}
	return s.version
}

func (s *Snapshot) Bump() {
	s.mu.Lock()
	s.version++
	s.mu.Unlock()
	s.changed.Broadcast()
}

// Gate is never broadcast when it closes.
type Gate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	ready  bool
	closed bool
}

func NewGate() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *Gate) Wait() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready && !g.closed {
		g.cond.Wait() // want "g.cond.Wait can sleep forever: Gate.Close changes what this loop waits for \\(g.closed = true, line 145\\) but does not call g.cond.Signal or g.cond.Broadcast afterwards"
	}
	return g.ready
}

func (g *Gate) Open() {
	g.mu.Lock()
	g.ready = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *Gate) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// Pool never signals at all.
type Pool struct {
	mu   sync.Mutex
	cond *sync.Cond
	idle []int
}

func NewPool() *Pool {
	p := &Pool{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *Pool) Get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) == 0 {
		p.cond.Wait() // want "nothing in the package calls p.cond.Signal or p.cond.Broadcast: this Wait never wakes up"
	}
	c := p.idle[0]
	p.idle = p.idle[1:]
	return c
}

func (p *Pool) Put(c int) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// Loader broadcasts before it sets done.
type Loader struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
	val  string
}

func NewLoader(load func() string) *Loader {
	l := &Loader{}
	l.cond = sync.NewCond(&l.mu)
	go func() {
		v := load()
		l.cond.Broadcast()
		l.mu.Lock()
		l.val, l.done = v, true
		l.mu.Unlock()
	}()
	return l
}

func (l *Loader) Value() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.done {
		l.cond.Wait() // want "l.cond.Wait can sleep forever: the function literal at line 190 changes what this loop waits for"
	}
	return l.val
}

// Token bucket with a local condition in the if: no fix offered.
type Bucket struct {
	mu     sync.Mutex
	cond   *sync.Cond
	tokens int
}

func NewBucket() *Bucket {
	b := &Bucket{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *Bucket) Take() {
	b.mu.Lock()
	defer b.mu.Unlock()
	empty := b.tokens == 0
	if empty {
		b.cond.Wait() // want "b.cond.Wait in an if"
	}
	b.tokens--
}

func (b *Bucket) Refill(n int) {
	b.mu.Lock()
	b.tokens += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// GoodGate broadcasts whenever it changes what waiters wait for.
type GoodGate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	ready  bool
	closed bool
}

func NewGoodGate() *GoodGate {
	g := &GoodGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *GoodGate) Wait() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready && !g.closed {
		g.cond.Wait() // ok
	}
	return g.ready
}

func (g *GoodGate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ready = true
	g.cond.Broadcast()
}

func (g *GoodGate) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

// Readers waits with the read lock, and the Cond's L is the read locker.
type Readers struct {
	mu      sync.RWMutex
	changed *sync.Cond
	version int
}

func NewReaders() *Readers {
	r := &Readers{}
	r.changed = sync.NewCond(r.mu.RLocker())
	return r
}

func (r *Readers) WaitNewer(v int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for r.version <= v {
		r.changed.Wait() // ok
	}
}

func (r *Readers) Bump() {
	r.mu.Lock()
	r.version++
	r.mu.Unlock()
	r.changed.Broadcast()
}

// waitLocked is always called with q.mu held.
func (q *Queue[T]) waitLocked() {
	for len(q.items) == 0 {
		q.cond.Wait() // ok: every caller holds q.mu
	}
}

func (q *Queue[T]) Peek() T {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.waitLocked()
	return q.items[0]
}

// Handshake waits once for a signal that cannot come before it: the
// signaller needs the lock the waiter holds.
func Handshake(start func(func())) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	start(func() {
		mu.Lock()
		c.Signal()
		mu.Unlock()
	})
	c.Wait() // ok
	mu.Unlock()
}

// Exported Conds may be signalled by other packages.
type Shared struct {
	Mu   sync.Mutex
	Cond *sync.Cond
	N    int
}

func (s *Shared) Await() {
	s.Mu.Lock()
	for s.N == 0 {
		s.Cond.Wait() // ok
	}
	s.Mu.Unlock()
}

// Started signals before the waiter locks: the Broadcast can come first and
// is lost.
func Started(work func()) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		work()
		c.Broadcast()
	}()
	mu.Lock()
	c.Wait() // want `c.Wait checks no condition, but the goroutine started at line 353 can call Broadcast before this goroutine locks mu at line 357`
	mu.Unlock()
}

// Ordered starts the signaller while holding the lock, which the
// signaller takes before signalling: the signal cannot come first.
func Ordered(work func()) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	go func() {
		work()
		mu.Lock()
		c.Broadcast()
		mu.Unlock()
	}()
	c.Wait() // ok
	mu.Unlock()
}

// Door signals only when someone waits: a conditional Signal is a Signal.
type Door struct {
	mu      sync.Mutex
	cond    *sync.Cond
	open    bool
	waiters int
}

func NewDoor() *Door {
	g := &Door{}
	g.cond = sync.NewCond(&g.mu)
	go g.opener()
	return g
}

func (g *Door) opener() {
	g.mu.Lock()
	g.open = true
	if g.waiters > 0 {
		g.cond.Signal()
	}
	g.mu.Unlock()
}

func (g *Door) Pass() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.waiters++
	for !g.open {
		g.cond.Wait() // ok
	}
	g.waiters--
}
