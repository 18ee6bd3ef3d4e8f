package worker

import (
	"sync"
	"time"
)

// Worker runs step periodically until it is stopped or a step fails.
type Worker struct {
	step func() error
	tick time.Duration
	quit chan struct{}
	done chan struct{}
	once sync.Once

	mu  sync.Mutex
	err error
}

// Start launches the worker loop.
func Start(step func() error, tick time.Duration) *Worker {
	w := &Worker{step: step, tick: tick, quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

func (w *Worker) loop() {
	defer close(w.done)
	t := time.NewTicker(w.tick)
	defer t.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
		}
		if err := w.step(); err != nil {
			w.mu.Lock()
			w.err = err
			w.mu.Unlock()
			w.shutdown()
			return
		}
	}
}

func (w *Worker) shutdown() {
	w.once.Do(func() { close(w.quit) })
}

// Done is closed once the worker has stopped.
func (w *Worker) Done() <-chan struct{} { return w.done }

// Stop stops the worker and returns the error that ended it, if any.
func (w *Worker) Stop() error {
	w.shutdown()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
