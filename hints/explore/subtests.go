package explore

import (
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// Parallel subtests. t.Run runs a subtest in place until it returns or
// calls t.Parallel; t.Run then returns, and the rest of the subtest waits
// until the function that called t.Run (the parent test) has returned,
// then runs in parallel with the other parallel subtests of that parent.
// The engine pauses the subtest's frame at t.Parallel and starts it as a
// goroutine of its own when the parent's frame returns, with the parent's
// clock then: everything the parent did happens before, and the parallel
// subtests race with one another.

// pausedTest is a parallel subtest waiting for its parent.
type pausedTest struct {
	g     int // the goroutine running the parent
	depth int // the parent's frame, as an index in that goroutine's frames
	fr    *frame
	pos   token.Pos // the call of t.Run
}

// pauseSubtest pauses the subtest that goroutine gi runs in place, at its
// call of t.Parallel, and returns from its t.Run; it reports whether the
// call was a subtest's own (a t.Parallel elsewhere changes nothing).
func (e *engine) pauseSubtest(s *state, gi int) bool {
	g := s.g(gi)
	n := len(g.frames)
	if n < 2 || !g.frames[n-1].subtest || g.frames[n-1].result == nil {
		return false
	}
	f := s.top(gi)
	f.pc++ // it resumes after t.Parallel()
	run := f.result
	f.subtest, f.result = false, nil
	g.frames = g.frames[:n-1]
	caller := s.top(gi)
	caller.regs[run] = s.newSym() // whether the subtest passed: unknown
	caller.pc++
	s.paused = append(slices.Clip(s.paused), pausedTest{g: gi, depth: n - 2, fr: f, pos: run.Pos()})
	return true
}

// resumeSubtests starts the parallel subtests whose parent, frame depth of
// goroutine gi, has just returned.
func (e *engine) resumeSubtests(s *state, gi, depth int) {
	var keep []pausedTest
	var run []pausedTest
	for _, p := range s.paused {
		if p.g == gi && p.depth == depth {
			run = append(run, p)
		} else {
			keep = append(keep, p)
		}
	}
	if len(run) == 0 {
		return
	}
	s.paused = keep
	for _, p := range run {
		e.startFrame(s, gi, p.fr, p.pos, "")
	}
}

// hashPaused adds the paused subtests to a state's hash.
func (e *engine) hashPaused(b *strings.Builder, s *state) {
	for _, p := range s.paused {
		b.WriteString("p" + strconv.Itoa(p.g) + "." + strconv.Itoa(p.depth) + "." + strconv.Itoa(e.id(p.fr.fn)) + "." + strconv.Itoa(p.fr.pc))
	}
}
