package fixes

import "sync"

// Races on fields of a struct that has a mutex: the fix locks it around
// both statements, when that can neither lock twice nor block.

type status struct {
	mu    sync.Mutex
	state map[string]string
	last  string
}

func (s *status) set(k, v string) {
	s.mu.Lock()
	s.state[k] = v
	s.mu.Unlock()
}

func (s *status) touch(k string) { s.last = k } // want "the goroutine started at line 27 writes `s\\.last` here, and so does every other instance of it, with nothing ordering them: a data race"

// Touch: every worker writes last.
func Touch(s *status, keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.set(k, "seen")
			s.touch(k)
		}()
	}
	wg.Wait()
}

type meter struct {
	mu    sync.Mutex
	peak  float64
	names []string
}

func (m *meter) observe(v float64) {
	m.peak = v // want "the goroutine started at line 48 writes `m\\.peak` here while Peek reads it at line 49, with nothing ordering the two: a data race"
}

// Peek reads the peak while the goroutine writes it.
func Peek(m *meter) float64 {
	go m.observe(1)
	p := m.peak
	return p
}

// No fix: the statement calls a function, which could take the lock.

func level() float64 { return 2 }

type gauge struct {
	mu  sync.Mutex
	val float64
}

func (g *gauge) update() { g.val = level() } // want "the goroutine started at line 66 writes `g\\.val` here, and so does every other instance of it, with nothing ordering them: a data race"

func Gauge(g *gauge) {
	for i := 0; i < 2; i++ {
		go g.update()
	}
}

// No fix: two mutexes, and which one guards the field is not for the fix
// to say.

type pair struct {
	a, b sync.Mutex
	val  float64
}

func (p *pair) update(v float64) { p.val = v } // want "the goroutine started at line 82 writes `p\\.val` here, and so does every other instance of it, with nothing ordering them: a data race"

func Pair(p *pair) {
	for i := 0; i < 2; i++ {
		go p.update(1)
	}
}

// No fix: a critical section of the mutex waits on a channel; a goroutine
// made to wait for the mutex might be the one that would wake it.

type queue struct {
	mu    sync.Mutex
	items chan string
	depth float64
}

func (q *queue) push(s string) {
	q.mu.Lock()
	q.items <- s
	q.mu.Unlock()
}

func (q *queue) measure(d float64) { q.depth = d } // want "the goroutine started at line 105 writes `q\\.depth` here, and so does every other instance of it, with nothing ordering them: a data race"

func Queue(q *queue) {
	for i := 0; i < 2; i++ {
		go q.measure(1)
	}
	q.push("x")
}

// No fix: the statement is the init of an if.

type window struct {
	mu   sync.Mutex
	size float64
}

func (w *window) grow() bool {
	if w.size = w.size * 2; w.size > 10 { // want "the goroutine started at line 126 writes `w\\.size` here, and so does every other instance of it, with nothing ordering them: a data race"
		return true
	}
	return false
}

func Grow(w *window) {
	for i := 0; i < 2; i++ {
		go w.grow()
	}
}
