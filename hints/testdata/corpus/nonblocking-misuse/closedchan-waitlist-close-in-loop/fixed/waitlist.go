package mvcc

import "sync"

// WaitList lets callers wait until a revision has been applied.
type WaitList struct {
	mu      sync.Mutex
	applied int64
	waiters map[int64][]*waiter
}

type waiter struct {
	ch   chan struct{}
	once sync.Once
}

func (wt *waiter) wake() {
	wt.once.Do(func() { close(wt.ch) })
}

// NewWaitList returns an empty wait list.
func NewWaitList() *WaitList {
	return &WaitList{waiters: make(map[int64][]*waiter)}
}

// WaitAny returns a channel that is closed once any of revs is applied.
func (w *WaitList) WaitAny(revs ...int64) <-chan struct{} {
	ch := make(chan struct{})
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range revs {
		if r <= w.applied {
			close(ch)
			return ch
		}
	}
	wt := &waiter{ch: ch}
	for _, r := range revs {
		w.waiters[r] = append(w.waiters[r], wt)
	}
	return ch
}

// Applied records that every revision up to rev has been applied and
// wakes their waiters.
func (w *WaitList) Applied(rev int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.applied = rev
	for r, wts := range w.waiters {
		if r > rev {
			continue
		}
		for _, wt := range wts {
			wt.wake()
		}
		delete(w.waiters, r)
	}
}
