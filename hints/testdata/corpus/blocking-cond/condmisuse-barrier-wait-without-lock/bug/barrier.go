package barrier

import "sync"

// Barrier lets a fixed number of goroutines wait for each other, round
// after round.
type Barrier struct {
	mu      sync.Mutex
	cond    *sync.Cond
	n       int
	arrived int
	gen     int
}

// New returns a barrier for n parties.
func New(n int) *Barrier {
	b := &Barrier{n: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Generation returns the number of completed rounds.
func (b *Barrier) Generation() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gen
}

// Await blocks until all n parties have called Await in this round.
func (b *Barrier) Await() {
	b.mu.Lock()
	gen := b.gen
	b.arrived++
	if b.arrived == b.n {
		b.arrived = 0
		b.gen++
		b.mu.Unlock()
		b.cond.Broadcast()
		return
	}
	b.mu.Unlock()
	for b.Generation() == gen {
		b.cond.Wait()
	}
}
