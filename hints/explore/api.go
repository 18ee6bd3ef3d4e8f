package explore

import (
	"fmt"
	"go/token"
	"reflect"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

// Analyzer gives checks the interleaving engine of a package. Scenarios
// are explored on demand, once each, when a check asks about them.
var Analyzer = &analysis.Analyzer{
	Name:             "interleave",
	Doc:              "explore the interleavings of a package's goroutines (on demand)",
	URL:              "https://github.com/synclens/synclens/tree/main/hints/explore",
	Requires:         []*analysis.Analyzer{model.Analyzer},
	Run:              func(pass *analysis.Pass) (any, error) { return New(pass.ResultOf[model.Analyzer].(*model.Model)), nil },
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*Explorer](),
}

// Explorer explores the scenarios of one package.
type Explorer struct {
	m    *model.Model
	mu   sync.Mutex
	scen map[scenKey]*Scenario
	// steps counts the instructions interpreted so far, against pkgSteps;
	// thenSteps those of continued scenarios, against thenSteps, a budget
	// of their own so that they never starve the plain ones.
	steps, thenSteps int
}

type scenKey struct{ root, then *ssa.Function }

// New returns the explorer of m's package.
func New(m *model.Model) *Explorer {
	return &Explorer{m: m, scen: make(map[scenKey]*Scenario)}
}

// Scenario explores what root does, with the goroutines it starts, and
// returns what was found (memoized).
func (x *Explorer) Scenario(root *ssa.Function) *Scenario {
	return x.explore(root, nil)
}

// Continued explores root and then, from root's own goroutine while the
// goroutines root started still run, a call of method then on what root
// returned: a caller using the object a constructor returns (see
// Continuations). Its races are those of the plain scenario and those of
// the call.
func (x *Explorer) Continued(root, then *ssa.Function) *Scenario {
	return x.explore(root, then)
}

func (x *Explorer) explore(root, then *ssa.Function) *Scenario {
	x.mu.Lock()
	defer x.mu.Unlock()
	k := scenKey{root, then}
	if sc, ok := x.scen[k]; ok {
		return sc
	}
	sc := &Scenario{Root: root, Then: then, fset: x.m.Fset, reached: map[ssa.Instruction]uint8{}, found: map[ssa.Instruction]*Finding{}, races: map[[2]ssa.Instruction]*Race{}}
	x.scen[k] = sc
	if root == nil || root.Blocks == nil || then == nil && x.steps >= pkgSteps || then != nil && x.thenSteps >= thenPkgSteps {
		return sc
	}
	e := &engine{m: x.m, prog: root.Prog, res: sc, then: then, seen: map[uint64]bool{}, ids: map[any]int{}, names: map[*ssa.Function]map[ssa.Value]string{}}
	e.isMain = root.Name() == "main" && root.Parent() == nil && root.Pkg != nil && root.Pkg.Pkg.Name() == "main"
	s := &state{
		gen:    newGen(),
		heap:   map[objID]*object{},
		syncs:  map[string]*syncState{},
		facts:  map[symID]fact{},
		conds:  map[string]bool{},
		ext:    map[symID]objID{},
		globs:  map[*ssa.Global]objID{},
		shadow: map[string]*shadow{},
	}
	s.gs = []*gor{{own: s.gen, frames: []*frame{newFrame(s, root, 0, nil)}, fn: root}}
	e.explore(s)
	if then != nil {
		x.thenSteps += e.steps
	} else {
		x.steps += e.steps
	}
	sc.Complete = !e.over
	sc.Bounded = e.bounded
	sc.States = e.states
	return sc
}

