package delayed

import (
	"sync"
	"time"
)

// Task is work to run later.
type Task struct {
	Name string
	Run  func() error
}

// Scheduler runs tasks after a delay and waits for them on Close.
type Scheduler struct {
	onError func(Task, error)
	wg      sync.WaitGroup

	mu     sync.Mutex
	timers []*time.Timer
}

// NewScheduler returns a scheduler reporting failures to onError.
func NewScheduler(onError func(Task, error)) *Scheduler {
	return &Scheduler{onError: onError}
}

// After runs t once d has elapsed.
func (s *Scheduler) After(d time.Duration, t Task) {
	timer := time.AfterFunc(d, func() {
		s.wg.Add(1)
		defer s.wg.Done()
		if err := t.Run(); err != nil {
			s.onError(t, err)
		}
	})
	s.mu.Lock()
	s.timers = append(s.timers, timer)
	s.mu.Unlock()
}

// Close cancels tasks that have not started and waits for running ones.
// After must not be called concurrently with or after Close.
func (s *Scheduler) Close() {
	s.mu.Lock()
	for _, t := range s.timers {
		t.Stop()
	}
	s.timers = nil
	s.mu.Unlock()
	s.wg.Wait()
}
