package a

import "sync"

// ---- the shapes of fields an annotation goes on, each formatted as gofmt
// formats it ----

// Meter's fields carry line comments, which gofmt aligns too.
type Meter struct {
	mu    sync.Mutex // guards the counts
	reads int        // Read calls
	bytes int        // bytes read
}

func (m *Meter) Read(n int) {
	m.mu.Lock()
	m.reads++
	m.bytes += n
	m.mu.Unlock()
}

func (m *Meter) Counts() (int, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reads, m.bytes
}

func (m *Meter) Reset() {
	m.reads = 0 // want `m\.reads is written here without m\.mu, which guards it at 3 of 4 accesses`
}

// Stats declares its two counters in one field: one annotation for both.
type Stats struct {
	mu          sync.Mutex
	hits, total int
	name        string
}

func (s *Stats) Hit() {
	s.mu.Lock()
	s.hits++
	s.total++
	s.mu.Unlock()
}

func (s *Stats) Get() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits, s.total
}

func (s *Stats) Clear() {
	s.hits, s.total = 0, 0 // want `s\.hits and s\.total are written here without s\.mu`
}

// Gauge guards hot; cold, declared with it, is its owner's alone: no
// annotation, which would say that mu guards cold too.
type Gauge struct {
	mu        sync.Mutex
	hot, cold int
}

func (g *Gauge) Bump() {
	g.mu.Lock()
	g.hot++
	g.mu.Unlock()
}

func (g *Gauge) Hot() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.hot
}

func (g *Gauge) Drop() {
	g.hot = 0 // want `g\.hot is written here without g\.mu`
}

func (g *Gauge) Cool() { g.cold++ }

// Ticks is embedded in Level: no annotation, which nothing would read.
type Ticks int

type Level struct {
	mu sync.Mutex
	Ticks
}

func (l *Level) Tick() {
	l.mu.Lock()
	l.Ticks++
	l.mu.Unlock()
}

func (l *Level) Get() Ticks {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.Ticks
}

func (l *Level) Zero() {
	l.Ticks = 0 // want `l\.Ticks is written here without l\.mu`
}

// Queue's length has a doc comment of its own.
type Queue struct {
	mu sync.Mutex
	// n is the number of items.
	n     int
	items []string
}

func (q *Queue) Push(s string) {
	q.mu.Lock()
	q.n++
	q.items = append(q.items, s)
	q.mu.Unlock()
}

func (q *Queue) Pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n--
	s := q.items[0]
	q.items = q.items[1:]
	return s
}

func (q *Queue) Len() int {
	return q.n // want `q\.n is read here without q\.mu`
}

// Server's connection state is a struct of its own, inside Server.
type Server struct {
	name  string
	state struct {
		mu    sync.Mutex
		conns int
		addr  string
	}
}

func (s *Server) Accept() {
	s.state.mu.Lock()
	s.state.conns++
	s.state.mu.Unlock()
}

func (s *Server) Conns() int {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	return s.state.conns
}

func (s *Server) Drain() {
	s.state.conns = 0 // want `s\.state\.conns is written here without s\.state\.mu`
}

// Options has tagged fields.
type Options struct {
	mu      sync.Mutex
	Retries int    `json:"retries"`
	Name    string `json:"name"`
}

func (c *Options) Retry() {
	c.mu.Lock()
	c.Retries++
	c.mu.Unlock()
}

func (c *Options) Tries() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Retries
}

func (c *Options) Forget() {
	c.Retries = 0 // want `c\.Retries is written here without c\.mu`
}
