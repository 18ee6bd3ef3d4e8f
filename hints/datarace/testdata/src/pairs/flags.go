package pairs

import (
	"sync"
	"sync/atomic"
	"time"
)

// Flags set by one goroutine while another polls them.

type poller struct {
	closed bool
	polls  int
}

func (p *poller) loop() {
	for !p.closed {
		p.polls++
		time.Sleep(time.Millisecond)
	}
}

func (p *poller) Close() { p.closed = true } // want "PollThenClose writes `p\\.closed` here while the goroutine started at line 28 reads it at line 17, with nothing ordering the two: a data race"

// PollThenClose: Close sets the flag the loop goroutine reads.
func PollThenClose() {
	p := &poller{}
	go p.loop()
	time.Sleep(10 * time.Millisecond)
	p.Close()
}

type atomicPoller struct {
	closed atomic.Bool
}

func (p *atomicPoller) loop() {
	for !p.closed.Load() {
		time.Sleep(time.Millisecond)
	}
}

func (p *atomicPoller) Close() { p.closed.Store(true) }

// PollThenCloseAtomic: the flag is an atomic.Bool.
func PollThenCloseAtomic() {
	p := &atomicPoller{}
	go p.loop()
	time.Sleep(10 * time.Millisecond)
	p.Close()
}

type worker struct {
	stopped bool
	jobs    chan string
	quit    chan struct{}
}

func (w *worker) run() {
	for j := range w.jobs {
		if w.stopped {
			return
		}
		_ = j
	}
}

func (w *worker) Stop() { w.stopped = true } // want "StartStop writes `w\\.stopped` here while the goroutine started at line 73 reads it at line 61, with nothing ordering the two: a data race"

// StartStop: Stop writes the flag run reads between jobs.
func StartStop(jobs []string) {
	w := &worker{jobs: make(chan string)}
	go w.run()
	for _, j := range jobs {
		w.jobs <- j
	}
	w.Stop()
	close(w.jobs)
}

func (w *worker) runQuit() {
	for {
		select {
		case j := <-w.jobs:
			_ = j
		case <-w.quit:
			return
		}
	}
}

// StartStopQuit closes a channel instead: the close is the signal.
func StartStopQuit(jobs []string) {
	w := &worker{jobs: make(chan string), quit: make(chan struct{})}
	go w.runQuit()
	for _, j := range jobs {
		w.jobs <- j
	}
	close(w.quit)
}

type server struct {
	ready bool
	port  int
}

func (s *server) listen() {
	s.port = 8080  // want "the goroutine started at line 115 writes `s\\.port` here while WaitReady reads it at line 119, with nothing ordering the two: a data race"
	s.ready = true // want "the goroutine started at line 115 writes `s\\.ready` here while WaitReady reads it at line 116, with nothing ordering the two: a data race"
}

// WaitReady spins on the flag the listener sets.
func WaitReady() int {
	s := &server{}
	go s.listen()
	for i := 0; i < 3 && !s.ready; i++ {
		time.Sleep(time.Millisecond)
	}
	return s.port
}

// WaitReadyJoined waits for the listener.
func WaitReadyJoined() int {
	s := &server{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.listen()
	}()
	wg.Wait()
	if !s.ready {
		return 0
	}
	return s.port
}

// A ticker's loop runs from its constructor on: whoever calls Close does
// so while the loop reads the flag.
type Ticker struct {
	closed bool
	ticks  int
}

func NewTicker() *Ticker {
	t := &Ticker{}
	go t.loop()
	return t
}

func (t *Ticker) loop() {
	for !t.closed {
		t.ticks++
		time.Sleep(time.Millisecond)
	}
}

// Close stops the loop.
func (t *Ticker) Close() { t.closed = true } // want "Close, called after NewTicker returns, writes `t\\.closed` here while the goroutine started at line 147 reads it at line 152, with nothing ordering the two: a data race"

// A QuitTicker's Close closes the channel the loop selects on.
type QuitTicker struct {
	quit chan struct{}
}

func NewQuitTicker() *QuitTicker {
	t := &QuitTicker{quit: make(chan struct{})}
	go t.loop()
	return t
}

func (t *QuitTicker) loop() {
	for {
		select {
		case <-t.quit:
			return
		case <-time.After(time.Millisecond):
		}
	}
}

// Close stops the loop.
func (t *QuitTicker) Close() { close(t.quit) }

type conn struct {
	mu     sync.Mutex
	closed bool
}

func (c *conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

func (c *conn) reader() {
	for !c.isClosed() {
		time.Sleep(time.Millisecond)
	}
}

// CloseLocked: the flag is read and written under the conn's mutex.
func CloseLocked() {
	c := &conn{}
	go c.reader()
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}
