package a

import (
	"sync"
	"time"
)

type Peer struct{ Addr string }

type Conn struct{}

func dial(Peer) (*Conn, error) { return &Conn{}, nil }
func replicate(*Conn)          {}

// Replicate skips Done when a peer is down.
func Replicate(peers []Peer) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // want "the goroutine started here can return at line 23 without calling wg.Done: wg.Wait at line 29 then blocks forever"
			conn, err := dial(p)
			if err != nil {
				return
			}
			replicate(conn)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ReplicateDeferred marks Done on every path.
func ReplicateDeferred(peers []Peer) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // ok
			defer wg.Done()
			conn, err := dial(p)
			if err != nil {
				return
			}
			replicate(conn)
		}()
	}
	wg.Wait()
}

type Dispatcher struct {
	wg sync.WaitGroup
}

// Dispatch starts process, which counts itself too late.
func (d *Dispatcher) Dispatch(ev string) {
	go d.process(ev)
}

func (d *Dispatcher) process(ev string) {
	d.wg.Add(1) // want "d.wg.Add runs in the goroutine started at line 55, not before it: d.wg.Wait at line 65 can run first"
	defer d.wg.Done()
	_ = ev
}

// Drain waits for the events being processed.
func (d *Dispatcher) Drain() { d.wg.Wait() }

type Server struct {
	wg sync.WaitGroup
}

// Serve counts each connection inside its goroutine, after a log line.
func (s *Server) Serve(conns []int, handle func(int)) {
	for _, c := range conns {
		go func() {
			println("conn", c)
			s.wg.Add(1) // want "s.wg.Add runs in the goroutine started at line 74, not before it"
			defer s.wg.Done()
			handle(c)
		}()
	}
}

func (s *Server) Shutdown() { s.wg.Wait() }

// ServeCounted counts before starting.
func (s *Server) ServeCounted(conns []int, handle func(int)) {
	for _, c := range conns {
		s.wg.Add(1) // ok
		go func() {
			defer s.wg.Done()
			handle(c)
		}()
	}
}

// Pool's dispatcher is counted itself, so its Adds are covered.
func (s *Server) Pool(jobs <-chan int, handle func(int)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for j := range jobs {
			s.wg.Add(1) // ok: the count is above zero
			go func() {
				defer s.wg.Done()
				handle(j)
			}()
		}
	}()
}

type Scheduler struct {
	wg sync.WaitGroup
}

// After runs task later, counting it only when the timer fires.
func (s *Scheduler) After(d time.Duration, task func()) {
	time.AfterFunc(d, func() {
		s.wg.Add(1) // want "s.wg.Add runs in the time.AfterFunc callback set at line 117, not before it"
		defer s.wg.Done()
		task()
	})
}

func (s *Scheduler) Close() { s.wg.Wait() }

// Mirror adds two but starts three.
func Mirror(data []byte, write func(int, []byte) error) {
	var wg sync.WaitGroup
	wg.Add(2) // want "wg.Add\\(2\\) adds 2 but 3 goroutines that call wg.Done are started after it: wg.Wait can return while a goroutine still runs"
	go func() { defer wg.Done(); write(0, data) }()
	go func() { defer wg.Done(); write(1, data) }()
	go func() { defer wg.Done(); write(2, data) }()
	wg.Wait()
}

// MirrorTwo adds what it starts.
func MirrorTwo(data []byte, write func(int, []byte) error) {
	var wg sync.WaitGroup
	wg.Add(2) // ok
	go func() { defer wg.Done(); write(0, data) }()
	go func() { defer wg.Done(); write(1, data) }()
	wg.Wait()
}

type Shard struct{ Size int }

// Compact counts every shard but skips the small ones.
func Compact(shards []Shard, compact func(Shard)) {
	var wg sync.WaitGroup
	wg.Add(len(shards)) // want "wg.Add\\(len\\(shards\\)\\) counts every element of shards, but the loop can skip the go statement at line 155"
	for _, s := range shards {
		if s.Size < 10 {
			continue
		}
		go func() {
			defer wg.Done()
			compact(s)
		}()
	}
	wg.Wait()
}

// CompactDone marks the skipped shards Done itself.
func CompactDone(shards []Shard, compact func(Shard)) {
	var wg sync.WaitGroup
	wg.Add(len(shards)) // ok
	for _, s := range shards {
		if s.Size < 10 {
			wg.Done()
			continue
		}
		go func() {
			defer wg.Done()
			compact(s)
		}()
	}
	wg.Wait()
}

// Check waits inside the loop that starts the probes.
func Check(targets []string, probe func(string) bool) []bool {
	var wg sync.WaitGroup
	results := make(chan bool)
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- probe(t)
		}()
		wg.Wait() // want "wg.Wait inside the loop waits for the goroutine started at line 186, which blocks on `results <- probe\\(t\\)` until the receive after the loop at line 194: wg.Wait never returns"
	}
	var out []bool
	for range targets {
		out = append(out, <-results)
	}
	return out
}

// Batches waits per batch, with work in between: fine.
func Batches(batches [][]string, probe func(string) bool) {
	var wg sync.WaitGroup
	for _, b := range batches {
		for _, t := range b {
			wg.Add(1)
			go func() {
				defer wg.Done()
				probe(t)
			}()
		}
		wg.Wait() // ok
	}
}

// Pair runs two things at once: the parent works while the goroutine does.
func Pair(items []string, a, b func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a(it)
		}()
		b(it)
		wg.Wait() // ok
	}
}

// Vet reports this one (Add as the first statement of the go func).
func Vet() {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1) // ok: vet's waitgroup check reports it
		defer wg.Done()
	}()
	wg.Wait()
}

// Consumer returns on the ctx branch without Done.
func Consume(msgs <-chan string, done <-chan struct{}, handle func(string)) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { // want "the goroutine started here can return at line 253 without calling wg.Done"
			for {
				select {
				case m, ok := <-msgs:
					if !ok {
						wg.Done()
						return
					}
					handle(m)
				case <-done:
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Spread uses WaitGroup.Go: the count is right by construction.
func Spread(items []string, do func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { do(it) }) // ok
	}
	wg.Wait()
}

// PerItem calls Done once per item, not per goroutine.
func PerItem(items <-chan string, n int, do func(string)) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() { // ok
			for it := range items {
				do(it)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// MirrorOne adds two but starts one: the count says so in the singular.
func MirrorOne(data []byte, write func(int, []byte) error) {
	var wg sync.WaitGroup
	wg.Add(2) // want "wg.Add\\(2\\) adds 2 but 1 goroutine that calls wg.Done is started after it: the count never reaches zero"
	go func() { defer wg.Done(); write(0, data) }()
	wg.Wait()
}
