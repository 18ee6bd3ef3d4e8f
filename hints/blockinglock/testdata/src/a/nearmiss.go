package a

import (
	"context"
	"sync"
	"time"
)

// Near misses: none of these is reported.

type Node struct {
	mu      sync.Mutex
	log     []string
	commitC chan struct{}
	applied chan string
	quit    chan struct{}
	wg      sync.WaitGroup
	cond    *sync.Cond
	ready   bool
	other   sync.Mutex
}

func NewNode() *Node {
	n := &Node{commitC: make(chan struct{}, 1), applied: make(chan string), quit: make(chan struct{})}
	n.cond = sync.NewCond(&n.mu)
	go n.run()
	return n
}

func (n *Node) run() {
	for range n.commitC {
		n.mu.Lock()
		e := n.log[len(n.log)-1]
		n.mu.Unlock()
		select {
		case n.applied <- e:
		case <-n.quit:
			return
		}
	}
}

// A select with a default case does not block.
func (n *Node) Propose(e string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.log = append(n.log, e)
	select { // ok
	case n.commitC <- struct{}{}:
	default:
	}
}

// A send on a buffered channel has room.
func (n *Node) Kick() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.commitC <- struct{}{} // ok: buffered
}

// A context or a timer releases the select.
func (n *Node) WaitApplied(ctx context.Context) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	select { // ok
	case e := <-n.applied:
		return e
	case <-ctx.Done():
		return ""
	}
}

func (n *Node) WaitAppliedFor(d time.Duration) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	select { // ok
	case e := <-n.applied:
		return e
	case <-time.After(d):
		return ""
	}
}

// The lock is released before waiting.
func (n *Node) Applied() string {
	n.mu.Lock()
	n.log = n.log[:0]
	n.mu.Unlock()
	return <-n.applied // ok
}

// Cond.Wait releases its own lock.
func (n *Node) AwaitReady() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for !n.ready {
		n.cond.Wait() // ok: c.L is n.mu
	}
}

func (n *Node) SetReady() {
	n.mu.Lock()
	n.ready = true
	n.mu.Unlock()
	n.cond.Broadcast()
}

// Cond.Wait holding another lock that the signaller does not need.
func (n *Node) AwaitReadyCounted() {
	n.other.Lock()
	defer n.other.Unlock()
	n.mu.Lock()
	defer n.mu.Unlock()
	for !n.ready {
		n.cond.Wait() // ok: SetReady does not take n.other
	}
}

// The goroutines waited for do not take the lock.
func (n *Node) Batch(items []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, it := range items {
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			_ = len(it)
		}()
	}
	n.wg.Wait() // ok
}

// The receiver takes another lock.
type Pipe struct {
	mu, statsMu sync.Mutex
	ch          chan int
	n           int
}

func NewPipe() *Pipe {
	p := &Pipe{ch: make(chan int)}
	go func() {
		for v := range p.ch {
			p.statsMu.Lock()
			p.n += v
			p.statsMu.Unlock()
		}
	}()
	return p
}

func (p *Pipe) Push(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ch <- v // ok: the receiver locks statsMu only
}

// Readers do not exclude readers.
type Feed struct {
	mu      sync.RWMutex
	entries []string
	updates chan string
}

func NewFeed() *Feed {
	f := &Feed{updates: make(chan string)}
	go func() {
		for u := range f.updates {
			f.mu.RLock()
			_ = len(f.entries) + len(u)
			f.mu.RUnlock()
		}
	}()
	return f
}

func (f *Feed) Announce() {
	f.mu.RLock()
	defer f.mu.RUnlock()
	f.updates <- "x" // ok: the receiver read-locks
}

// A channel handed out: its receivers are unknown.
type Events struct {
	mu sync.Mutex
	ch chan string
}

func NewEvents() *Events { return &Events{ch: make(chan string)} }

func (e *Events) C() <-chan string { return e.ch }

func (e *Events) record() {
	e.mu.Lock()
	e.mu.Unlock()
	<-e.ch
}

func (e *Events) Emit(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ch <- s // ok: receivers outside the package
}

// A lock held in the parent is not held by the goroutine that blocks.
func (n *Node) Forward() {
	n.mu.Lock()
	defer n.mu.Unlock()
	go func() {
		n.applied <- "x" // ok: this goroutine holds nothing
	}()
}

// A receiver that takes the lock only after it stops receiving.
type Drain struct {
	mu   sync.Mutex
	ch   chan int
	sum  int
	done chan struct{}
}

func NewDrain() *Drain {
	d := &Drain{ch: make(chan int), done: make(chan struct{})}
	go func() {
		s := 0
		for v := range d.ch {
			s += v
		}
		d.mu.Lock()
		d.sum = s
		d.mu.Unlock()
		close(d.done)
	}()
	return d
}

func (d *Drain) Add(v int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ch <- v // ok: the receiver locks only once the channel is closed
}

// Waits on another object of the type: the closer locks its own mutex.
type Child struct {
	mu     sync.Mutex
	done   chan struct{}
	parent *Child
}

func NewChild(p *Child) *Child {
	c := &Child{done: make(chan struct{}), parent: p}
	go c.finish()
	return c
}

func (c *Child) finish() {
	c.mu.Lock()
	c.mu.Unlock()
	close(c.done)
}

func (c *Child) WaitParent() {
	c.mu.Lock()
	defer c.mu.Unlock()
	<-c.parent.done // ok: the parent's closer locks the parent's mutex
}

// The held mutex is unlocked by another goroutine: a handoff.
func Handoff(n int, d time.Duration) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	mu.Lock()
	go func() {
		time.Sleep(d)
		mu.Unlock()
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			mu.Unlock()
		}()
	}
	wg.Wait() // ok: the first goroutine unlocks mu
}

// Each iteration makes its own channel: the receiver's lock comes after the
// receive of this iteration's channel.
func PerIteration(n int) {
	for i := 0; i < n; i++ {
		var m sync.Mutex
		ch := make(chan struct{})
		go func() {
			m.Lock()
			ch <- struct{}{} // ok
			m.Unlock()
		}()
		<-ch
		m.Lock()
		m.Unlock()
	}
}
