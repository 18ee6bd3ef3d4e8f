package explore

import (
	"golang.org/x/tools/go/ssa"
)

// The race client. Every goroutine carries a vector clock, and every
// synchronisation the engine models passes clocks along as Go's memory
// model says (a send happens before the receive completes, an Unlock
// before the next Lock, Done before Wait returns, a go statement before
// the goroutine starts, a close before a receive that sees it, an atomic
// store before a load). Each memory access is compared with the earlier
// accesses of other goroutines to the same cell on the path: two of them,
// one a write, with no happens-before between them, are a data race. As
// the clocks order accesses whatever order the engine ran them in, one
// path finds the races of every interleaving that synchronises the same
// way. Where the engine is unsure it orders more than Go does (a send
// also waits for earlier receives), so that a race is never made up.

// vclock is a vector clock, one entry per goroutine of the scenario.
type vclock [maxGors]uint32

func (c *vclock) join(o vclock) {
	for i, v := range o {
		if v > c[i] {
			c[i] = v
		}
	}
}

// access is one read or write of a cell.
type access struct {
	g     int
	write bool
	then  bool // made by the method of a continued scenario
	at    ssa.Instruction
	clock vclock
	spec  uint16 // the goroutine's spec when it made the access
}

// shadow holds the accesses to one cell that later ones are checked
// against: the last write, and the last read of each goroutine since.
type shadow struct {
	write *access
	reads []*access
}

// speculative reports whether a and p may be ordered through a send the
// engine let an external receive skip (extchan.go).
func (a *access) speculative(p *access) bool {
	return a.spec&(1<<p.g) != 0 || p.spec&(1<<a.g) != 0
}

// before reports whether a happens before what a goroutine with clock c
// does now.
func (a *access) before(c vclock) bool { return a.clock[a.g] <= c[a.g] }

// tick advances goroutine gi's own clock entry after it released
// something: what it does next is not covered by that release.
func (s *state) tick(gi int) {
	g := s.g(gi)
	g.clock[gi]++
}

// release publishes goroutine gi's clock into the synchronisation object
// at a.
func (s *state) release(gi int, a string) {
	if a == "" {
		return
	}
	st := s.sync(a)
	st.clock.join(s.gs[gi].clock)
	s.tick(gi)
}

// acquire makes what was released into the object at a happen before
// goroutine gi's next steps.
func (s *state) acquire(gi int, a string) {
	if a == "" || s.syncs[a] == nil {
		return
	}
	g := s.g(gi)
	g.clock.join(s.syncs[a].clock)
}

// MapCell is the path of the cell standing for a whole map (Race.Path):
// a write to any entry races with any other access.
const MapCell = "{map}"

// ctxKey is the synchronisation address of a context's cancellation.
func ctxKey(id objID) string { return key(refV{obj: id}) + "#ctx" }

// chanKey is the synchronisation address of a channel (its clock).
func chanKey(id objID) string { return key(refV{obj: id}) + "#chan" }

// access records a read or write of the cell at address a by goroutine gi
// at instruction at, and reports the races it makes with earlier ones.
func (e *engine) access(s *state, gi int, a value, write bool, at ssa.Instruction) {
	r, ok := a.(refV)
	if !ok || at == nil {
		return
	}
	o := s.heap[r.obj]
	if o == nil || o.kind == objClosure || o.kind == objChan || o.kind == objCtx {
		return
	}
	if al, ok := o.site.(*ssa.Alloc); ok && !al.Heap {
		return // a local no other goroutine can reach
	}
	cell := key(r)
	now := &access{g: gi, write: write, then: e.inThen(s, gi), at: at, clock: s.gs[gi].clock, spec: s.gs[gi].spec}
	old := s.shadow[cell]
	check := func(p *access) {
		if p != nil && p.g != gi && (p.write || write) && !p.before(now.clock) && !now.speculative(p) {
			e.res.race(p, now, s, r)
		}
	}
	var sh shadow
	if old != nil {
		check(old.write)
		if write {
			for _, p := range old.reads {
				check(p)
			}
		}
		sh = *old
	}
	if write {
		sh = shadow{write: now}
	} else {
		reads := make([]*access, 0, len(sh.reads)+1)
		for _, p := range sh.reads {
			if p.g != gi {
				reads = append(reads, p)
			}
		}
		sh.reads = append(reads, now)
	}
	s.shadow[cell] = &sh
}
