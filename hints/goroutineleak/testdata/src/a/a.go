package a

import (
	"context"
	"sync"
	"time"
)

type entry struct{ expires time.Time }

type Cache struct {
	mu    sync.Mutex
	items map[string]entry
	quit  chan struct{}
}

// NewCache starts a janitor that never stops.
func NewCache() *Cache {
	c := &Cache{items: map[string]entry{}}
	go func() { // want "this goroutine never ends: the loop at line 21 has no way out \\(no return, no ctx.Done\\(\\) case, no closed channel, no stop signal\\); it waits on `<-time.Tick\\(time.Minute\\)`; each call of NewCache leaks one goroutine. Select on a quit channel and return when it fires"
		for range time.Tick(time.Minute) {
			c.evict()
		}
	}()
	return c
}

func (c *Cache) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if time.Now().After(e.expires) {
			delete(c.items, k)
		}
	}
}

// NewStoppableCache stops when Close closes quit.
func NewStoppableCache() *Cache {
	c := &Cache{items: map[string]entry{}, quit: make(chan struct{})}
	go func() { // ok
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.evict()
			case <-c.quit:
				return
			}
		}
	}()
	return c
}

func (c *Cache) Close() { close(c.quit) }

type Reconciler struct {
	events chan string
}

// Start runs a reconcile loop that only ever waits for events.
func (r *Reconciler) Start() {
	go r.loop() // want "this goroutine never ends: the loop at line 68 has no way out .*; it waits on `<-r.events`, `time.Sleep`; each call of Reconciler.Start leaks one goroutine. Select on a quit channel and return when it fires"
}

func (r *Reconciler) loop() {
	for {
		ev := <-r.events
		if ev == "" {
			time.Sleep(time.Second)
			continue
		}
		r.handle(ev)
	}
}

func (r *Reconciler) handle(string) {}

// Watch stops when ctx is cancelled.
func (r *Reconciler) Watch(ctx context.Context) {
	go func() { // ok
		for {
			select {
			case ev := <-r.events:
				r.handle(ev)
			case <-ctx.Done():
				return
			}
		}
	}()
}

// WatchForever has ctx but does not look at it.
func (r *Reconciler) WatchForever(ctx context.Context) {
	go func() { // want "each call of Reconciler.WatchForever leaks one goroutine. Add a case on ctx.Done\\(\\) that returns"
		for {
			select {
			case ev := <-r.events:
				r.handle(ev)
			case <-time.After(time.Second):
			}
		}
	}()
}

// Drain ends when events is closed.
func (r *Reconciler) Drain() {
	go func() { // ok
		for ev := range r.events {
			r.handle(ev)
		}
	}()
}

// Pool starts workers that never end.
func Pool(n int, jobs chan func()) {
	for i := 0; i < n; i++ {
		go func() { // want "each call of Pool leaks a goroutine per iteration"
			for {
				job := <-jobs
				job()
			}
		}()
	}
}

// PoolClosing workers end when jobs is closed.
func PoolClosing(n int, jobs chan func()) {
	for i := 0; i < n; i++ {
		go func() { // ok
			for job := range jobs {
				job()
			}
		}()
	}
}

// Heartbeat runs in a helper that never returns.
func Heartbeat(send func()) {
	go beat(send) // want "the loop at line 145 has no way out .*; it waits on `time.Sleep`; each call of Heartbeat leaks one goroutine"
}

func beat(send func()) {
	for {
		send()
		time.Sleep(time.Second)
	}
}

// Spin ends with runtime.Goexit on failure... or spins: ok, it can end.
func Retry(try func() bool) {
	go func() { // ok
		for !try() {
			time.Sleep(time.Millisecond)
		}
	}()
}

var once sync.Once

// StartOnce starts one daemon for the whole program.
func StartOnce(tick func()) {
	once.Do(func() {
		go func() { // ok
			for {
				tick()
				time.Sleep(time.Second)
			}
		}()
	})
}

// Generic worker.
type Queue[T any] struct{ in chan T }

func (q *Queue[T]) Run(handle func(T)) {
	go func() { // want "each call of Queue.Run leaks one goroutine"
		for {
			handle(<-q.in)
		}
	}()
}

type Flusher struct {
	mu      sync.Mutex
	started bool
	flush   func()
}

// Start starts the flusher once however often it is called.
func (f *Flusher) Start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.started {
		return
	}
	f.started = true
	go func() { // ok: guarded by f.started
		for {
			time.Sleep(time.Second)
			f.flush()
		}
	}()
}

// Supervise exits the program on failure, and otherwise runs forever.
func Supervise(check func() error, fatal func(error)) {
	go func() { // want "each call of Supervise leaks one goroutine"
		for {
			if err := check(); err != nil {
				panic(err)
			}
			time.Sleep(time.Second)
		}
	}()
}

// Report panics after a loop: it ends.
func Report(lines []string) {
	go func() { // ok
		for _, l := range lines {
			println(l)
		}
		panic("done")
	}()
}
