package jobqueue

import (
	"sync"
	"time"
)

// Task is a queued unit of work.
type Task struct {
	ID       string
	Payload  []byte
	Enqueued time.Time
}

// Queue is a FIFO of pending tasks shared by producers and workers.
type Queue struct {
	mu    sync.Mutex
	tasks []*Task
}

// Push appends t to the queue.
func (q *Queue) Push(t *Task) {
	q.mu.Lock()
	t.Enqueued = time.Now()
	q.tasks = append(q.tasks, t)
	q.mu.Unlock()
}

// Pop removes the oldest task. It reports false when the queue is empty.
func (q *Queue) Pop() (*Task, bool) {
	q.mu.Lock()
	if len(q.tasks) == 0 {
		q.mu.Unlock()
		return nil, false
	}
	t := q.tasks[0]
	q.tasks[0] = nil
	q.tasks = q.tasks[1:]
	q.mu.Unlock()
	return t, true
}

// Len returns the number of pending tasks.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.tasks)
}
