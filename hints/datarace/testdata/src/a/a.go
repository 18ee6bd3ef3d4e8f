package a

import (
	"context"
	"sync"
	"sync/atomic"
)

type Stats struct {
	hits   int
	misses int
}

// Workers bump one counter from every goroutine.
func Count(keys []string, st *Stats) {
	var wg sync.WaitGroup
	for range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.hits++ // want "the goroutine started at line 19 writes `st.hits` here, and so does every other instance of it, with nothing ordering them: a data race"
		}()
	}
	wg.Wait()
}

// CountJoined waits before it reads: no race.
func CountJoined(st *Stats) int {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		st.misses++
	}()
	wg.Wait()
	return st.misses
}

type Loop struct {
	stopped bool
	ticks   chan int
}

func (l *Loop) run() {
	for range l.ticks {
		if l.stopped {
			return
		}
	}
}

// Start writes the flag after starting the goroutine that reads it.
func (l *Loop) Start() {
	go l.run()
	l.stopped = false // want "Start writes `l.stopped` here while the goroutine started at line 54 reads it at line 46, with nothing ordering the two: a data race"
}

// StartOrdered writes it before the go statement.
func (l *Loop) StartOrdered() {
	l.stopped = false
	go l.run()
}

type Result struct {
	items []string
	err   error
}

type Guarded struct {
	items []string
}

// Gather appends from every worker to a field of its result: concurrentmap
// reports appends.
func Gather(names []string) *Result {
	r := &Result{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.items = append(r.items, n)
		}()
	}
	wg.Wait()
	return r
}

// GatherLocked guards the field: guardedby's business, and no race.
func GatherLocked(names []string) *Guarded {
	r := &Guarded{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			r.items = append(r.items, n)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return r
}

// GatherPerWorker gives each goroutine its own result.
func GatherPerWorker(names []string) []*Result {
	out := make([]*Result, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		r := &Result{}
		out[i] = r
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.items = append(r.items, n)
		}()
	}
	wg.Wait()
	return out
}

func fetch(ctx context.Context, n string) error { return ctx.Err() }

// FirstError writes the error from every goroutine.
func FirstError(ctx context.Context, names []string) error {
	r := &Result{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fetch(ctx, n); err != nil {
				r.err = err // want "the goroutine started at line 132 writes `r.err` here, and so does every other instance of it, with nothing ordering them: a data race"
			}
		}()
	}
	wg.Wait()
	return r.err
}

// HandOff: the value is written before the send and read after the
// receive.
func HandOff() error {
	r := &Result{}
	done := make(chan struct{})
	go func() {
		r.err = context.Canceled
		close(done)
	}()
	<-done
	return r.err
}

type Recorder struct {
	calls int
}

func (rec *Recorder) Observe() { rec.calls++ } // want "the goroutine started at line 164 writes `rec.calls` here while Watch reads it at line 171, with nothing ordering the two: a data race"

// notify runs the observer on a goroutine of its own.
func notify(observe func()) {
	go observe()
}

// Watch reads what the observer writes, with nothing in between.
func Watch() int {
	rec := &Recorder{}
	notify(rec.Observe)
	return rec.calls
}

// Published: a plain write published by an atomic store that the reader
// checks first.
func Published() error {
	r := &Result{}
	var ready atomic.Bool
	go func() {
		r.err = context.Canceled
		ready.Store(true)
	}()
	if ready.Load() {
		return r.err
	}
	return nil
}

// Cancelled: the write happens before cancel, the read after Done.
func Cancelled() error {
	r := &Result{}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		r.err = context.Canceled
		cancel()
	}()
	<-ctx.Done()
	return r.err
}

// Lazy initialises once: every Do returns after the first one's write.
type Lazy struct {
	once sync.Once
	val  string
}

func (l *Lazy) Get() string {
	l.once.Do(func() { l.val = "ready" })
	return l.val
}

func Both(l *Lazy) {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = l.Get()
		}()
	}
	wg.Wait()
}
