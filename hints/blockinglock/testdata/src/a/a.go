package a

import (
	"context"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Wait holds c.mu while waiting for goroutines that lock c.mu.
type Crawler struct {
	head   func(string) (int, error)
	wg     sync.WaitGroup
	mu     sync.Mutex
	status map[string]int
}

func (c *Crawler) Start(urls []string) {
	for _, u := range urls {
		c.wg.Add(1)
		go c.fetch(u)
	}
}

func (c *Crawler) fetch(u string) {
	defer c.wg.Done()
	code := 0
	if status, err := c.head(u); err == nil {
		code = status
	}
	c.mu.Lock()
	c.status[u] = code
	c.mu.Unlock()
}

func (c *Crawler) Wait() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Wait() // want `c\.wg\.Wait\(\) blocks forever holding c\.mu: \(\*Crawler\)\.fetch locks c\.mu \(line 32\) before it calls Done`
	return c.status
}

// Stop holds s.mu while waiting for Serve, which locks s.mu before it
// closes s.done.
type Server struct {
	quit  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	conns map[int]bool
}

func NewServer() *Server {
	return &Server{quit: make(chan struct{}), done: make(chan struct{}), conns: map[int]bool{}}
}

func (s *Server) Serve(next func() (int, bool)) {
	defer close(s.done)
	for {
		c, ok := next()
		if !ok {
			select {
			case <-s.quit:
				s.closeAll()
				return
			default:
			}
			continue
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
	}
}

func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.conns)
}

func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.quit)
	<-s.done // want `receive from s.done blocks forever holding s.mu: \(\*Server\).Serve locks s.mu \(line 64\) before it closes s.done`
}

// Announce sends under the read lock; the observer write-locks before its
// next receive.
type Machine struct {
	mu      sync.RWMutex
	state   map[string]string
	history []string
	updates chan string
}

func NewMachine() *Machine {
	m := &Machine{state: map[string]string{}, updates: make(chan string)}
	go m.observe()
	return m
}

func (m *Machine) observe() {
	for u := range m.updates {
		m.mu.Lock()
		m.history = append(m.history, u)
		m.mu.Unlock()
	}
}

func (m *Machine) Announce(key string) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	m.updates <- m.state[key] // want `send on m\.updates blocks forever holding m\.mu: the receiver, \(\*Machine\)\.observe, locks m\.mu before it receives \(line 106\)`
}

// Rebuild holds idx.mu across g.Wait; the workers lock idx.mu.
type Index struct {
	mu   sync.Mutex
	docs map[string][]string
}

func (idx *Index) add(id string, terms []string) {
	idx.mu.Lock()
	idx.docs[id] = terms
	idx.mu.Unlock()
}

func (idx *Index) Rebuild(ctx context.Context, load func(context.Context, string) (string, error), ids []string) error {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error {
			text, err := load(ctx, id)
			if err != nil {
				return err
			}
			idx.add(id, strings.Fields(text))
			return nil
		})
	}
	return g.Wait() // want `g\.Wait\(\) blocks forever holding idx\.mu: a goroutine it waits for locks idx\.mu \(line 140\) before it returns`
}

// Publish waits for a subscriber or its done channel, which Unsubscribe
// closes only after locking b.mu.
type Subscription struct {
	topic string
	ch    chan string
	done  chan struct{}
}

func (s *Subscription) C() <-chan string { return s.ch }

type Broker struct {
	mu   sync.Mutex
	subs map[*Subscription]bool
}

func (b *Broker) Subscribe(topic string) *Subscription {
	s := &Subscription{topic: topic, ch: make(chan string), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = true
	b.mu.Unlock()
	return s
}

func (b *Broker) Unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs[s] {
		delete(b.subs, s)
		close(s.done)
	}
}

func (b *Broker) Publish(topic, msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.topic != topic {
			continue
		}
		select { // want `select blocks forever holding b\.mu: \(\*Broker\)\.Unsubscribe locks b\.mu \(line 171\) before it closes s\.done`
		case s.ch <- msg:
		case <-s.done:
		}
	}
}

