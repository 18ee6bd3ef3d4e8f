package clean

import "sync"

type Queue struct {
	mu    sync.Mutex
	items []string
}

func (q *Queue) Pop() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return "", false
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x, true
}
