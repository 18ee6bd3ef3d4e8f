package explore

import (
	"go/token"
	"maps"
	"slices"
	"sync/atomic"

	"golang.org/x/tools/go/ssa"
)

// A state is one moment of a scenario: its goroutines, heap, locks and
// what is known of its unknown values. States are copied on write: a
// fork shares everything with its parent, and each piece is copied the
// first time a state changes it (own records which state may change it in
// place).
type state struct {
	gen   uint64
	gs    []*gor
	heap  map[objID]*object
	syncs map[string]*syncState // by address (object and path)
	facts map[symID]fact
	ext   map[symID]objID // external objects materialised for unknown pointers
	globs map[*ssa.Global]objID
	next  struct {
		obj objID
		sym symID
	}
	// conds holds the outcome of branch conditions on unknown values that
	// no interval or nil fact can express (x == y on two unknowns), keyed
	// by the condition, so that testing it again goes the same way.
	conds map[string]bool
	trace *step // the synchronisation operations so far, newest first
	// shadow holds, per cell, the accesses later ones are checked
	// against for data races (race.go). Entries are replaced, never
	// changed in place.
	shadow map[string]*shadow
	// paused holds the parallel subtests waiting for their parent test
	// to return (subtests.go).
	paused []pausedTest
	// empty is set once the path has skipped a loop over an unknown
	// number of elements without running it: code is seldom meant for
	// none, so what blocks then is not reported.
	empty bool
	// dead is set when the path ends the program (a panic, os.Exit) or
	// leaves what the engine models: it is dropped, never reported.
	dead bool
}

// gor is a goroutine of the scenario.
type gor struct {
	own    uint64
	id     int
	frames []*frame
	done   bool
	// start is where it was started (the go statement), and fn what it
	// runs; both unset for the scenario's own goroutine.
	start token.Pos
	fn    *ssa.Function
	// cond is the Cond (address) the goroutine sleeps on in Cond.Wait,
	// until a Signal or Broadcast wakes it ("" when not sleeping); inWait is
	// set between the two halves of Wait (unlocked, and not yet locked
	// again).
	cond   string
	inWait bool
	// group is the errgroup or WaitGroup (address) that counts it, if any.
	group string
	// pend is the blocking operation the goroutine waits at (nil while it
	// runs); the scheduler completes it.
	pend ssa.Instruction
	call callPend // what a library call in pend waits for
	// clock is its vector clock (race.go).
	clock vclock
	// spec holds the goroutines (a bit each) whose sends an external
	// receive of this one may have taken (extchan.go).
	spec uint16
	// repeated is set once it has gone round a loop on an unknown bound
	// more than once.
	repeated bool
}

// frame is a function activation.
type frame struct {
	own    uint64
	fn     *ssa.Function
	block  *ssa.BasicBlock
	pc     int // index in block.Instrs of the next instruction
	pred   int // index of the predecessor block we came from, for φ
	regs   map[ssa.Value]value
	env    objID // closure object with the free variables
	defers []deferred
	// result is the caller's instruction that receives the return value.
	result ssa.Value
	visits map[*ssa.BasicBlock]int // block entries, to bound loops
	forks  map[*ssa.BasicBlock]int // branches on unknown values, per block
	// once is the Once (address) whose Do runs this frame: its return
	// releases into it.
	once string
	// deferRun is set on the frame of a deferred call: on return the
	// caller stays at its RunDefers (or unwinding) to run the next one.
	deferRun bool
	// unwinding is set while the frame runs its deferred calls on the way
	// out of runtime.Goexit (t.Fatal).
	unwinding bool
	// subtest is set on the frame of a subtest that t.Run runs in place
	// (subtests.go).
	subtest bool
}

// deferred is a call registered by a defer statement.
type deferred struct {
	instr *ssa.Defer
	fn    value
	args  []value
}

