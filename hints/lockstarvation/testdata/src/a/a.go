package a

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

// Save sleeps with the lock that Record needs.
type Log struct {
	mu      sync.Mutex
	entries []string
}

func (l *Log) Record(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *Log) Save() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for range l.entries {
		time.Sleep(time.Millisecond) // want `time.Sleep while holding l.mu: goroutines that need it, like \(\*Log\).Record \(line 23\), wait as long as it sleeps`
	}
}

// Writes to a connection under the lock that guards the peer list.
type Peer struct {
	mu    sync.Mutex
	conn  net.Conn
	peers map[string]int
	seen  int
}

func (p *Peer) Add(name string) {
	p.mu.Lock()
	p.peers[name]++
	p.mu.Unlock()
}

func (p *Peer) Broadcast(msg []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen++
	_, err := p.conn.Write(msg) // want `network I/O \(p\.conn\.Write\) while holding p\.mu: goroutines that need it, like \(\*Peer\)\.Add \(line 45\), wait for the network`
	return err
}

// A helper called under the lock reads a file.
type Config struct {
	mu   sync.RWMutex
	path string
	data []byte
}

func (c *Config) Get() []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.data
}

func (c *Config) load() error {
	b, err := os.ReadFile(c.path)
	if err != nil {
		return err
	}
	c.data = b
	return nil
}

func (c *Config) Reload() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load() // ok: I/O in a helper called under the lock (it serializes loads)
}

// A query and a command under a package-level lock.
var (
	cacheMu sync.Mutex
	cache   = map[string]string{}
	hits    int
)

func Cached(k string) string {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return cache[k]
}

func Hits() int {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return hits
}

func Fill(db *sql.DB, k string) error {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	var v string
	if err := db.QueryRow("select v from t where k = ?", k).Scan(&v); err != nil { // want `a database query \(db.QueryRow\) while holding cacheMu`
		return err
	}
	cache[k] = v
	return nil
}

func Render(k string) error {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	out, err := exec.Command("render", k).Output() // want `running a command \(exec\.Command\("render", k\)\.Output\) while holding cacheMu: goroutines that need it, like Hits \(line 100\), wait until the command exits`
	cache[k] = string(out)
	return err
}

// Waiting for events while holding the lock.
type Queue struct {
	mu    sync.Mutex
	items []int
	in    chan int
	quit  chan struct{}
}

func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

func (q *Queue) Next() {
	q.mu.Lock()
	defer q.mu.Unlock()
	select { // want `a select with no default, timer or ctx\.Done\(\) case while holding q\.mu: goroutines that need it, like \(\*Queue\)\.Len \(line 133\), wait until one of its cases is ready`
	case x := <-q.in:
		q.items = append(q.items, x)
	case <-q.quit:
	}
}

func (q *Queue) Fill() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for x := range q.in { // want `a range over q\.in while holding q\.mu: goroutines that need it, like \(\*Queue\)\.Len \(line 133\), wait until the channel is closed`
		q.items = append(q.items, x)
	}
}

// io.Copy from a connection.
func (p *Peer) Mirror(dst io.Writer, c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	io.Copy(dst, c) // want `I/O on a network connection \(io.Copy\) while holding p.mu`
}

// Near misses.

// A lock that only serializes writes to the connection.
type Writer struct {
	writeMu sync.Mutex
	conn    net.Conn
	bw      *bufio.Writer
}

func (w *Writer) Send(b []byte) error {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	_, err := w.conn.Write(b) // ok: every holder of writeMu writes
	return err
}

func (w *Writer) Flush() error {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.bw.Flush()
	_, err := w.conn.Write(nil) // ok
	return err
}

// A throttle that sleeps under its own lock on purpose.
type Limiter struct {
	mu   sync.Mutex
	last time.Time
}

func (l *Limiter) Wait() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d := time.Until(l.last.Add(time.Second)); d > 0 {
		time.Sleep(d) // ok: nobody else needs l.mu
	}
	l.last = time.Now()
}

