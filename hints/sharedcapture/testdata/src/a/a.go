package a

import (
	"context"
	"errors"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

func get(url string) ([]byte, error) { return nil, nil }

// Fetch returns on the timeout while the goroutine may still assign the
// named results.
func Fetch(ctx context.Context, url string) (body []byte, err error) {
	done := make(chan struct{})
	go func() {
		body, err = get(url) // want `the goroutine started at line 21 writes body and err here, possibly after Fetch has returned at line 29 \(which writes them\) without waiting for it: a data race`
		close(done)
	}()
	select {
	case <-done:
		return body, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Count increments a captured counter from every goroutine.
func Count(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ // want `n is written and read by every goroutine started at line 39, which run at the same time with no lock: a data race`
		}()
	}
	wg.Wait()
	return n
}

// Proxy copies both ways and both directions assign err.
func Proxy(a, b io.ReadWriter) error {
	var err error
	done := make(chan struct{})
	go func() {
		_, err = io.Copy(a, b) // want `the goroutine started at line 52 writes err here while Proxy writes it at line 56, with no Wait, receive or common lock in between: a data race`
		close(done)
	}()
	_, err = io.Copy(b, a)
	<-done
	return err
}

// Poll runs until the returned stop function is called; the flag is
// shared without synchronization.
func Poll(tick func()) (stop func()) {
	stopped := false
	go func() {
		for !stopped {
			tick()
			time.Sleep(time.Millisecond)
		}
	}()
	return func() {
		stopped = true // want `the function literal returned at line 71 writes stopped here while the goroutine started at line 65 reads it at line 66, with nothing ordering them: a data race`
	}
}

// Rollout records a failure from every errgroup goroutine.
func Rollout(regions []string, push func(string) error) (failed string, err error) {
	var g errgroup.Group
	for _, r := range regions {
		g.Go(func() error {
			if err := push(r); err != nil {
				failed = r // want `failed is written by every goroutine started at line 80, which run at the same time with no lock: a data race`
				return err
			}
			return nil
		})
	}
	err = g.Wait()
	return failed, err
}

// Retry reports progress from a goroutine while the loop moves on.
func Retry(op func() error, report func(int)) {
	attempt := 0
	go func() {
		for {
			report(attempt) // want `the goroutine started at line 95 reads attempt here while Retry writes it at line 102, with no Wait, receive or common lock in between: a data race`
			time.Sleep(time.Second)
		}
	}()
	for op() != nil {
		attempt++
	}
}

func spawn(f func()) { go f() }

// Helper starts the closure through a helper of the package.
func Helper() bool {
	ready := false
	spawn(func() { ready = true }) // want `the goroutine started at line 111 writes ready here while Helper reads it at line 112, with no Wait, receive or common lock in between: a data race`
	return ready
}

// After schedules a callback that writes a variable the caller reads.
func After(d time.Duration) bool {
	fired := false
	time.AfterFunc(d, func() { fired = true }) // want `the goroutine started at line 118 writes fired here while After reads it at line 119, with no Wait, receive or common lock in between: a data race`
	return fired
}

// ---- near misses: none of these is reported ----

func WriteBeforeGo() {
	msg := "a"
	msg = "b"
	go func() { println(msg) }()
}

func ReadAfterWait(items []int) int {
	var wg sync.WaitGroup
	sum := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, x := range items {
			sum += x
		}
	}()
	wg.Wait()
	return sum
}

func ReadAfterDone() error {
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		err = errors.New("x")
	}()
	<-done
	return err
}

func ReadAfterResult() (int, error) {
	var n int
	errc := make(chan error, 1)
	go func() {
		n = 3
		errc <- nil
	}()
	if err := <-errc; err != nil {
		return 0, err
	}
	return n, nil
}

func ReadAfterGroupWait(parts []string) (string, error) {
	var g errgroup.Group
	var first string
	g.Go(func() error {
		first = parts[0]
		return nil
	})
	if err := g.Wait(); err != nil {
		return "", err
	}
	return first, nil
}

func Locked(items []int) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for _, x := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total += x
			mu.Unlock()
		}()
	}
	mu.Lock()
	t := total
	mu.Unlock()
	wg.Wait()
	return t
}

func PerIteration(items []int) {
	var wg sync.WaitGroup
	for i, x := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x *= 2
			println(i, x)
		}()
	}
	wg.Wait()
}

func Callback(xs []int) int {
	swaps := 0
	sort.Slice(xs, func(i, j int) bool {
		swaps++
		return xs[i] < xs[j]
	})
	return swaps
}

func Once() int {
	var once sync.Once
	v := 0
	once.Do(func() { v = 42 })
	return v
}

func Handoff() {
	start := make(chan struct{})
	cfg := ""
	go func() {
		<-start
		println(cfg)
	}()
	cfg = "ready"
	close(start)
}

func Atomic(items []int) int64 {
	var wg sync.WaitGroup
	var n int64
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

func Distinct(items []int) []int {
	var wg sync.WaitGroup
	out := make([]int, len(items))
	for i, x := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = x * x
		}()
	}
	wg.Wait()
	return out
}

func Recursive(n int) int {
	total := 0
	var walk func(int)
	walk = func(i int) {
		total += i
		if i > 0 {
			walk(i - 1)
		}
	}
	walk(n)
	return total
}

func runAndWait(f func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
	wg.Wait()
}

func HelperJoins() string {
	s := ""
	runAndWait(func() { s = "done" })
	return s
}

func BothCasesWait(ctx context.Context) error {
	var err error
	done := make(chan struct{})
	go func() {
		err = errors.New("x")
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		<-done
	}
	return err
}

func GoroutineOnly() {
	go func() {
		n := 0
		for i := 0; i < 10; i++ {
			n += i
		}
		println(n)
	}()
}

// A consumer's dispatcher runs the requests its callers send it; a request
// writes the caller's own result variable and the caller waits for it.
// Many consumers run at once, each with its own dispatcher, and each call
// of next has its own result: nothing is shared between them.
type consumer struct {
	reqs chan func(int)
	quit chan struct{}
}

func (c *consumer) dispatcher() {
	n := 0
	for {
		select {
		case f := <-c.reqs:
			n++
			f(n)
		case <-c.quit:
			return
		}
	}
}

func (c *consumer) next() int {
	var wg sync.WaitGroup
	wg.Add(1)
	var got int
	c.reqs <- func(n int) {
		got = n
		wg.Done()
	}
	wg.Wait()
	return got
}

func newConsumer() *consumer {
	c := &consumer{reqs: make(chan func(int)), quit: make(chan struct{})}
	go c.dispatcher()
	return c
}

func StartConsumers(n int) chan *consumer {
	out := make(chan *consumer, n)
	for i := 0; i < n; i++ {
		go func() {
			out <- newConsumer()
		}()
	}
	return out
}
