package eventbus

// Event is something that happened in the system.
type Event struct {
	Kind    string
	Payload []byte
	Attempt int
}

// Handler processes one event.
type Handler func(Event) error

// Dispatcher delivers events to a handler from a single goroutine.
type Dispatcher struct {
	events     chan Event
	handle     Handler
	maxRetries int
}

// NewDispatcher starts the dispatch loop.
func NewDispatcher(h Handler, maxRetries int) *Dispatcher {
	d := &Dispatcher{events: make(chan Event), handle: h, maxRetries: maxRetries}
	go d.loop()
	return d
}

// Publish hands ev to the dispatch loop.
func (d *Dispatcher) Publish(ev Event) {
	d.events <- ev
}

// Close stops the dispatch loop. Publish must not be called afterwards.
func (d *Dispatcher) Close() {
	close(d.events)
}

func (d *Dispatcher) loop() {
	for ev := range d.events {
		if err := d.handle(ev); err != nil && ev.Attempt < d.maxRetries {
			d.retry(ev)
		}
	}
}

func (d *Dispatcher) retry(ev Event) {
	ev.Attempt++
	d.events <- ev
}
