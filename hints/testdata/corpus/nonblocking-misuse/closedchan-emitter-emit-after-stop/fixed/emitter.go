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
	quit   chan struct{}
	done   chan struct{}
	write  func(Event) error
}

// NewEmitter starts the writer goroutine.
func NewEmitter(write func(Event) error) *Emitter {
	e := &Emitter{events: make(chan Event, 64), quit: make(chan struct{}), done: make(chan struct{}), write: write}
	go e.run()
	return e
}

func (e *Emitter) run() {
	defer close(e.done)
	for {
		select {
		case ev := <-e.events:
			e.write(ev)
		case <-e.quit:
			for {
				select {
				case ev := <-e.events:
					e.write(ev)
				default:
					return
				}
			}
		}
	}
}

// Emit queues ev for writing. Request handlers call it concurrently.
func (e *Emitter) Emit(ev Event) {
	select {
	case e.events <- ev:
	case <-e.quit:
	}
}

// Stop flushes the queued events and stops the writer. It is called on
// shutdown while requests may still be in flight.
func (e *Emitter) Stop() {
	close(e.quit)
	<-e.done
}
