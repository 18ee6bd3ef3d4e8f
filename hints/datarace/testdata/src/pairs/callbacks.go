package pairs

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Fields written by callbacks, while the code that handed them out reads
// them.

type recorder struct {
	calls int
	last  string
}

func (r *recorder) record(ev string) {
	r.calls++ // want "the goroutine started at line 25 writes `r\\.calls` here while TestWatch reads it at line 37, with nothing ordering the two: a data race"
	r.last = ev
}

// watch delivers the events to cb on a goroutine of its own.
func watch(events []string, cb func(string)) {
	go func() {
		for _, ev := range events {
			cb(ev)
		}
	}()
}

// TestWatch reads what the recorder counts while the watcher may still
// deliver.
func TestWatch(t *testing.T) {
	r := &recorder{}
	watch([]string{"a", "b"}, r.record)
	if r.calls > 2 {
		t.Errorf("%d calls", r.calls)
	}
}

// watchDone delivers the events, then closes the channel it returns.
func watchDone(events []string, cb func(string)) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for _, ev := range events {
			cb(ev)
		}
		close(done)
	}()
	return done
}

// TestWatchDone waits for the watcher before it reads.
func TestWatchDone(t *testing.T) {
	r := &recorder{}
	<-watchDone([]string{"a", "b"}, r.record)
	if r.calls != 2 {
		t.Errorf("%d calls", r.calls)
	}
}

type entry struct {
	expired bool
}

// Expire: the timer's callback writes the flag the caller reads.
func Expire(d time.Duration) bool {
	e := &entry{}
	time.AfterFunc(d, func() { e.expired = true }) // want "the function time\\.AfterFunc runs \\(line 70\\) writes `e\\.expired` here while Expire reads it at line 72, with nothing ordering the two: a data race"
	time.Sleep(2 * d)
	return e.expired
}

// ExpireSignalled: the callback closes a channel after its write.
func ExpireSignalled(d time.Duration) bool {
	e := &entry{}
	fired := make(chan struct{})
	time.AfterFunc(d, func() {
		e.expired = true
		close(fired)
	})
	<-fired
	return e.expired
}

type session struct {
	aborted bool
}

// Abort: context.AfterFunc runs the callback on a goroutine of its own
// once ctx is done, while Abort goes on reading the flag.
func Abort(ctx context.Context) bool {
	s := &session{}
	context.AfterFunc(ctx, func() { s.aborted = true }) // want "the function context\\.AfterFunc runs \\(line 95\\) writes `s\\.aborted` here while Abort reads it at line 97, with nothing ordering the two: a data race"
	time.Sleep(time.Millisecond)
	return s.aborted
}

// AbortBeforeCancel: the flag is written before the cancel that runs the
// callback (nothing else can cancel the context), and the callback only
// reads it.
func AbortBeforeCancel() {
	s := &session{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	context.AfterFunc(ctx, func() {
		defer wg.Done()
		_ = s.aborted
	})
	s.aborted = true
	cancel()
	wg.Wait()
}

type tally struct {
	n int
}

// SortCounting: sort.Slice calls its function on the caller's goroutine,
// and so does every function of Walk below; the count is read after.
func WalkCounting(items []string) int {
	t := &tally{}
	walk(items, func(string) { t.n++ })
	return t.n
}

func walk(items []string, f func(string)) {
	for _, it := range items {
		f(it)
	}
}

// WalkParallel: the same callback, called from parallel goroutines.
func WalkParallel(items []string) int {
	t := &tally{}
	walkParallel(items, func(string) { t.n++ }) // want "the goroutine started at line 145 writes `t\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"
	return t.n
}

func walkParallel(items []string, f func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { f(it) })
	}
	wg.Wait()
}
