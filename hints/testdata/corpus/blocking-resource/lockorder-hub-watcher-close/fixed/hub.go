package watch

import "sync"

// Event is a change notification.
type Event struct {
	Key   string
	Value []byte
}

// Watcher buffers events for one client.
type Watcher struct {
	sync.Mutex
	hub     *Hub
	pending []Event
	closed  bool
}

// Hub fans events out to its watchers.
type Hub struct {
	mu       sync.Mutex
	watchers map[*Watcher]struct{}
}

// NewHub returns a hub with no watchers.
func NewHub() *Hub {
	return &Hub{watchers: make(map[*Watcher]struct{})}
}

// Watch registers a new watcher.
func (h *Hub) Watch() *Watcher {
	w := &Watcher{hub: h}
	h.mu.Lock()
	h.watchers[w] = struct{}{}
	h.mu.Unlock()
	return w
}

// Broadcast queues ev on every watcher.
func (h *Hub) Broadcast(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for w := range h.watchers {
		w.notify(ev)
	}
}

func (w *Watcher) notify(ev Event) {
	w.Lock()
	defer w.Unlock()
	if !w.closed {
		w.pending = append(w.pending, ev)
	}
}

// Close stops the watcher and unregisters it from the hub.
func (w *Watcher) Close() {
	w.hub.remove(w)
	w.Lock()
	defer w.Unlock()
	w.closed = true
	w.pending = nil
}

func (h *Hub) remove(w *Watcher) {
	h.mu.Lock()
	delete(h.watchers, w)
	h.mu.Unlock()
}
