package a

import (
	"io"
	"sync"
	"time"
)

type Answer struct{ Shard int }

// Gather closes results on the deadline while shards still send.
func Gather(shards []func() Answer, timeout time.Duration) []Answer {
	results := make(chan Answer)
	for _, q := range shards {
		go func() {
			results <- q()
		}()
	}
	var out []Answer
	deadline := time.After(timeout)
	for range shards {
		select {
		case a := <-results:
			out = append(out, a)
		case <-deadline:
			close(results) // want "close\\(results\\) while the goroutine started at line 15 may still send on it: the late `results <- q\\(\\)` panics"
			return out
		}
	}
	return out
}

// FanIn closes after every sender is done.
func FanIn(inputs []<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- v // ok
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok
	}()
	return out
}

// Collect closes after receiving every value.
func Collect(n int, work func(int) int) {
	ch := make(chan int)
	for i := 0; i < n; i++ {
		go func() { ch <- work(i) }() // ok
	}
	for i := 0; i < n; i++ {
		<-ch
	}
	close(ch) // ok
}

// Relay copies both ways; each direction closes done when it ends.
func Relay(a, b io.ReadWriteCloser) {
	done := make(chan struct{})
	go func() {
		io.Copy(a, b)
		close(done) // want "close\\(done\\) here and close\\(done\\) at line 74 in the goroutine started at line 72 can both run: the second close panics"
	}()
	go func() {
		io.Copy(b, a)
		close(done) // want "close\\(done\\) here and close\\(done\\) at line 70 in the goroutine started at line 68 can both run"
	}()
	<-done
	a.Close()
	b.Close()
}

// RelayOnce closes done once.
func RelayOnce(a, b io.ReadWriteCloser) {
	done := make(chan struct{})
	var once sync.Once
	stop := func() { close(done) } // ok: called through once
	go func() {
		io.Copy(a, b)
		once.Do(stop)
	}()
	go func() {
		io.Copy(b, a)
		once.Do(stop)
	}()
	<-done
}

// Finish closes twice: once explicitly, once deferred.
func Finish(steps []func() error) error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		<-done
	}()
	for _, s := range steps {
		if err := s(); err != nil {
			close(done) // want "close\\(done\\) here and the deferred close\\(done\\) at line 100 both run: the second close panics"
			return err
		}
	}
	return nil
}

// Notify closes the same channel in every iteration.
func Notify(waiters []string) {
	ready := make(chan struct{})
	go func() { <-ready }()
	for range waiters {
		close(ready) // want "close\\(ready\\) is in a loop: the next iteration closes ready again and panics"
	}
}

// NotifyEach closes a new channel each time.
func NotifyEach(waiters []chan struct{}) {
	for _, w := range waiters {
		close(w) // ok
	}
}

// SendAfter closes then sends.
func SendAfter(v int) {
	ch := make(chan int, 1)
	close(ch)
	ch <- v // want "send on ch can run after close\\(ch\\) at line 132 and panics"
}

type Worker struct {
	quit chan struct{}
	step func() error
}

func NewWorker(step func() error) *Worker {
	w := &Worker{quit: make(chan struct{}), step: step}
	go w.loop()
	return w
}

func (w *Worker) loop() {
	for {
		select {
		case <-w.quit:
			return
		default:
		}
		if err := w.step(); err != nil {
			close(w.quit) // want "close\\(w.quit\\) here and close\\(w.quit\\) at line 163 in Worker.Stop can both run on one Worker: the second close panics"
			return
		}
	}
}

// Stop closes quit again after a failure.
func (w *Worker) Stop() {
	close(w.quit) // want "close\\(w.quit\\) here and close\\(w.quit\\) at line 155 in Worker.loop can both run"
}

type SafeWorker struct {
	quit     chan struct{}
	stopOnce sync.Once
}

func (w *SafeWorker) fail() { w.stopOnce.Do(func() { close(w.quit) }) } // ok

func (w *SafeWorker) Stop() { w.stopOnce.Do(func() { close(w.quit) }) } // ok

type Emitter struct {
	events chan string
}

// Emit may be called from any goroutine.
func (e *Emitter) Emit(ev string) {
	e.events <- ev // want "send on e.events can run after Emitter.Stop closes it at line 184, and panics: no lock is held by both"
}

func (e *Emitter) Stop() { close(e.events) }

// Handle emits from a goroutine per request.
func (e *Emitter) Handle(reqs []string) {
	for _, r := range reqs {
		go e.Emit(r)
	}
}

// Queue's Publish is only called by other packages, under the contract
// that it is not called after Close.
type Queue struct {
	items chan string
}

func (q *Queue) Publish(s string) {
	q.items <- s // ok
}

// Close must be called after the last Publish.
func (q *Queue) Close() { close(q.items) }

type SafeEmitter struct {
	mu     sync.Mutex
	closed bool
	events chan string
}

func (e *SafeEmitter) Emit(ev string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	select {
	case e.events <- ev: // ok
	default:
	}
}

func (e *SafeEmitter) Stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.closed {
		e.closed = true
		close(e.events) // ok
	}
}

type Pump struct {
	out chan int
}

// Run owns out: it sends, then closes when done.
func (p *Pump) Run(src []int) {
	go p.loop(src)
}

func (p *Pump) loop(src []int) {
	defer close(p.out) // ok
	for _, v := range src {
		p.out <- v // ok
	}
}

// CloseIdle closes only if not closed yet.
func CloseIdle(ch chan struct{}) {
	select {
	case <-ch:
	default:
		close(ch) // ok
	}
}

// Saturate closes once, when the count reaches max.
func Saturate(accept func() bool, max int) {
	saturated := make(chan struct{})
	go func() {
		n := 0
		for accept() {
			n++
			if n == max {
				close(saturated) // ok: once
			}
		}
	}()
	<-saturated
}

// Pool's methods name their receiver differently: each message names the
// channel as the line it points at spells it.
type Pool struct {
	stopCh chan struct{}
	step   func() error
}

func NewPool(step func() error) *Pool {
	s := &Pool{stopCh: make(chan struct{}), step: step}
	go s.loop()
	return s
}

func (s *Pool) loop() {
	if err := s.step(); err != nil {
		close(s.stopCh) // want "close\\(s.stopCh\\) here and close\\(p.stopCh\\) at line 293 in Pool.Stop can both run on one Pool: the second close panics"
	}
}

func (p *Pool) Stop() {
	close(p.stopCh) // want "close\\(p.stopCh\\) here and close\\(s.stopCh\\) at line 288 in Pool.loop can both run"
}
