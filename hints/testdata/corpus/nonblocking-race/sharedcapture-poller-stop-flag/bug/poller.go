package poller

import (
	"log"
	"time"
)

// Poll calls fn every interval until the returned stop function is
// called. stop waits for the current call of fn to finish.
func Poll(name string, interval time.Duration, fn func() error) (stop func()) {
	stopped := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		failures := 0
		for !stopped {
			if err := fn(); err != nil {
				failures++
				log.Printf("poller %s: %v (%d failures)", name, err, failures)
			} else {
				failures = 0
			}
			time.Sleep(interval)
		}
	}()
	return func() {
		stopped = true
		<-done
	}
}

// PollAll starts one poller per name and returns a function stopping all of them.
func PollAll(interval time.Duration, fns map[string]func() error) (stop func()) {
	var stops []func()
	for name, fn := range fns {
		stops = append(stops, Poll(name, interval, fn))
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
