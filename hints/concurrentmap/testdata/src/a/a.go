package a

import (
	"context"
	"net/http"
	"sync"
	"time"
)

func fetch(u string) int { return len(u) }

// Crawl writes the captured map from every goroutine.
func Crawl(urls []string) map[string]int {
	sizes := make(map[string]int)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sizes[u] = fetch(u) // want `map sizes is written by every goroutine started at line 18 with no lock: concurrent map writes abort the program; guard the map with a sync\.Mutex or use a sync\.Map`
		}()
	}
	wg.Wait()
	return sizes
}

type Checker struct {
	mu     sync.Mutex
	seen   map[string]bool
	broken []string
	wg     sync.WaitGroup
}

func (c *Checker) visit(u string) {
	defer c.wg.Done()
	if c.seen[u] {
		return
	}
	c.seen[u] = true // want `map c\.seen is written by every goroutine started at line 49 with no lock: concurrent map writes abort the program; guard the map with a sync\.Mutex or use a sync\.Map`
	c.mu.Lock()
	c.broken = append(c.broken, u)
	c.mu.Unlock()
}

// Check visits every link in its own goroutine.
func (c *Checker) Check(links []string) []string {
	for _, l := range links {
		c.wg.Add(1)
		go c.visit(l)
	}
	c.wg.Wait()
	return c.broken
}

type Monitor struct {
	status map[string]string
	stop   chan struct{}
}

func (m *Monitor) poll() {
	for {
		select {
		case <-m.stop:
			return
		case <-time.After(time.Second):
			m.status["db"] = "ok" // want `the goroutine started at line 71 writes map m\.status here and keeps running after Start returns, while ServeHTTP reads it at line 74 with no common lock: a map read during a write aborts the program; guard the map with a sync\.Mutex or use a sync\.Map`
		}
	}
}

func (m *Monitor) Start() { go m.poll() }

func (m *Monitor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range m.status {
		w.Write([]byte(k + v))
	}
}

// Validate appends to a captured slice from every goroutine.
func Validate(items []string, check func(string) error) []error {
	var errs []error
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(it); err != nil {
				errs = append(errs, err) // want `errs = append\(errs, \.\.\.\) runs in every goroutine started at line 85 with no lock: the appends race on the slice and lose elements; guard the slice with a sync\.Mutex, or send the values on a channel and append in one goroutine`
			}
		}()
	}
	wg.Wait()
	return errs
}

var registry = map[string]int{}

// Register starts a goroutine that writes the package's map while the
// caller goes on reading it.
func Register(name string) int {
	go func() {
		registry[name] = len(name) // want `the goroutine started at line 101 writes map registry here while Register reads it at line 104, with no common lock: a map read during a write aborts the program; guard the map with a sync\.Mutex or use a sync\.Map`
	}()
	return registry["x"]
}

type Table[K comparable, V any] struct {
	values map[K]V
}

// Warm fills the generic table from one goroutine per key.
func (t *Table[K, V]) Warm(keys []K, load func(K) V) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.values[k] = load(k) // want `map t\.values is written by every goroutine started at line 116 with no lock: concurrent map writes abort the program; guard the map with a sync\.Mutex or use a sync\.Map`
		}()
	}
	wg.Wait()
}

// Evict deletes from the map in a goroutine while the caller reads it.
func Evict(cache map[string]int, key string) int {
	go delete(cache, key)
	go func() {
		delete(cache, key+"x") // want `the goroutine started at line 127 writes map cache here while Evict reads it at line 130, with no common lock: a map read during a write aborts the program; guard the map with a sync\.Mutex or use a sync\.Map`
	}()
	return cache["y"]
}

// ---- near misses ----

func FilledBefore(keys []string) {
	lookup := map[string]int{}
	for i, k := range keys {
		lookup[k] = i
	}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			println(lookup[k])
		}()
	}
	wg.Wait()
}

func ReadAfterWait(keys []string) int {
	m := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range keys {
			m[k]++
		}
	}()
	wg.Wait()
	return m["a"]
}

func Locked(keys []string) map[string]int {
	var mu sync.Mutex
	m := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			m[k]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return m
}

func SyncMap(keys []string) {
	var m sync.Map
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Store(k, true)
		}()
	}
	wg.Wait()
}

func OwnMap(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := map[rune]int{}
			for _, r := range k {
				counts[r]++
			}
			println(len(counts))
		}()
	}
	wg.Wait()
}

func Distinct(keys []string) []int {
	out := make([]int, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = len(k)
		}()
	}
	wg.Wait()
	return out
}

func AppendLocked(keys []string) []int {
	var mu sync.Mutex
	var out []int
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			out = append(out, len(k))
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

type Server struct {
	routes map[string]string
	hits   map[string]int
	done   chan struct{}
	wg     sync.WaitGroup
}

// Handle configures a route before Run starts the goroutine that reads
// the routes.
func (s *Server) Handle(path, target string) { s.routes[path] = target }

func (s *Server) Run() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for p := range s.routes {
			println(p)
		}
		for {
			select {
			case <-s.done:
				return
			case <-time.After(time.Second):
				s.hits["tick"]++
			}
		}
	}()
}

// Stop waits for the goroutine before reading what it wrote.
func (s *Server) Stop() int {
	close(s.done)
	s.wg.Wait()
	return s.hits["tick"]
}

func AppendAfterWait(keys []string) []string {
	var out []string
	done := make(chan string)
	for _, k := range keys {
		go func() { done <- k }()
	}
	for range keys {
		out = append(out, <-done)
	}
	return out
}

// Links follows links from every page in a new goroutine of itself.
type Links struct {
	seen map[string]bool
	wg   sync.WaitGroup
}

func (c *Links) visit(u string, depth int) {
	defer c.wg.Done()
	if depth == 0 || c.seen[u] {
		return
	}
	c.seen[u] = true // want `map c\.seen is written by every goroutine started at line 304 with no lock: concurrent map writes abort the program; guard the map with a sync\.Mutex or use a sync\.Map`
	for _, l := range []string{u + "/a", u + "/b"} {
		c.wg.Add(1)
		go c.visit(l, depth-1)
	}
}

// Status polls in Run, which callers start with go, and serves the
// result from ServeHTTP.
type Status struct {
	names  []string
	status map[string]string
}

func (s *Status) Run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, n := range s.names {
			s.status[n] = "ok" // want `Run writes map s\.status here while ServeHTTP reads it at line 331; a polling loop and an HTTP handler run in different goroutines, with no lock: a map read during a write aborts the program; guard the map with a sync\.Mutex or use a sync\.Map`
		}
	}
}

func (s *Status) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for n, st := range s.status {
		w.Write([]byte(n + st))
	}
}

// Hits counts requests in a map from the handler itself.
type Hits struct{ byPath map[string]int }

func (h *Hits) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.byPath[r.URL.Path]++ // want `ServeHTTP writes map h\.byPath here; net/http calls ServeHTTP for many requests at once, with no lock: concurrent map writes abort the program; guard the map with a sync\.Mutex or use a sync\.Map`
}

// Config is filled by Set before Serve uses it (near miss: no polling
// loop, no handler writing).
type Config struct{ values map[string]string }

func (c *Config) Set(k, v string) { c.values[k] = v }

func (c *Config) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte(c.values[r.URL.Path]))
}

// Guarded handler (near miss).
type Guarded struct {
	mu   sync.Mutex
	hits map[string]int
}

func (g *Guarded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.hits[r.URL.Path]++
	g.mu.Unlock()
}