// Writing to an in-memory buffer is quick.
type Buf struct {
	mu  sync.Mutex
	buf bytes.Buffer
	bw  *bufio.Writer
}

func (b *Buf) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *Buf) Write(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p) // ok
	b.bw.Write(p)  // ok
}

// Slow work after the lock is released.
func (l *Log) SaveOutside() {
	l.mu.Lock()
	n := len(l.entries)
	l.mu.Unlock()
	time.Sleep(time.Duration(n)) // ok
}

// A select that a context or a timer ends.
func (q *Queue) NextCtx(ctx context.Context) {
	q.mu.Lock()
	defer q.mu.Unlock()
	select { // ok
	case x := <-q.in:
		q.items = append(q.items, x)
	case <-ctx.Done():
	}
}

func (q *Queue) NextTimeout() {
	q.mu.Lock()
	defer q.mu.Unlock()
	select { // ok
	case x := <-q.in:
		q.items = append(q.items, x)
	case <-time.After(time.Second):
	}
}

// A select with a default does not wait.
func (q *Queue) TryNext() {
	q.mu.Lock()
	defer q.mu.Unlock()
	select { // ok
	case x := <-q.in:
		q.items = append(q.items, x)
	default:
	}
}

// A local lock nobody else takes.
func Local() {
	var mu sync.Mutex
	mu.Lock()
	time.Sleep(time.Millisecond) // ok
	mu.Unlock()
}

// Sleeping in a goroutine started under the lock.
func (l *Log) Later() {
	l.mu.Lock()
	defer l.mu.Unlock()
	go func() {
		time.Sleep(time.Second) // ok: the goroutine holds nothing
	}()
}

// A generic store that retries with a backoff while holding its lock.
type Store[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	hits int
}

func (s *Store[K, V]) Get(k K) V {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	return s.m[k]
}

func (s *Store[K, V]) Load(k K, fetch func(K) (V, bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range 3 {
		if v, ok := fetch(k); ok {
			s.m[k] = v
			return
		}
		time.Sleep(time.Millisecond) // want `time.Sleep while holding s.mu: goroutines that need it, like \(\*Store\[K, V\]\).Get`
	}
}

// Stats keeps its lock beside what it guards: the first access under the
// lock in Inc is the deferred Unlock's s.mu, but Inc waits at its Lock.
type Stats struct {
	mu struct {
		sync.Mutex
		n int
	}
}

func (s *Stats) Inc() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.n++
}

func (s *Stats) Dump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	time.Sleep(time.Second) // want `time.Sleep while holding s.mu: goroutines that need it, like \(\*Stats\).Inc \(line 315\), wait as long as it sleeps`
}

type Feed struct {
	mu sync.Mutex
	n  int
	in chan int
}

func (f *Feed) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// Wait may be given no context: its ctx.Done() case is then a nil channel,
// and the message says so rather than that it has none.
func (f *Feed) Wait(ctx context.Context) {
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	select { // want `a select whose ctx.Done\(\) case may be on a nil channel \(never ready\) while holding f.mu: goroutines that need it, like \(\*Feed\).Len \(line 333\), wait until one of its other cases is ready`
	case v := <-f.in:
		f.n += v
	case <-done:
	}
}

// WaitCtx always has its way out.
func (f *Feed) WaitCtx(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	select { // ok
	case v := <-f.in:
		f.n += v
	case <-ctx.Done():
	}
}

// Drain closes its channel before ranging over it: the range only drains
// the buffer, it never waits.
func (f *Feed) Drain(ch chan int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(ch)
	for v := range ch { // ok
		f.n += v
	}
}

// DrainOpen ranges over a channel someone else closes.
func (f *Feed) DrainOpen(ch chan int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for v := range ch { // want `a range over ch while holding f.mu: goroutines that need it, like \(\*Feed\).Len \(line 333\), wait until the channel is closed`
		f.n += v
	}
}
