package a

import "sync"

// LineQueue's methods come after //line directives, as in generated code:
// the fix must edit the file where the code is, not where the directive
// says it came from.
type LineQueue struct {
	mu    sync.Mutex
	items []string
}

//line generated.go:3
func (q *LineQueue) Pop() (string, bool) {
	q.mu.Lock() // want `q.mu is locked here but not unlocked on the path that returns`
	if len(q.items) == 0 {
		return "", false
	}
	x := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return x, true
}

//line far.go:90000
func (q *LineQueue) Peek() (string, bool) {
	q.mu.Lock() // want `q.mu is locked here but not unlocked on the path that returns`
	if len(q.items) == 0 {
		return "", false
	}
	x := q.items[0]
	q.mu.Unlock()
	return x, true
}
