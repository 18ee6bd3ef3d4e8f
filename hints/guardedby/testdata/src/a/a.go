package a

import (
	"fmt"
	"sync"
	"time"
)

// Cache counts hits and misses under c.mu, but ResetStats forgets it.
type Cache struct {
	mu     sync.Mutex
	items  map[string]string
	hits   int
	misses int
}

func NewCache() *Cache {
	c := &Cache{items: map[string]string{}}
	c.hits = 0
	return c
}

func (c *Cache) Get(k string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return v, ok
}

func (c *Cache) Put(k, v string) {
	c.mu.Lock()
	c.items[k] = v
	c.mu.Unlock()
}

func (c *Cache) Stats() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

func (c *Cache) ResetStats() {
	c.hits = 0   // want `c\.hits is written here without c\.mu, which guards it at 3 of 4 accesses; Get writes it under the lock \(line 28\) and can run at the same time`
	c.misses = 0 // want `c\.misses is written here without c\.mu, which guards it at 3 of 4 accesses; Get writes it under the lock \(line 30\) and can run at the same time`
}

// Ring counts its elements under b.mu; Len reads the count without it.
type Ring[T any] struct {
	mu    sync.Mutex
	buf   []T
	head  int
	count int
}

func (b *Ring[T]) Push(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf[(b.head+b.count)%len(b.buf)] = v
	b.count++
}

func (b *Ring[T]) Pop() (T, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var zero T
	if b.count == 0 {
		return zero, false
	}
	v := b.buf[b.head]
	b.head = (b.head + 1) % len(b.buf)
	b.count--
	return v, true
}

func (b *Ring[T]) Len() int {
	return b.count // want `b\.count is read here without b\.mu, which guards it at 6 of 7 accesses; Push writes it under the lock \(line 64\) and can run at the same time`
}

// Conn follows the convention: mu guards the fields below it.
type Conn struct {
	addr string

	mu       sync.Mutex
	state    int
	lastUsed time.Time
}

func (c *Conn) setState(s int) {
	c.mu.Lock()
	c.state = s
	c.lastUsed = time.Now()
	c.mu.Unlock()
}

func (c *Conn) Do() {
	c.setState(1)
	defer c.setState(0)
}

func (c *Conn) IsIdle() bool {
	return c.state == 0 // want `c\.state is read here without c\.mu, which every write holds and which it follows in the struct \(1 of 2 accesses\); setState writes it under the lock \(line 95\) and can run at the same time`
}

// Lease expires from a timer goroutine that forgets the lock.
type Lease struct {
	mu      sync.Mutex
	holder  string
	expired bool
	timer   *time.Timer
}

func (l *Lease) Grant(holder string, ttl time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.holder = holder
	l.expired = false
	l.timer = time.AfterFunc(ttl, func() {
		l.expired = true // want `l\.expired is written here without l\.mu, which guards it at 3 of 4 accesses; this runs in the goroutine started at line 122, which keeps running while Release writes it under the lock \(line 139\)`
	})
}

func (l *Lease) Holder() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.expired {
		return ""
	}
	return l.holder
}

func (l *Lease) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expired = true
}

// Registry is annotated: the rule is explicit.
type Registry struct {
	mu sync.RWMutex
	// +checklocks:mu
	names []string
}

func (r *Registry) Add(n string) {
	r.mu.Lock()
	r.names = append(r.names, n)
	r.mu.Unlock()
}

func (r *Registry) Count() int {
	return len(r.names) // want `r\.names is read here without r\.mu, which its \+checklocks annotation says guards it; Add writes it under the lock \(line 151\) and can run at the same time`
}

// Settings is reloaded under s.mu, but String reads without it.
type Settings struct {
	mu      sync.RWMutex
	version int
	source  string
}

func (s *Settings) Reload(src string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	s.source = src
}

func (s *Settings) Source() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.source
}

func (s *Settings) String() string {
	return fmt.Sprint(s.version, s.source) // want `s.version and s.source are read here without s.mu`
}

// ---- near misses ----

// Counter's count is only touched by the goroutine that owns it after
// start, apart from the locked snapshot.
type Owner struct {
	mu    sync.Mutex
	count int
	quit  chan struct{}
}

func (o *Owner) loop() {
	for {
		select {
		case <-o.quit:
			return
		case <-time.After(time.Millisecond):
		}
		o.mu.Lock()
		o.count++
		o.mu.Unlock()
		if o.count > 10 { // the only writer reads its own field
			return
		}
	}
}