// Outermost returns the function a closure is declared in, at top level.
func Outermost(fn *ssa.Function) *ssa.Function {
	for fn != nil && fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// Scenario is what the exploration of one root function found.
type Scenario struct {
	Root *ssa.Function
	// Then is the method called after Root returns, in a continued
	// scenario (nil otherwise).
	Then *ssa.Function
	// Complete is set when every interleaving within the loop bounds was
	// explored: no budget ran out. Bounded is set when a loop bound cut
	// some path.
	Complete, Bounded bool
	States            int
	// Outlived is set when the root returned on some path while a
	// goroutine it started still ran.
	Outlived bool

	fset    *token.FileSet
	reached map[ssa.Instruction]uint8 // reachOwned | reachExt
	found   map[ssa.Instruction]*Finding
	races   map[[2]ssa.Instruction]*Race
}

// Race is a pair of accesses to one memory cell, at least one a write,
// that two goroutines of the scenario make with nothing ordering them.
type Race struct {
	First, Second Access
	// Site is the instruction that made the object holding the cell (nil
	// when the scenario did not make it: a parameter's, a package
	// variable's); Path the cell in it ("" for the object itself, ".2"
	// for its field 2, "{map}" for a map's entries).
	Site ssa.Instruction
	Path string
}

// Access is one side of a race.
type Access struct {
	Instr ssa.Instruction // the load, store, map update or lookup
	Write bool
	// Start is the go statement of the goroutine making it (NoPos: the
	// scenario's own goroutine).
	Start token.Pos
	// Then is set for an access of the method a continued scenario calls
	// after its root returned (in the root's own goroutine).
	Then bool
}

// Races lists the data races found, in source order of their second
// access.
func (sc *Scenario) Races() []*Race {
	var out []*Race
	for _, r := range sc.races {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Second.Instr.Pos() != b.Second.Instr.Pos() {
			return a.Second.Instr.Pos() < b.Second.Instr.Pos()
		}
		return a.First.Instr.Pos() < b.First.Instr.Pos()
	})
	return out
}

// race records a race between earlier access p and access now.
func (sc *Scenario) race(p, now *access, s *state, cell refV) {
	k := [2]ssa.Instruction{p.at, now.at}
	if sc.races[k] != nil || sc.races[[2]ssa.Instruction{now.at, p.at}] != nil {
		return
	}
	o := s.heap[cell.obj]
	sc.races[k] = &Race{
		First:  Access{Instr: p.at, Write: p.write, Start: s.gs[p.g].start, Then: p.then},
		Second: Access{Instr: now.at, Write: now.write, Start: s.gs[now.g].start, Then: now.then},
		Site:   o.site,
		Path:   cell.path,
	}
}

const (
	reachOwned uint8 = 1 << iota
	reachExt
)

// Finding is a goroutine waiting forever at a blocking operation.
type Finding struct {
	Instr ssa.Instruction // the operation (send, receive, select, Lock, Wait...)
	Start token.Pos       // the go statement of the goroutine (NoPos: the root's own)
	// Steps is the interleaving that leads there, oldest first; the last
	// step is the wait itself.
	Steps []Step
	// External is set when code outside the scenario might still wake it
	// (another goroutine waits on something external); Empty when the
	// interleaving skipped a loop over an unknown number of elements
	// without running it (for an empty list of replicas, say), which
	// code is seldom meant for.
	// Repeated when the goroutine that waits went round a loop on an
	// unknown bound more than once on the way: how often it really goes
	// round (how many connections a listener gets, how many buffers a
	// write has) is what its channel's capacity was sized for.
	External, Empty, Repeated bool
}

// Certain reports whether the finding needs nothing outside the scenario,
// no empty loop and no guessed second turn of a loop.
func (f *Finding) Certain() bool { return !f.External && !f.Empty && !f.Repeated }

// Step is one synchronisation operation of a witness.
type Step struct {
	Pos  token.Pos
	Text string
}

// Verdict is what the exploration says of one blocking operation.
type Verdict uint8

const (
	// Unknown: not reached, reached on objects the scenario does not own,
	// or the exploration was cut short.
	Unknown Verdict = iota
	// Blocks: some interleaving leaves it waiting forever.
	Blocks
	// Completes: every interleaving explored completes it.
	Completes
)

