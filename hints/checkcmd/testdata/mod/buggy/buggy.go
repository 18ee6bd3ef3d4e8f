package buggy

import "sync"

type Queue struct {
	mu    sync.Mutex
	items []string
}

// Pop leaves q.mu locked when the queue is empty.
func (q *Queue) Pop() (string, bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		return "", false
	}
	x := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return x, true
}
