package a

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"ctxwrap"
)

// Session keeps its cancel func but Close forgets it.
type Session struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewSession(parent context.Context) *Session {
	ctx, cancel := context.WithCancel(parent) // want "the cancel func is stored in Session.cancel but nothing calls it: the context lives until its parent is cancelled\\. "
	return &Session{ctx: ctx, cancel: cancel}
}

func (s *Session) Close() error {
	return nil
}

// Conn calls its cancel func in Close.
type Conn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func Dial(parent context.Context) *Conn {
	c := &Conn{}
	c.ctx, c.cancel = context.WithTimeout(parent, time.Minute) // ok
	return c
}

func (c *Conn) Close() { c.cancel() }

// Runner keeps cancel funcs in a map and deletes them without calling.
type Runner struct {
	mu   sync.Mutex
	jobs map[string]context.CancelFunc
	run  func(context.Context, string)
}

func (r *Runner) Start(ctx context.Context, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx) // want "the cancel func is stored in the map r.jobs but nothing calls it"
	r.jobs[id] = cancel
	go r.run(ctx, id)
}

func (r *Runner) Remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.jobs, id)
}

// Pool calls the cancel funcs of its map.
type Pool struct {
	jobs map[string]context.CancelFunc
}

func (p *Pool) Start(ctx context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(ctx) // ok
	p.jobs[id] = cancel
	return ctx
}

func (p *Pool) Stop(id string) {
	if cancel, ok := p.jobs[id]; ok {
		cancel()
		delete(p.jobs, id)
	}
}

// requestContext returns a context and its cancel func.
func requestContext(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d)
}

// Get drops the cancel func.
func Get(parent context.Context, c *http.Client, url string) (*http.Response, error) {
	ctx, _ := requestContext(parent, time.Second) // want "the cancel func returned by requestContext is dropped: its context \\(and its timer\\) lives until the parent is cancelled or the deadline passes"
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// GetCancel keeps it.
func GetCancel(parent context.Context, c *http.Client, url string) (*http.Response, error) {
	ctx, cancel := requestContext(parent, time.Second) // ok
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// Watcher restarts without cancelling the previous watch.
type Watcher struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	watch  func(context.Context)
}

func (w *Watcher) Restart(parent context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ctx, cancel := context.WithCancel(parent) // want "Watcher.Restart stores a new cancel func in w.cancel without calling the one it replaces"
	w.cancel = cancel
	go w.watch(ctx)
}

func (w *Watcher) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
}

// Reset cancels first.
type Ticker struct {
	cancel context.CancelFunc
}

func (t *Ticker) Reset(parent context.Context) {
	if t.cancel != nil {
		t.cancel()
	}
	_, t.cancel = context.WithCancel(parent) // ok
}

// Exported fields are left alone.
type Handle struct {
	Cancel context.CancelFunc
}

func NewHandle(parent context.Context) (*Handle, context.Context) {
	ctx, cancel := context.WithCancel(parent) // ok
	return &Handle{Cancel: cancel}, ctx
}

// Flush waits for its workers without watching ctx.
func Flush(ctx context.Context, parts []string, write func(string)) {
	go func(ctx context.Context) {
		var wg sync.WaitGroup
		for _, p := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				write(p)
			}()
		}
		wg.Wait() // want "the goroutine started at line 155 is given ctx but ignores it while it waits here \\(wg.Wait\\(\\)\\)"
	}(ctx)
}

// FlushWatching passes ctx on.
func FlushWatching(ctx context.Context, parts []string, write func(context.Context, string)) {
	go func(ctx context.Context) {
		var wg sync.WaitGroup
		for _, p := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				write(ctx, p)
			}()
		}
		wg.Wait() // ok
	}(ctx)
}

// Cleaned hands its cancel func to t.Cleanup-like code: used.
type Cleaned struct {
	cancel context.CancelFunc
}

func NewCleaned(parent context.Context, cleanup func(func())) *Cleaned {
	c := &Cleaned{}
	_, c.cancel = context.WithCancel(parent) // ok
	cleanup(c.cancel)
	return c
}

// Cancels keeps the cancel funcs of running jobs; Get hands one out.
type Cancels struct {
	mu sync.Mutex
	m  map[string]context.CancelFunc
}

func (c *Cancels) Add(id string, f context.CancelFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[id] = f
}

func (c *Cancels) Get(id string) (f context.CancelFunc, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok = c.m[id]
	return f, ok
}

// Running only asks whether the job is there: the cancel func it drops
// belongs to whoever created the context (and stored it with Add).
func Running(c *Cancels, id string) bool {
	_, ok := c.Get(id) // ok
	return ok
}

// timed creates a context behind a deferred call and named results.
func timed(parent context.Context, d time.Duration) (ctx context.Context, cancel context.CancelFunc) {
	defer fmt.Println("timed")
	ctx, cancel = context.WithTimeout(parent, d)
	return
}

// viaTimed creates it through another function of the package.
func viaTimed(parent context.Context) (context.Context, context.CancelFunc) {
	return timed(parent, time.Second)
}

func Probe(parent context.Context) context.Context {
	ctx, _ := timed(parent, time.Second) // want "the cancel func returned by timed is dropped"
	return ctx
}

func Probe2(parent context.Context) context.Context {
	ctx, _ := viaTimed(parent) // want "the cancel func returned by viaTimed is dropped"
	return ctx
}

type builder struct {
	timeout time.Duration
	parent  context.Context
}

// Build picks how to create the context (a wrapper of another package
// creates it too).
func (b *builder) Build() (context.Context, context.CancelFunc) {
	var (
		ctx    context.Context
		cancel context.CancelFunc
	)
	if _, ok := b.parent.Deadline(); ok && b.timeout == 0 {
		ctx, cancel = context.WithCancel(b.parent)
	} else {
		ctx, cancel = ctxwrap.WithTimeout(b.parent, b.timeout)
	}
	return context.WithValue(ctx, "k", 1), cancel
}

func Built(b *builder) context.Context {
	ctx, _ := b.Build() // want "the cancel func returned by Build is dropped"
	return ctx
}
