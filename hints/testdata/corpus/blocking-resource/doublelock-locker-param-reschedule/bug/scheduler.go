package scheduler

import (
	"sort"
	"sync"
	"time"
)

// Job is a unit of work that runs at a point in time.
type Job struct {
	ID    string
	RunAt time.Time
	Every time.Duration
}

// Scheduler keeps jobs sorted by their next run time.
type Scheduler struct {
	mu   sync.Mutex
	jobs []*Job
}

func withLock(l sync.Locker, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

// Due pops every job whose time has come and re-queues the periodic ones.
func (s *Scheduler) Due(now time.Time) []*Job {
	var due []*Job
	withLock(&s.mu, func() {
		for len(s.jobs) > 0 && !s.jobs[0].RunAt.After(now) {
			j := s.jobs[0]
			s.jobs = s.jobs[1:]
			due = append(due, j)
			if j.Every > 0 {
				s.reschedule(j, now.Add(j.Every))
			}
		}
	})
	return due
}

// reschedule moves j to run at t.
func (s *Scheduler) reschedule(j *Job, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.insertLocked(&Job{ID: j.ID, RunAt: t, Every: j.Every})
}

func (s *Scheduler) insertLocked(j *Job) {
	s.jobs = append(s.jobs, j)
	sort.Slice(s.jobs, func(a, b int) bool { return s.jobs[a].RunAt.Before(s.jobs[b].RunAt) })
}

// Add schedules j.
func (s *Scheduler) Add(j *Job) {
	withLock(&s.mu, func() { s.insertLocked(j) })
}