func (o *Owner) Start() { go o.loop() }

func (o *Owner) Count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.count
}

// flushLocked is called with s.mu held.
type Stream struct {
	mu      sync.Mutex
	pending []byte
	out     []byte
}

func (s *Stream) Write(b []byte) {
	s.mu.Lock()
	s.pending = append(s.pending, b...)
	if len(s.pending) > 10 {
		s.flushLocked()
	}
	s.mu.Unlock()
}

func (s *Stream) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
}

func (s *Stream) flushLocked() {
	s.out = append(s.out, s.pending...)
	s.pending = s.pending[:0]
}

// Done joins the worker before reading what it wrote.
type Job struct {
	mu     sync.Mutex
	result int
	done   chan struct{}
}

func (j *Job) run() {
	defer close(j.done)
	j.mu.Lock()
	j.result = 42
	j.mu.Unlock()
}

func (j *Job) Bump() {
	j.mu.Lock()
	j.result++
	j.mu.Unlock()
}

func (j *Job) Reset() {
	j.mu.Lock()
	j.result = 0
	j.mu.Unlock()
}

func (j *Job) Wait() int {
	<-j.done
	return j.result
}

// Config is filled before use: constructors and init do not count.
type Config struct {
	mu   sync.Mutex
	opts map[string]string
}

func NewConfig() *Config {
	c := &Config{}
	c.opts = map[string]string{"a": "b"}
	c.fill()
	return c
}

func (c *Config) fill() { c.opts["c"] = "d" }

func (c *Config) Set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.opts[k] = v
}

func (c *Config) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opts[k]
}

// Dual writes under both locks and reads under either.
type Dual struct {
	mu, wmu sync.Mutex
	size    int
}

func (d *Dual) Resize(n int) {
	d.wmu.Lock()
	d.mu.Lock()
	d.size = n
	d.mu.Unlock()
	d.wmu.Unlock()
}

func (d *Dual) Grow() {
	d.wmu.Lock()
	d.mu.Lock()
	d.size++
	d.mu.Unlock()
	d.wmu.Unlock()
}

func (d *Dual) Encode() int {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	return d.size
}

// Ignored is silenced on the field.
type Ignored struct {
	mu sync.Mutex
	//synclens:ignore guardedby
	n int
}

func (i *Ignored) Inc() { i.mu.Lock(); i.n++; i.mu.Unlock() }
func (i *Ignored) Dec() { i.mu.Lock(); i.n--; i.mu.Unlock() }
func (i *Ignored) Add() { i.mu.Lock(); i.n += 2; i.mu.Unlock() }
func (i *Ignored) Get() int {
	return i.n
}

// Documented says it must not run concurrently with the others.
type Snapshot struct {
	mu    sync.Mutex
	items []int
}

func (s *Snapshot) Add(v int)  { s.mu.Lock(); s.items = append(s.items, v); s.mu.Unlock() }
func (s *Snapshot) Clear()     { s.mu.Lock(); s.items = nil; s.mu.Unlock() }
func (s *Snapshot) First() int { s.mu.Lock(); defer s.mu.Unlock(); return s.items[0] }

// Dump must not be called concurrently with Add or Clear.
func (s *Snapshot) Dump() []int { return s.items }

// Table is parsed lazily under t.mu, once; readers run parse first.
type Table struct {
	mu      sync.Mutex
	version int
	data    []byte
	files   []string
}

func (t *Table) parse() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.version != 0 {
		return
	}
	t.version = 1
	t.files = []string{string(t.data)}
}

func NewTable(data []byte) *Table {
	t := &Table{data: data}
	t.parse()
	return t
}

// Ensure parses the table if NewTable could not.
func (t *Table) Ensure() { t.parse() }

func (t *Table) Files() []string { return t.files }

func (t *Table) File(i int) string { return t.files[i] }

func (t *Table) Count() int { return len(t.files) }

// A Session is not safe for concurrent use.
type Session struct {
	mu    sync.Mutex
	err   error
	state int
}

func (s *Session) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

func (s *Session) Retry() {
	s.mu.Lock()
	s.err = nil
	s.mu.Unlock()
}

func (s *Session) Close() {
	s.mu.Lock()
	s.err = nil
	s.mu.Unlock()
}

func (s *Session) Err() error { return s.err }
