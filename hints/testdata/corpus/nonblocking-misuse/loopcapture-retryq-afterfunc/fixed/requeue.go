//go:build go1.21

package retryq

import (
	"sync"
	"time"
)

// Job is a unit of work that can be retried.
type Job struct {
	ID       string
	Attempts int
}

// Queue holds jobs waiting to run.
type Queue struct {
	base time.Duration

	mu      sync.Mutex
	pending []Job
}

// NewQueue returns a queue with the given base backoff.
func NewQueue(base time.Duration) *Queue {
	return &Queue{base: base}
}

func (q *Queue) backoff(attempts int) time.Duration {
	return q.base * time.Duration(1<<min(attempts, 6))
}

func (q *Queue) submit(j Job) {
	q.mu.Lock()
	q.pending = append(q.pending, j)
	q.mu.Unlock()
}

// Requeue schedules every failed job to run again after its backoff.
func (q *Queue) Requeue(failed []Job) {
	for _, job := range failed {
		job := job
		job.Attempts++
		time.AfterFunc(q.backoff(job.Attempts), func() {
			q.submit(job)
		})
	}
}