// Verdict says whether operation in can wait forever in this scenario.
func (sc *Scenario) Verdict(in ssa.Instruction) (Verdict, *Finding) {
	if f := sc.found[in]; f != nil && f.Certain() {
		return Blocks, f
	}
	r := sc.reached[in]
	if !sc.Complete || r != reachOwned || sc.found[in] != nil {
		return Unknown, sc.found[in]
	}
	return Completes, nil
}

// Findings lists the operations found waiting forever, in source order.
func (sc *Scenario) Findings() []*Finding {
	var out []*Finding
	for _, f := range sc.found {
		out = append(out, f)
	}
	sortFindings(out)
	return out
}

func (sc *Scenario) reach(in ssa.Instruction, ext bool) {
	if ext {
		sc.reached[in] |= reachExt
	} else {
		sc.reached[in] |= reachOwned
	}
}

// blocked records that goroutine gi of s waits forever.
func (sc *Scenario) blocked(s *state, gi int, external bool) {
	g := s.gs[gi]
	f := &Finding{Instr: g.pend, Start: g.start, External: external, Empty: s.empty, Repeated: g.repeated}
	if old := sc.found[g.pend]; old != nil && (old.Certain() || !f.Certain()) {
		return
	}
	var rev []Step
	for t := s.trace; t != nil; t = t.prev {
		rev = append(rev, Step{Pos: t.pos, Text: sc.who(s, t.g) + " " + t.what})
	}
	const keep = 12
	if len(rev) > keep {
		rev = rev[:keep]
	}
	for i := len(rev) - 1; i >= 0; i-- {
		f.Steps = append(f.Steps, rev[i])
	}
	f.Steps = append(f.Steps, Step{Pos: g.pend.Pos(), Text: sc.who(s, gi) + " waits here forever"})
	sc.found[g.pend] = f
}

// who names goroutine gi in a witness.
func (sc *Scenario) who(s *state, gi int) string {
	g := s.gs[gi]
	if gi == 0 {
		return sc.Root.Name()
	}
	// Goroutines started at the same place (in a loop) are numbered.
	n, k := 0, 0
	for i, h := range s.gs {
		if h.start == g.start {
			n++
			if i <= gi {
				k++
			}
		}
	}
	line := sc.fset.Position(g.start).Line
	if n > 1 {
		return fmt.Sprintf("goroutine #%d started at line %d", k, line)
	}
	return fmt.Sprintf("the goroutine started at line %d", line)
}

// Roots lists the scenarios worth exploring in m's package: each function
// that starts a goroutine (or hands a library a callback it runs on one:
// context.AfterFunc, an HTTP handler), and the functions of the package
// that call it
// (up to three calls up), since what a caller does after the call runs
// alongside the goroutine too.
func Roots(m *model.Model) []*ssa.Function {
	seen := make(map[*ssa.Function]bool)
	var out []*ssa.Function
	add := func(f *ssa.Function) {
		f = Outermost(f)
		if f != nil && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	var up func(f *model.Func, depth int)
	up = func(f *model.Func, depth int) {
		add(f.SSA)
		if depth == 0 {
			return
		}
		for _, cs := range f.CalledFrom {
			if !cs.Go && !seen[Outermost(cs.Caller.SSA)] {
				up(cs.Caller, depth-1)
			}
		}
	}
	for _, g := range m.Goroutines {
		up(g.Spawn.Func, 3)
	}
	for _, f := range m.Funcs {
		if spawnsInLibrary(f.SSA) {
			up(f, 3)
		}
	}
	return out
}

// Stats counts the scenarios explored so far and how many ran out of
// budget (and so proved and reported nothing).
func (x *Explorer) Stats() (scenarios, overBudget, states int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, sc := range x.scen {
		scenarios++
		if !sc.Complete {
			overBudget++
		}
		states += sc.States
	}
	return scenarios, overBudget, states
}
