package scenarios

import (
	"context"
	"net/http"
	"sync"
	"testing"
)

// Goroutines that libraries start with the package's callbacks, parallel
// subtests, and channels that come from outside.

// RaceAfterFunc: context.AfterFunc runs the function on a goroutine of
// its own once ctx, which code outside may cancel at any time, is done.
func RaceAfterFunc(ctx context.Context) int {
	c := &counter{}
	context.AfterFunc(ctx, func() { c.n = 1 }) // race
	return c.n                                 // race
}

// RaceOKAfterFuncCancel: the write comes before the cancel that runs the
// function (nothing else cancels the context).
func RaceOKAfterFuncCancel() {
	c := &counter{}
	ctx, cancel := context.WithCancel(context.Background())
	context.AfterFunc(ctx, func() { _ = c.n })
	c.n = 1
	cancel()
}

type hits struct{ n int }

func (h *hits) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.n++ } // race

// RaceHandler: net/http serves many requests at once.
func RaceHandler(mux *http.ServeMux) {
	mux.Handle("/", &hits{})
}

// RaceOKHandlerReads: the handlers only read what was written before.
func RaceOKHandlerReads(mux *http.ServeMux) {
	c := &counter{name: "x"}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _ = c.name })
}

func RaceParallelSubtests(t *testing.T) {
	c := &counter{}
	for i := 0; i < 2; i++ {
		t.Run("case", func(t *testing.T) {
			t.Parallel()
			c.n++ // race
		})
	}
}

// RaceOKParentFirst: a parallel subtest resumes after its parent test has
// returned, so everything the parent does happens before.
func RaceOKParentFirst(t *testing.T) {
	c := &counter{}
	t.Run("case", func(t *testing.T) {
		t.Parallel()
		_ = c.n
	})
	c.n = 1
}

type bench struct {
	signal chan bool
	result int
}

func (b *bench) launch() {
	defer func() { b.signal <- true }()
	b.result = 1
}

// RaceOKExternalSignal: the channel comes from outside, but the goroutine
// that signals on it is the scenario's own, and its send orders the write.
func RaceOKExternalSignal(b *bench) int {
	go b.launch()
	<-b.signal
	return b.result
}

func (b *bench) launchLocked(mu *sync.Mutex) {
	defer func() { b.signal <- true }()
	mu.Lock()
	b.result = 1
	mu.Unlock()
}

// RaceOKExternalSignalLater: the goroutine is not at its send yet when
// the receive is ready; the receive may still take that send.
func RaceOKExternalSignalLater(b *bench) int {
	var mu sync.Mutex
	go b.launchLocked(&mu)
	<-b.signal
	return b.result
}

// RaceExternalJobs: the workers only receive from the channel from
// outside: nothing of theirs orders their increments.
func RaceExternalJobs(jobs <-chan int, c *counter) {
	for i := 0; i < 2; i++ {
		go func() {
			for range jobs {
				c.n++ // race
			}
		}()
	}
}
