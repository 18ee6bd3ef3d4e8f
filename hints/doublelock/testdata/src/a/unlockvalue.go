package a

import "sync"

// Unlocks through function values: a sync.Once around the Unlock method
// value, returned as a func; and the Unlock method value handed to another
// goroutine, which then releases the lock the waiter locks a second time.

func unlockOnce(l sync.Locker) func() {
	var once sync.Once
	return func() { once.Do(l.Unlock) }
}

type Listener struct {
	mu      sync.Mutex
	started bool
	conns   int
}

func (s *Listener) running() bool {
	s.mu.Lock() // ok: Serve released the lock through unlock() before it serves
	defer s.mu.Unlock()
	return s.started
}

func (s *Listener) Serve() {
	unlock := unlockOnce(&s.mu)
	s.mu.Lock()
	defer unlock()
	s.started = true
	unlock()
	for s.running() {
		s.conns++
	}
}

func (s *Listener) count() int {
	s.mu.Lock() // want `Lock of s\.mu blocks forever: s\.mu is held by \(\*Listener\)\.ServeLocked since line 46, which calls s\.count \(line 49\)`
	defer s.mu.Unlock()
	return s.conns
}

// ServeLocked keeps the lock: the deferred unlock runs only when it returns.
func (s *Listener) ServeLocked() int {
	unlock := unlockOnce(&s.mu)
	s.mu.Lock()
	defer unlock()
	s.started = true
	return s.count()
}

// Started waits for start to call notify, which unlocks mu.
func Started(start func(notify func())) {
	var mu sync.Mutex
	mu.Lock()
	go start(mu.Unlock)
	mu.Lock() // ok: the goroutine unlocks it
}

// StartedSync runs start in this goroutine: nothing else can unlock mu.
func StartedSync(start func()) {
	var mu sync.Mutex
	mu.Lock()
	go start()
	mu.Lock() // want `second Lock of mu blocks forever: already held since line 63`
}
