package a

import (
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts requests atomically but reads the count plainly.
type Stats struct {
	requests int64
	errors   int64
}

func (s *Stats) Inc() { atomic.AddInt64(&s.requests, 1) }

func (s *Stats) Fail() { atomic.AddInt64(&s.errors, 1) }

func (s *Stats) Count() (int64, int64) {
	return s.requests, atomic.LoadInt64(&s.errors) // want `s.requests is read here without sync/atomic, but Inc writes it with atomic.AddInt64 \(line 15\): the plain read races with the atomic write`
}

// Conn checks closed atomically in Send but Close writes it plainly under
// the lock, which Send does not take.
type Conn struct {
	mu     sync.Mutex
	closed int32
	out    chan []byte
}

func (c *Conn) Send(b []byte) bool {
	if atomic.LoadInt32(&c.closed) != 0 {
		return false
	}
	c.out <- b
	return true
}

func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed == 0 {
		c.closed = 1 // want `c.closed is written here without sync/atomic, but Send accesses it with atomic.LoadInt32 \(line 32\): the plain write races with the atomic access`
		close(c.out)
	}
}

// Reloader bumps the generation atomically; its watch loop reads it plainly.
type Reloader struct {
	gen  uint64
	stop chan struct{}
}

func (r *Reloader) Reload() { atomic.AddUint64(&r.gen, 1) }

func (r *Reloader) watch() {
	var seen uint64
	for {
		select {
		case <-r.stop:
			return
		case <-time.After(time.Second):
		}
		if r.gen != seen { // want `r.gen is read here without sync/atomic, but Reload writes it with atomic.AddUint64 \(line 54\): the plain read races with the atomic write`
			seen = atomic.LoadUint64(&r.gen)
		}
	}
}

func (r *Reloader) Start() { go r.watch() }

// Progress reads the captured counter while the goroutines still add to it.
func Progress(items []string) int64 {
	var done int64
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&done, 1)
		}()
	}
	println(done) // want `done is read here without sync/atomic, but Progress writes it with atomic.AddInt64 \(line 80\): the plain read races with the atomic write; they run in different goroutines`
	wg.Wait()
	return atomic.LoadInt64(&done)
}

var (
	hits   uint32
	hitsMu sync.Mutex
	last   string
)

func Hit(path string) {
	atomic.AddUint32(&hits, 1)
	hitsMu.Lock()
	last = path
	hitsMu.Unlock()
}

func Reset() {
	hitsMu.Lock()
	hits = 0 // want `hits is written here without sync/atomic, but Hit accesses it with atomic.AddUint32 \(line 95\): the plain write races with the atomic access`
	last = ""
	hitsMu.Unlock()
}

// Init sets the flag before the object is shared (a plain write without
// a lock: initialization).
type Flag struct{ set uint32 }

func (f *Flag) Init()    { f.set = 0 }
func (f *Flag) Raise()   { atomic.StoreUint32(&f.set, 1) }
func (f *Flag) Up() bool { return atomic.LoadUint32(&f.set) == 1 }

// Literal starts the counter in a composite literal: no quick fix.
type Literal struct{ n int64 }

func NewLiteral() *Literal { return &Literal{n: 1} }

func (l *Literal) Inc() { atomic.AddInt64(&l.n, 1) }

func (l *Literal) Get() int64 {
	return l.n // want `l.n is read here without sync/atomic`
}

// ---- near misses ----

// Fresh: a constructor sets the value before the object is shared.
type Fresh struct{ n int64 }

func NewFresh() *Fresh {
	f := &Fresh{}
	f.n = 10
	return f
}

func (f *Fresh) Inc() { atomic.AddInt64(&f.n, 1) }

func (f *Fresh) Get() int64 { return atomic.LoadInt64(&f.n) }

// AfterWait reads the counter after every goroutine is done.
func AfterWait(items []string) int64 {
	var n int64
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&n, 1)
		}()
	}
	wg.Wait()
	return n
}

// Mixed: writes hold the lock and are atomic; reads under the lock may be
// plain (checklocks' mixed mode).
type Mixed struct {
	mu    sync.Mutex
	state int32
}

func (m *Mixed) Set(v int32) {
	m.mu.Lock()
	atomic.StoreInt32(&m.state, v)
	m.mu.Unlock()
}

func (m *Mixed) Peek() int32 { return atomic.LoadInt32(&m.state) }

func (m *Mixed) Locked() int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// Writer is the only writer of seq and reads its own value plainly.
type Writer struct{ seq uint64 }

func (w *Writer) loop(ch <-chan int) {
	for range ch {
		atomic.StoreUint64(&w.seq, w.seq+1)
	}
}

func (w *Writer) Seq() uint64 { return atomic.LoadUint64(&w.seq) }

// Typed atomics cannot be read plainly.
type Typed struct{ n atomic.Int64 }

func (t *Typed) Inc()       { t.n.Add(1) }
func (t *Typed) Get() int64 { return t.n.Load() }

var initial int32

func init() { initial = 5 }

func Bump() { atomic.AddInt32(&initial, 1) }

// Everywhere: every access is atomic.
type Everywhere struct{ n uint32 }

func (e *Everywhere) Inc()        { atomic.AddUint32(&e.n, 1) }
func (e *Everywhere) Get() uint32 { return atomic.LoadUint32(&e.n) }

// Closer reads its flag plainly where it has exclusive access, and says so.
type Closer struct{ blocking uint32 }

func (c *Closer) SetBlocking() { atomic.StoreUint32(&c.blocking, 1) }

func (c *Closer) Close() bool {
	// No need for an atomic read: Close has exclusive access.
	return c.blocking == 0
}
