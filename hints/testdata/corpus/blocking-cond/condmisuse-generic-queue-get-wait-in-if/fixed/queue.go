package queue

import "sync"

// Queue is a blocking FIFO shared by a pool of workers.
type Queue[T any] struct {
	mu       sync.Mutex
	nonEmpty *sync.Cond
	items    []T
	shutdown bool
}

// New returns an empty queue.
func New[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.nonEmpty = sync.NewCond(&q.mu)
	return q
}

// Add queues item and wakes one worker.
func (q *Queue[T]) Add(item T) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.nonEmpty.Signal()
}

// ShutDown makes every pending and future Get return false.
func (q *Queue[T]) ShutDown() {
	q.mu.Lock()
	q.shutdown = true
	q.mu.Unlock()
	q.nonEmpty.Broadcast()
}

// Get blocks until an item is available. It returns false after ShutDown.
func (q *Queue[T]) Get() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.shutdown {
		q.nonEmpty.Wait()
	}
	if q.shutdown {
		var zero T
		return zero, false
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item, true
}