// Flush passes its mutex as a sync.Locker to a helper that sends under it;
// the shipper locks the same mutex after each batch.
func flushTo(l sync.Locker, buf *[]string, out chan<- []string) {
	l.Lock()
	defer l.Unlock()
	if len(*buf) == 0 {
		return
	}
	out <- *buf // want `send on out blocks forever while \(\*Logger\)\.Flush holds l\.mu \(it calls flushTo \(line 231\)\): the receiver, \(\*Logger\)\.shipper, locks l\.mu before it receives \(line 222\)`
	*buf = nil
}

type Logger struct {
	ship    func([]string) error
	out     chan []string
	mu      sync.Mutex
	lines   []string
	shipped int
}

func NewLogger(ship func([]string) error) *Logger {
	l := &Logger{ship: ship, out: make(chan []string)}
	go l.shipper()
	return l
}

func (l *Logger) shipper() {
	for batch := range l.out {
		err := l.ship(batch)
		l.mu.Lock()
		if err == nil {
			l.shipped += len(batch)
		}
		l.mu.Unlock()
	}
}

func (l *Logger) Flush() {
	flushTo(&l.mu, &l.lines, l.out)
}

// A Cond.Wait that keeps another lock held.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	statM sync.Mutex
	items []int
	pops  int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Put(x int) {
	q.statM.Lock()
	defer q.statM.Unlock()
	q.mu.Lock()
	q.items = append(q.items, x)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *Queue) Pop() int {
	q.statM.Lock()
	defer q.statM.Unlock()
	q.pops++
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want `q\.cond\.Wait\(\) blocks forever holding q\.statM: Wait releases only the Cond's own lock, and \(\*Queue\)\.Put locks q\.statM \(line 250\) before it calls Signal`
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x
}

// A local channel and a local mutex shared with a goroutine.
func Sum(xs []int) int {
	var mu sync.Mutex
	total := 0
	results := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for r := range results {
			mu.Lock()
			total += r
			mu.Unlock()
		}
	}()
	mu.Lock()
	for _, x := range xs {
		results <- x // want `send on results blocks forever holding mu: the receiver, the func literal in Sum, locks mu before it receives \(line 281\)`
	}
	mu.Unlock()
	close(results)
	<-done
	return total
}

// Propose registers a waiter channel in a map and waits on it with n.mu
// held; the apply loop closes waiters only while holding n.mu.
type Raft struct {
	commitC chan struct{}
	mu      sync.Mutex
	log     []string
	waiters map[int]chan struct{}
}

func NewRaft() *Raft {
	n := &Raft{commitC: make(chan struct{}, 1), waiters: make(map[int]chan struct{})}
	go n.run()
	return n
}

func (n *Raft) Propose(e string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.log = append(n.log, e)
	idx := len(n.log) - 1
	done := make(chan struct{})
	n.waiters[idx] = done
	select {
	case n.commitC <- struct{}{}:
	default:
	}
	<-done // want `receive from done blocks forever holding n.mu: \(\*Raft\).run locks n.mu \(line 329\) before it closes n.waiters\[i\]`
	return idx
}

func (n *Raft) run() {
	applied := 0
	for range n.commitC {
		n.mu.Lock()
		for i := applied; i < len(n.log); i++ {
			if ch, ok := n.waiters[i]; ok {
				close(ch)
				delete(n.waiters, i)
			}
		}
		applied = len(n.log)
		n.mu.Unlock()
	}
}

// A generic result cache with an embedded mutex: Flush sends under it, and
// the consumer locks it before each receive.
type Results[T any] struct {
	sync.Mutex
	pending []T
	out     chan T
}

func NewResults[T any]() *Results[T] {
	r := &Results[T]{out: make(chan T)}
	go r.consume()
	return r
}

func (r *Results[T]) consume() {
	for {
		r.Lock()
		n := len(r.pending)
		r.Unlock()
		_ = n
		<-r.out
	}
}

func (r *Results[T]) Flush(v T) {
	r.Lock()
	defer r.Unlock()
	r.out <- v // want `send on r.out blocks forever holding r: the receiver, \(\*Results\[T\]\).consume, locks r before it receives`
}