// syncState is the state of a mutex, WaitGroup, Cond, Once or errgroup.
type syncState struct {
	own     uint64
	holder  int         // goroutine holding the write lock, -1 if none
	readers map[int]int // goroutines holding read locks, with counts
	writers int         // goroutines blocked in Lock of a read-held RWMutex
	count   int         // WaitGroup counter (and errgroup members)
	once    int         // 0 not run, 1 running, 2 done
	onceBy  int         // goroutine running the Once
	limit   int         // errgroup.SetLimit (0: none)
	err     bool        // an errgroup member returned an error (cancels its ctx)
	ctx     objID       // the errgroup's context, if made by WithContext
	locker  string      // a Cond's L (address), when known
	// unknown is set on a WaitGroup whose counter moved by an amount the
	// engine does not know: its Wait may return at any time.
	unknown bool
	// clock is what was released into the object (race.go).
	clock vclock
}

func (s *syncState) copy() *syncState {
	n := *s
	n.readers = maps.Clone(s.readers)
	return &n
}

func newSync() *syncState { return &syncState{holder: -1} }

// fact is what branches taught about an unknown value.
type fact struct {
	// For integers: lo <= v <= hi (when hasLo/hasHi).
	lo, hi       int64
	hasLo, hasHi bool
	// For pointers, interfaces and the like: known nil, or known not nil.
	isNil, notNil bool
	// For booleans.
	b, hasB bool
}

// step is one synchronisation operation on the way to a state.
type step struct {
	prev *step
	g    int
	what string // "takes q.mu", "sends on q.out", ...
	pos  token.Pos
}

// gens hands out generations. Only their uniqueness matters; the packages
// of one run are analysed in parallel, so it is atomic.
var gens atomic.Uint64

func newGen() uint64 { return gens.Add(1) }

// fork returns a copy of s that shares everything until written.
func (s *state) fork() *state {
	n := &state{
		gen:    newGen(),
		gs:     slices.Clone(s.gs),
		heap:   maps.Clone(s.heap),
		syncs:  maps.Clone(s.syncs),
		facts:  maps.Clone(s.facts),
		conds:  maps.Clone(s.conds),
		shadow: maps.Clone(s.shadow),
		paused: slices.Clone(s.paused),
		ext:    maps.Clone(s.ext),
		globs:  maps.Clone(s.globs),
		next:   s.next,
		trace:  s.trace,
		empty:  s.empty,
	}
	// s's pieces are now shared: neither may write them in place.
	s.gen = newGen()
	return n
}

// g returns goroutine i, ready to be changed.
func (s *state) g(i int) *gor {
	g := s.gs[i]
	if g.own != s.gen {
		c := *g
		c.frames = slices.Clone(g.frames)
		c.own = s.gen
		s.gs[i] = &c
		g = &c
	}
	return g
}

// top returns the innermost frame of goroutine i, ready to be changed.
func (s *state) top(i int) *frame {
	g := s.g(i)
	f := g.frames[len(g.frames)-1]
	if f.own != s.gen {
		c := *f
		c.regs = maps.Clone(f.regs)
		c.defers = slices.Clone(f.defers)
		c.visits = maps.Clone(f.visits)
		c.forks = maps.Clone(f.forks)
		c.own = s.gen
		g.frames[len(g.frames)-1] = &c
		f = &c
	}
	return f
}

// obj returns object id, ready to be changed.
func (s *state) obj(id objID) *object {
	o := s.heap[id]
	if o == nil {
		return nil
	}
	if o.own != s.gen {
		o = o.copy()
		o.own = s.gen
		s.heap[id] = o
	}
	return o
}

// sync returns the synchronisation state at address a, ready to be changed.
func (s *state) sync(a string) *syncState {
	st := s.syncs[a]
	if st == nil {
		st = newSync()
		st.own = s.gen
		s.syncs[a] = st
		return st
	}
	if st.own != s.gen {
		st = st.copy()
		st.own = s.gen
		s.syncs[a] = st
	}
	return st
}

func (s *state) newObj(kind objKind, site ssa.Instruction) (objID, *object) {
	s.next.obj++
	id := s.next.obj
	o := &object{own: s.gen, kind: kind, site: site, cells: map[string]value{}, length: -1}
	s.heap[id] = o
	return id, o
}

func (s *state) newSym() symV {
	s.next.sym++
	return symV(s.next.sym)
}

func (s *state) record(g int, what string, pos token.Pos) {
	s.trace = &step{prev: s.trace, g: g, what: what, pos: pos}
}
