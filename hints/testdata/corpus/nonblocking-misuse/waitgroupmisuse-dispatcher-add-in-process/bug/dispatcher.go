package ingest

import (
	"sync"
	"sync/atomic"
	"time"
)

// Event is an ingested record.
type Event struct {
	Source string
	Body   []byte
	At     time.Time
}

// Dispatcher handles every event in its own goroutine.
type Dispatcher struct {
	handle  func(Event) error
	wg      sync.WaitGroup
	failed  atomic.Int64
	handled atomic.Int64
}

// NewDispatcher returns a dispatcher using handle.
func NewDispatcher(handle func(Event) error) *Dispatcher {
	return &Dispatcher{handle: handle}
}

// Dispatch handles ev asynchronously.
func (d *Dispatcher) Dispatch(ev Event) {
	go d.process(ev)
}

func (d *Dispatcher) process(ev Event) {
	d.wg.Add(1)
	defer d.wg.Done()
	if err := d.handle(ev); err != nil {
		d.failed.Add(1)
		return
	}
	d.handled.Add(1)
}

// Drain waits until every event dispatched before the call has been
// handled and returns the number of handled and failed events. It must not
// be called concurrently with Dispatch.
func (d *Dispatcher) Drain() (handled, failed int64) {
	d.wg.Wait()
	return d.handled.Load(), d.failed.Load()
}
