package telemetry

import "time"

// Event is one telemetry record.
type Event struct {
	Name string
	At   time.Time
	Tags map[string]string
}

// Emitter ships events from many goroutines through one writer goroutine.
type Emitter struct {
	events chan Event
	done   chan struct{}
	write  func(Event) error
}

// NewEmitter starts the writer goroutine.
func NewEmitter(write func(Event) error) *Emitter {
	e := &Emitter{events: make(chan Event, 64), done: make(chan struct{}), write: write}
	go e.run()
	return e
}

func (e *Emitter) run() {
	defer close(e.done)
	for ev := range e.events {
		e.write(ev)
	}
}

// Emit queues ev for writing. Request handlers call it concurrently.
func (e *Emitter) Emit(ev Event) {
	e.events <- ev
}

// Stop flushes the queued events and stops the writer. It is called on
// shutdown while requests may still be in flight.
func (e *Emitter) Stop() {
	close(e.events)
	<-e.done
}
