// Package cards exercises every hover card. A marker comment "hover:A,B" asks for
// the cards of the first occurrences of A and B on its line.
package cards

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

type Cache[K comparable, V any] struct {
	mu    sync.RWMutex //hover:mu
	items map[K]V      //hover:items
	hits  atomic.Int64 //hover:hits
}

func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock() //hover:RLock
	defer c.mu.RUnlock()
	v, ok := c.items[k]
	if ok {
		c.hits.Add(1) //hover:Add
	}
	return v, ok
}

func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock() //hover:Lock
	c.items[k] = v
	c.mu.Unlock() //hover:Unlock
}

func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	n := len(c.items)
	c.mu.RUnlock()
	return n
}

type Counter struct {
	sync.Mutex
	n     int
	plain int64
}

func (c *Counter) Incr() {
	c.Lock() //hover:Lock
	c.n++
	c.Unlock()
	atomic.AddInt64(&c.plain, 1) //hover:AddInt64
}

func (c *Counter) Read() int64 {
	return c.plain //hover:plain
}

func (c Counter) Value() int {
	return c.n
}

type Pool struct {
	jobs chan int //hover:jobs
	wg   sync.WaitGroup
	out  chan int
}

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan int), out: make(chan int, 8)} //hover:make
	for i := 0; i < n; i++ {
		p.wg.Add(1) //hover:Add
		go p.work() //hover:go
	}
	return p
}

func (p *Pool) work() {
	defer p.wg.Done()       //hover:Done
	for j := range p.jobs { //hover:range
		p.out <- j * 2 //hover:<-
	}
}

func (p *Pool) Close() {
	close(p.jobs) //hover:close
	p.wg.Wait()   //hover:Wait
	close(p.out)
}

func Fetch(ctx context.Context, get func() int) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second) //hover:WithTimeout
	defer cancel()                                       //hover:cancel
	res := make(chan int)
	go func() { //hover:go
		res <- get()
	}()
	select { //hover:select
	case v := <-res: //hover:<-
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func Loop(ctx context.Context, tick <-chan time.Time, work func()) {
	go func() { //hover:go
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick:
				work()
			}
		}
	}()
}

func Spin(f func()) {
	go func() { //hover:go
		for {
			f()
		}
	}()
}

type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond //hover:cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu) //hover:NewCond
	return q
}

func (q *Queue) Push(x int) {
	q.mu.Lock()
	q.items = append(q.items, x)
	q.mu.Unlock()
	q.cond.Signal() //hover:Signal
}

func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() //hover:Wait
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x
}

func (q *Queue) TryPop() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() //hover:Wait
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x, true
}

var (
	once     sync.Once //hover:once
	config   map[string]string
	registry sync.Map                   //hover:registry
	loadOnce = sync.OnceFunc(func() {}) //hover:OnceFunc
)

func Config() map[string]string {
	once.Do(func() { config = map[string]string{} }) //hover:Do
	registry.Store("config", true)                   //hover:Store
	loadOnce()
	return config
}

func Bounded(ctx context.Context, urls []string, get func(string) error) error {
	sem := make(chan struct{}, 4)       //hover:sem
	g, ctx := errgroup.WithContext(ctx) //hover:WithContext
	w := semaphore.NewWeighted(2)       //hover:NewWeighted
	for _, u := range urls {
		g.Go(func() error { //hover:Go
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := w.Acquire(ctx, 1); err != nil { //hover:Acquire
				return err
			}
			defer w.Release(1)
			return get(u)
		})
	}
	return g.Wait() //hover:Wait
}

func Parallel(n int, f func(int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) }) //hover:Go
	}
	wg.Wait()
}

func Later(stop chan struct{}) *time.Timer {
	return time.AfterFunc(time.Second, func() { close(stop) }) //hover:AfterFunc
}

func Try(c *Counter) error {
	if !c.TryLock() { //hover:TryLock
		return errors.New("busy")
	}
	defer c.Unlock()
	return nil
}

func Plain(x int) int {
	return x + 1 //hover:x
}
