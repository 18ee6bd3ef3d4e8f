package pairs

import (
	"sync"
	"sync/atomic"
)

// Counters bumped by parallel workers through methods.

type hitCounter struct {
	hits int
}

func (c *hitCounter) inc() { c.hits++ } // want "the goroutine started at line 22 writes `c\\.hits` here, and so does every other instance of it, with nothing ordering them: a data race"

// CountHits: every worker increments the same counter through inc.
func CountHits(urls []string) int {
	c := &hitCounter{}
	var wg sync.WaitGroup
	for range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.inc()
		}()
	}
	wg.Wait()
	return c.hits
}

type lockedHits struct {
	mu   sync.Mutex
	hits int
}

func (c *lockedHits) inc() {
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
}

// CountHitsLocked: inc takes the counter's mutex.
func CountHitsLocked(urls []string) int {
	c := &lockedHits{}
	var wg sync.WaitGroup
	for range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.inc()
		}()
	}
	wg.Wait()
	return c.hits
}

type byteCounter struct {
	sent int64
}

func (c *byteCounter) add(n int) { c.sent += int64(n) } // want "the goroutine started at line 69 writes `c\\.sent` here, and so does every other instance of it, with nothing ordering them: a data race"

// SendAll: every sender adds to one total.
func SendAll(chunks [][]byte) int64 {
	c := &byteCounter{}
	var wg sync.WaitGroup
	for _, b := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.add(len(b))
		}()
	}
	wg.Wait()
	return c.sent
}

type atomicBytes struct {
	sent atomic.Int64
}

func (c *atomicBytes) add(n int) { c.sent.Add(int64(n)) }

// SendAllAtomic: the total is an atomic.Int64.
func SendAllAtomic(chunks [][]byte) int64 {
	c := &atomicBytes{}
	var wg sync.WaitGroup
	for _, b := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.add(len(b))
		}()
	}
	wg.Wait()
	return c.sent.Load()
}

type tracker struct {
	pending int
}

func (t *tracker) finish() { t.pending-- } // want "the goroutine started at line 111 writes `t\\.pending` here, and so does every other instance of it, with nothing ordering them: a data race"

// Drain: workers count down one shared pending counter.
func Drain(jobs []string) int {
	t := &tracker{pending: len(jobs)}
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.finish()
		}()
	}
	wg.Wait()
	return t.pending
}

// DrainOwned: each worker counts down a tracker of its own, summed after
// the join.
func DrainOwned(jobs []string) int {
	ts := make([]*tracker, len(jobs))
	var wg sync.WaitGroup
	for i := range jobs {
		t := &tracker{pending: 1}
		ts[i] = t
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.finish()
		}()
	}
	wg.Wait()
	left := 0
	for _, t := range ts {
		left += t.pending
	}
	return left
}

type progress struct {
	done int
}

func (p *progress) work(n int) {
	for i := 0; i < n; i++ {
		p.done++ // want "the goroutine started at line 157 writes `p\\.done` here while Report reads it at line 161, with nothing ordering the two: a data race"
	}
}

// Report reads the counter while the worker may still write it.
func Report(n int) int {
	p := &progress{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.work(n)
	}()
	seen := p.done
	wg.Wait()
	return seen
}

// ReportJoined reads it after the join.
func ReportJoined(n int) int {
	p := &progress{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.work(n)
	}()
	wg.Wait()
	return p.done
}

type totals struct {
	sum int
}

func bump(n *int, by int) { *n += by } // want "the goroutine started at line 191 writes `\\*n` here, and so does every other instance of it, with nothing ordering them: a data race"

// Sum: workers add through a pointer to the field.
func Sum(parts []int) int {
	t := &totals{}
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bump(&t.sum, p)
		}()
	}
	wg.Wait()
	return t.sum
}

// SumHandOff: workers send their parts, and one goroutine adds them.
func SumHandOff(parts []int) int {
	t := &totals{}
	ch := make(chan int)
	for _, p := range parts {
		go func() { ch <- p }()
	}
	for range parts {
		bump(&t.sum, <-ch)
	}
	return t.sum
}
