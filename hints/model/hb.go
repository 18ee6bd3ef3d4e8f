package model

// Happens-before and may-happen-in-parallel.
//
// The question the race checks ask is: can these two accesses of the same
// memory run at the same time? The model answers it per package, from the
// structure of the code, following the Go memory model's edges:
//
//   - program order within a goroutine;
//   - a go statement (or errgroup.Go, WaitGroup.Go, time.AfterFunc) happens
//     before the goroutine starts;
//   - a send (or close) happens before the receive that gets it: a receive,
//     Wait or errgroup.Wait that waits for a goroutine's signal orders the
//     goroutine's work before what follows it (a join);
//   - a send or close after an access orders it before what the goroutine
//     does after receiving (a handoff);
//   - sync.Once.Do's function runs before every Do returns (it is treated as
//     a call);
//   - locks do not order; they make locksets, which the checks compare.
//
// Each access is seen from one or more frames (views): the function it is
// in, then the functions that call it, start it as a goroutine or make it
// as a closure, with the access's path rewritten into each frame so that
// accesses of the same object meet in a common frame. In the common frame
// the two accesses are reached through two points (the calls, go
// statements or the accesses themselves), and the answer comes from the
// frame's control flow: a goroutine started at one point runs in parallel
// with code reachable from that point that is not behind one of its joins.
//
// Unknown answers are chosen so that the checks stay quiet:
//
//   - a closure passed to a function the model cannot see runs during that
//     call (a callback, like sort.Slice), in the caller's goroutine;
//   - a closure stored, returned or sent away may run at any time after,
//     once, in another goroutine;
//   - a join of a goroutine joins every instance of it and the goroutines
//     it started; a join reached on any path of a select case counts;
//   - channel capacities that are not constants make handoffs synchronous;
//   - two accesses seen in no common frame are ordered, except where a
//     check asks for more (AssumeAPI, ParallelWithAPI).
//
// Everything is computed lazily, per access asked about, and memoized: a
// keystroke costs only the accesses that the checks consider.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/ssa"
)

// PlaceKind says how a function runs relative to the function that
// reaches it.
type PlaceKind uint8

const (
	PlaceCall   PlaceKind = iota + 1 // called (or run by sync.Once.Do, or a callback of another package)
	PlaceDefer                       // deferred: runs when the function returns
	PlaceGo                          // started as a goroutine
	PlaceEscape                      // a closure stored or returned: runs later, in some goroutine
)

func (k PlaceKind) async() bool { return k == PlaceGo || k == PlaceEscape }

// Place is one way a function runs: called, deferred or started at some
// instructions of another function, or escaping from it.
type Place struct {
	Kind PlaceKind
	In   *Func             // the function that calls, starts or lets it escape
	At   []ssa.Instruction // where in In (for PlaceDefer, the RunDefers points)
	// Site is the call, when the function's parameters are its arguments
	// (nil for closures reached through helpers or escapes).
	Site *CallSite
	// Go is the goroutine started, for PlaceGo when the model knows it.
	Go *Goroutine
	// Instr is the go statement, Go call, or call of a helper that starts
	// the goroutine, or the instruction through which a closure escapes.
	Instr ssa.Instruction
	// Bound is the receiver of a method value run by a Go, Do or
	// AfterFunc call (wg.Go(s.flush)): the method's first parameter.
	Bound ssa.Value
}

// Level is one frame of a View: a function and where in it control goes
// down to the next level (or, at the last level, the access itself).
type Level struct {
	Fn   *Func
	At   []ssa.Instruction
	Kind PlaceKind // how the next level runs (0 at the last level)
	Go   *Goroutine
	// Instr is the instruction of Fn that runs the next level.
	Instr ssa.Instruction
}

// View is an access seen from a frame: Levels[0].Fn is the frame, Key the
// path of the object accessed in that frame.
type View struct {
	Key    Key
	Path   Path
	Levels []Level
	// Held lists the locks held at the access in this view: the access's
	// own, and those held at the calls leading to it from the frame, up
	// to the first goroutine start (whose locks do not carry over).
	Held []*Held
	sync bool // no goroutine start or escape on the levels so far
}

// Root is the frame of the view.
func (v *View) Root() *Func { return v.Levels[0].Fn }

// Sync reports whether the access runs in the goroutine running the frame:
// no goroutine start or escaping closure on the way down.
func (v *View) Sync() bool { return v.sync }

// Parallelism explains why two accesses may run at the same time.
type Parallelism struct {
	// Frame is the function in which both are seen: their goroutines are
	// started from it (nil when the answer comes from a goroutine that
	// outlives its starter, see ParallelWithAPI).
	Frame *Func
	// A and B say how the goroutine running each access was started, as
	// seen from Frame; a zero Start runs in Frame's own goroutine.
	A, B Start
	// Instances is set when the two run in two instances of one goroutine
	// (A and B are then that goroutine's start).
	Instances bool
	// Escapes is set when the answer comes from ParallelWithAPI.
	Escapes bool
	// Handler is set when the answer comes from ParallelWithHandlers:
	// EntryA and EntryB are the handlers or polling loops running A and B.
	Handler        bool
	EntryA, EntryB *Func
}

// Start is how a goroutine was started.
type Start struct {
	Kind PlaceKind // PlaceGo or PlaceEscape; 0 for none
	// Instr is the go statement, the Go or AfterFunc call, the call of a
	// helper that starts the function, or where a closure escapes.
	Instr ssa.Instruction
	Go    *Goroutine // when known
}

// Pos is the position of the start: the go keyword or the call.
func (s Start) Pos() token.Pos {
	if s.Instr == nil {
		return token.NoPos
	}
	if _, isGo := s.Instr.(*ssa.Go); isGo {
		return s.Instr.Pos()
	}
	if c, ok := s.Instr.(ssa.CallInstruction); ok && c.Common().Pos().IsValid() {
		return c.Common().Pos()
	}
	return s.Instr.Pos()
}

func startOf(th *thread) Start {
	return Start{Kind: th.place.Kind, Instr: th.place.Instr, Go: th.place.Go}
}

// hb holds the lazily computed happens-before facts of a model.
type hb struct {
	mu      sync.Mutex
	places  map[*Func][]*Place
	views   map[*Access][]*View
	index   map[*ssa.Function]map[ssa.Instruction]int
	threads map[threadKey]*thread
	api     map[*Func]bool
	initFn  map[*Func]bool
	escapes map[*Goroutine]int8 // 1 outlives its spawner, -1 joined before it returns
	cycles  map[cycleKey]bool
	live    map[*ssa.Function]map[*ssa.BasicBlock]bool
	pkgInit map[*ssa.Function]bool
	targets map[*Func][]*Op // operations that run a function (go, Go, Do, AfterFunc)

	guardOnce sync.Once
	guards    map[*types.Var]*Guard
}

type threadKey struct {
	in   *Func
	inst ssa.Instruction
}

type cycleKey struct {
	instr ssa.Instruction
	th    *thread
	root  ssa.Value
}

// thread is a goroutine started at one instruction (or a closure that
// escapes there): the functions it runs and the objects through which it
// signals and waits.
type thread struct {
	place   *Place
	target  *Func
	funcs   map[*Func]bool
	signals map[*Object]bool // sent on, closed, Done: a wait on it joins the thread
	waits   map[*Object]bool // received from: a send after an access hands it over
	sends   map[*Object]bool // sent on: an unbuffered receive after an access hands it over
	barrier map[*Func][]point
}

func (m *Model) hbState() *hb {
	m.hbOnce.Do(func() {
		m.hb = &hb{
			places:  make(map[*Func][]*Place),
			views:   make(map[*Access][]*View),
			index:   make(map[*ssa.Function]map[ssa.Instruction]int),
			threads: make(map[threadKey]*thread),
			escapes: make(map[*Goroutine]int8),
			cycles:  make(map[cycleKey]bool),
			targets: make(map[*Func][]*Op),
			live:    make(map[*ssa.Function]map[*ssa.BasicBlock]bool),
		}
		for _, op := range m.Ops {
			t := op.Target
			if t == nil {
				t = m.boundTarget(op)
			}
			if t != nil {
				m.hb.targets[t] = append(m.hb.targets[t], op)
			}
		}
	})
	return m.hb
}

// boundTarget returns the method a Go, Do or AfterFunc call runs when its
// function is a method value (once.Do(s.init), g.Go(s.work)).
func (m *Model) boundTarget(op *Op) *Func {
	switch op.Kind {
	case OpOnceDo, OpWGGo, OpGroupGo, OpAfterFunc, OpOnceFunc:
	default:
		return nil
	}
	c, ok := op.Instr.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	for _, a := range c.Common().Args {
		mc, ok := a.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		fn, ok := mc.Fn.(*ssa.Function)
		if !ok || !isBoundWrapper(fn) {
			continue
		}
		if obj, ok := fn.Object().(*types.Func); ok {
			if f := m.funcOrOriginOf(m.SSA.Prog.FuncValue(obj)); f != nil {
				return f
			}
		}
	}
	return nil
}

// boundRecv returns the receiver bound in the method value that op runs.
func boundRecv(op *Op) ssa.Value {
	c, ok := op.Instr.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	for _, a := range c.Common().Args {
		if mc, ok := a.(*ssa.MakeClosure); ok && len(mc.Bindings) == 1 {
			if fn, ok := mc.Fn.(*ssa.Function); ok && isBoundWrapper(fn) {
				return mc.Bindings[0]
			}
		}
	}
	return nil
}

// OnceOnly reports whether f runs only as the function of sync.Once.Do,
// sync.OnceFunc, OnceValue or OnceValues: it initializes, and everything
// it does happens before the callers of Do (or of the function OnceFunc
// returns) go on.
func (m *Model) OnceOnly(f *Func) bool {
	h := m.hbState()
	if len(f.CalledFrom) > 0 || len(h.targets[f]) == 0 {
		return false
	}
	for _, op := range h.targets[f] {
		if op.Kind != OpOnceDo && op.Kind != OpOnceFunc {
			return false
		}
	}
	return true
}

func (m *Model) funcOrOriginOf(fn *ssa.Function) *Func {
	if fn == nil {
		return nil // the method of an interface (FuncValue has none)
	}
	if f := m.funcs[fn]; f != nil {
		return f
	}
	if o := fn.Origin(); o != nil {
		return m.funcs[o]
	}
	return nil
}

// Places returns how f runs: where it is called, deferred or started.
func (m *Model) Places(f *Func) []*Place {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	return m.placesLocked(f)
}

func (m *Model) placesLocked(f *Func) []*Place {
	h := m.hb
	if ps, ok := h.places[f]; ok {
		return ps
	}
	h.places[f] = nil // recursion guard
	var ps []*Place
	seen := make(map[ssa.Instruction]bool)
	add := func(p *Place) {
		if p.In == nil || seen[p.Instr] {
			return
		}
		seen[p.Instr] = true
		ps = append(ps, p)
	}
	for _, cs := range f.CalledFrom {
		p := &Place{Kind: PlaceCall, In: cs.Caller, At: []ssa.Instruction{cs.Instr}, Site: cs, Instr: cs.Instr}
		switch {
		case cs.Go:
			p.Kind = PlaceGo
			p.Go = m.goroutineAt(cs.Instr)
		case cs.Defer:
			p.Kind = PlaceDefer
			p.At = runDefers(cs.Caller.SSA)
		}
		add(p)
	}
	for _, op := range h.targets[f] {
		var bound ssa.Value
		if op.Target == nil {
			bound = boundRecv(op)
		}
		switch op.Kind {
		case OpGo, OpWGGo, OpGroupGo, OpAfterFunc:
			add(&Place{Kind: PlaceGo, In: op.Func, At: []ssa.Instruction{op.Instr}, Go: op.Goroutine, Instr: op.Instr, Bound: bound})
		case OpOnceDo:
			add(&Place{Kind: PlaceCall, In: op.Func, At: []ssa.Instruction{op.Instr}, Instr: op.Instr, Bound: bound})
		}
	}
	if mc := m.closures[f.SSA]; mc != nil {
		parent := m.funcs[mc.Parent()]
		if parent != nil {
			m.closureUses(f, parent, mc, 0, seen, add)
		}
	}
	h.places[f] = ps
	return ps
}

// closureUses finds how the closure value v (made in parent) runs, apart
// from the static calls and recognised Go/Do calls already known.
func (m *Model) closureUses(f, parent *Func, v ssa.Value, depth int, seen map[ssa.Instruction]bool, add func(*Place)) {
	refs := v.Referrers()
	if refs == nil || depth > 4 {
		return
	}
	for _, r := range *refs {
		if seen[r] {
			continue
		}
		in := m.funcs[r.Parent()]
		if in == nil {
			continue
		}
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			m.closureUses(f, parent, r, depth+1, seen, add)
		case *ssa.MakeInterface:
			m.closureUses(f, parent, r, depth+1, seen, add)
		case *ssa.ChangeInterface:
			m.closureUses(f, parent, r, depth+1, seen, add)
		case *ssa.Store:
			if cell, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v {
				m.cellCalls(f, cell, depth, seen, add)
				continue
			}
			add(&Place{Kind: PlaceEscape, In: in, At: []ssa.Instruction{r}, Instr: r})
		case ssa.CallInstruction:
			c := r.Common()
			if c.Value == v {
				continue // a static call, already a CalledFrom site
			}
			kind := m.argUse(c, v, 0)
			if _, isGo := r.(*ssa.Go); isGo {
				kind = PlaceEscape // an argument of a goroutine: unknown
			}
			p := &Place{Kind: kind, In: in, At: []ssa.Instruction{r}, Instr: r}
			if kind == PlaceGo {
				p.Go = m.helperGoroutine(c, v)
				m.joinedByHelper(p, c)
			}
			add(p)
		default:
			add(&Place{Kind: PlaceEscape, In: in, At: []ssa.Instruction{r}, Instr: r})
		}
	}
}

// cellCalls finds the calls of a closure kept in a local variable (f :=
// func(){...}; f(); go f(); var visit func(); visit = func(){... visit() }).
func (m *Model) cellCalls(f *Func, cell *ssa.Alloc, depth int, seen map[ssa.Instruction]bool, add func(*Place)) {
	loads := m.cellLoads(cell)
	for _, l := range loads {
		refs := l.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			if seen[r] {
				continue
			}
			in := m.funcs[r.Parent()]
			if in == nil {
				continue
			}
			call, ok := r.(ssa.CallInstruction)
			if !ok {
				if _, dbg := r.(*ssa.DebugRef); !dbg {
					add(&Place{Kind: PlaceEscape, In: in, At: []ssa.Instruction{r}, Instr: r})
				}
				continue
			}
			c := call.Common()
			p := &Place{Kind: PlaceCall, In: in, At: []ssa.Instruction{r}, Instr: r}
			switch call.(type) {
			case *ssa.Go:
				if c.Value != l {
					p.Kind = PlaceEscape
				} else {
					p.Kind = PlaceGo
					p.Go = m.goroutineAt(r)
				}
			case *ssa.Defer:
				if c.Value == l {
					p.Kind = PlaceDefer
					p.At = runDefers(in.SSA)
				} else {
					p.Kind = PlaceEscape
				}
			default:
				if c.Value != l {
					p.Kind = m.argUse(c, l, 0)
					if p.Kind == PlaceGo {
						p.Go = m.helperGoroutine(c, l)
						m.joinedByHelper(p, c)
					}
				}
			}
			add(p)
		}
	}
}

// argUse says how a function passed as an argument of call c runs.
func (m *Model) argUse(c *ssa.CallCommon, v ssa.Value, depth int) PlaceKind {
	if op := m.opOfCall(c); op != nil {
		switch op.Kind {
		case OpWGGo, OpGroupGo, OpAfterFunc:
			return PlaceGo
		case OpOnceDo:
			return PlaceCall
		case OpOnceFunc:
			return PlaceEscape
		}
	}
	cl := classifyCall(c)
	switch cl.kind {
	case OpWGGo, OpGroupGo, OpAfterFunc:
		return PlaceGo
	case OpOnceFunc:
		return PlaceEscape
	}
	if callee := m.staticCallee(c); callee != nil && depth < 3 {
		for i, a := range c.Args {
			if a == v && i < len(callee.SSA.Params) {
				return m.paramUse(callee.SSA.Params[i], depth+1)
			}
		}
		return PlaceCall
	}
	if fn, _, _ := calleeOf(c); fn != nil && fn.Pkg() != nil && asyncCallback(fn) {
		return PlaceEscape
	}
	// A function of another package (or a dynamic call): a callback run
	// during the call.
	return PlaceCall
}

// asyncCallback reports functions of other packages known to run their
// function argument later or in other goroutines.
func asyncCallback(fn *types.Func) bool {
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "net/http.HandleFunc", "net/http.Handle", "context.AfterFunc", "runtime.SetFinalizer",
		"runtime.AddCleanup", "os/signal.Notify":
		return true
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		switch typeName(sig.Recv().Type()) + "." + fn.Name() {
		case "ServeMux.HandleFunc", "ServeMux.Handle", "common.Cleanup", "T.Cleanup", "B.Cleanup", "F.Cleanup":
			return true
		}
	}
	return false
}

// StartsParam reports whether f starts its function parameter i as a
// goroutine (go fn(), errgroup.Go(fn), a helper that does), directly or
// through helpers of the package.
func (m *Model) StartsParam(f *Func, i int) bool {
	if i < 0 || i >= len(f.SSA.Params) {
		return false
	}
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	return m.paramUse(f.SSA.Params[i], 0) == PlaceGo
}

// paramUse says how a function runs its function parameter.
func (m *Model) paramUse(p *ssa.Parameter, depth int) PlaceKind {
	return m.valueUse(p, p.Parent(), depth)
}

// valueUse says how the function value v, a value of function holder or of
// a closure nested in it, is run: PlaceGo if some use starts it as a
// goroutine, PlaceEscape if it leaves what the model follows, PlaceCall if
// it is only called.
func (m *Model) valueUse(v ssa.Value, holder *ssa.Function, depth int) PlaceKind {
	refs := v.Referrers()
	if refs == nil || depth > 6 {
		return PlaceCall
	}
	kind := PlaceCall
	worse := func(k PlaceKind) {
		if k == PlaceGo || kind == PlaceGo {
			kind = PlaceGo
		} else if k == PlaceEscape {
			kind = PlaceEscape
		}
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Go:
			worse(PlaceGo)
		case ssa.CallInstruction:
			c := r.Common()
			if c.Value == v {
				worse(m.enclosingKind(r.Parent(), holder))
				continue
			}
			worse(m.argUse(c, v, depth+1))
		case *ssa.Store:
			cell, ok := r.Addr.(*ssa.Alloc)
			if !ok || r.Val != v {
				worse(PlaceEscape)
				continue
			}
			for _, l := range m.cellLoads(cell) {
				worse(m.valueUse(l, holder, depth+1))
			}
		case *ssa.MakeClosure:
			fn := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == v && i < len(fn.FreeVars) {
					worse(m.valueUse(fn.FreeVars[i], holder, depth+1))
				}
			}
		case *ssa.UnOp:
			if r.Op == token.MUL {
				worse(m.valueUse(r, holder, depth+1))
			} else {
				worse(PlaceEscape)
			}
		case *ssa.ChangeType, *ssa.MakeInterface:
			worse(m.valueUse(r.(ssa.Value), holder, depth+1))
		default:
			worse(PlaceEscape)
		}
		if kind == PlaceGo {
			return kind
		}
	}
	return kind
}

// enclosingKind says how code of fn, a closure nested in holder (or holder
// itself), runs relative to holder.
func (m *Model) enclosingKind(fn, holder *ssa.Function) PlaceKind {
	for depth := 0; fn != nil && fn != holder && depth < 6; depth++ {
		f := m.funcs[fn]
		if f == nil {
			return PlaceEscape
		}
		kind := PlaceCall
		for _, pl := range m.placesLocked(f) {
			switch pl.Kind {
			case PlaceGo:
				return PlaceGo
			case PlaceEscape:
				kind = PlaceEscape
			}
		}
		if kind == PlaceEscape {
			return kind
		}
		fn = fn.Parent()
	}
	return PlaceCall
}

// cellLoads returns the loads of a local variable cell, in its function
// and in the closures that capture it.
func (m *Model) cellLoads(cell *ssa.Alloc) []ssa.Value {
	var loads []ssa.Value
	var visit func(addr ssa.Value, d int)
	visit = func(addr ssa.Value, d int) {
		refs := addr.Referrers()
		if refs == nil || d > 4 {
			return
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.UnOp:
				if r.Op == token.MUL {
					loads = append(loads, r)
				}
			case *ssa.MakeClosure:
				for i, b := range r.Bindings {
					if b == addr {
						if fn, ok := r.Fn.(*ssa.Function); ok && i < len(fn.FreeVars) {
							visit(fn.FreeVars[i], d+1)
						}
					}
				}
			}
		}
	}
	visit(cell, 0)
	return loads
}

// helperGoroutine finds the goroutine a helper starts for its function
// argument v, when the helper is of this package.
func (m *Model) helperGoroutine(c *ssa.CallCommon, v ssa.Value) *Goroutine {
	if op := m.opOfCall(c); op != nil && op.Goroutine != nil {
		return op.Goroutine
	}
	callee := m.staticCallee(c)
	if callee == nil {
		return nil
	}
	for _, op := range callee.Ops {
		if op.Goroutine != nil {
			return op.Goroutine
		}
	}
	for _, cs := range callee.Calls {
		for _, op := range cs.Callee.Ops {
			if op.Goroutine != nil && !cs.Go {
				return op.Goroutine
			}
		}
	}
	return nil
}

// joinedByHelper turns the place of a function started by a helper of
// this package into a call when the helper waits for the goroutine before
// returning (runAndWait(f)).
func (m *Model) joinedByHelper(p *Place, c *ssa.CallCommon) {
	if p.Go == nil || m.staticCallee(c) == nil || p.Go.Spawn.Func == p.In {
		return
	}
	if !m.escapesLocked(p.Go) {
		p.Kind, p.Go = PlaceCall, nil
	}
}

// opOfCall returns the operation recorded for a call, if any.
func (m *Model) opOfCall(c *ssa.CallCommon) *Op {
	for _, op := range m.opsAt[c.Pos()] {
		if op.Instr != nil {
			if ci, ok := op.Instr.(ssa.CallInstruction); ok && ci.Common() == c {
				return op
			}
		}
	}
	return nil
}

// goroutineAt returns the goroutine started by a go statement.
func (m *Model) goroutineAt(in ssa.Instruction) *Goroutine {
	for _, op := range m.opsAt[in.Pos()] {
		if op.Instr == in && op.Goroutine != nil {
			return op.Goroutine
		}
	}
	return nil
}

// runDefers returns the points where deferred calls run (the RunDefers
// before each return; the returns when there is none).
func runDefers(fn *ssa.Function) []ssa.Instruction {
	var out, rets []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			switch in.(type) {
			case *ssa.RunDefers:
				out = append(out, in)
			case *ssa.Return:
				rets = append(rets, in)
			}
		}
	}
	if len(out) == 0 {
		return rets
	}
	return out
}

// Views returns the frames in which a is seen, its own function first.
func (m *Model) Views(a *Access) []*View {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	return m.viewsLocked(a)
}

const (
	// maxLift is how many levels above the access's function a view
	// goes: a handler's access is often five calls below its worker's go
	// statement, and that two or three below the function that joins it
	// (a closure a helper runs). Views stop at maxViews anyway.
	maxLift  = 8
	maxViews = 24 // views per access
)

func (m *Model) viewsLocked(a *Access) []*View {
	h := m.hb
	if vs, ok := h.views[a]; ok {
		return vs
	}
	if !a.Path.Valid() {
		h.views[a] = nil
		return nil
	}
	base := &View{Key: a.Path.Key(), Path: a.Path, Levels: []Level{{Fn: a.Func, At: []ssa.Instruction{a.Instr}}}, Held: a.Held, sync: true}
	all := []*View{base}
	for i := 0; i < len(all) && len(all) < maxViews; i++ {
		v := all[i]
		if len(v.Levels) > maxLift {
			continue
		}
		for _, up := range m.lift(v) {
			if len(all) >= maxViews {
				break
			}
			all = append(all, up)
		}
	}
	// A value made in a function F (a local a closure captures) is one
	// object per call of F: it has a name only in F and in the closures
	// nested in F. Seen from elsewhere (the loop of a dispatcher that runs
	// the closures it receives), every call's object would look like one,
	// and a dispatcher started many times would seem to share it. Such
	// views are lifted further (a helper that F calls may run the closure,
	// and the view then comes back to F) but are not frames.
	var out []*View
	for _, v := range all {
		if v.Path.Root.Kind != RootValue || within(v.Root().SSA, v.Path.Root.Frame) {
			out = append(out, v)
		}
	}
	h.views[a] = out
	return out
}

// within reports whether fn is frame or a closure nested in it.
func within(fn, frame *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if fn == frame {
			return true
		}
	}
	return false
}

// lift returns the views one frame above v.
func (m *Model) lift(v *View) []*View {
	root := v.Root()
	p := v.Path
	var frame *ssa.Function
	switch p.Root.Kind {
	case RootParam, RootValue:
		frame = p.Root.Frame
	}
	ownFrame := frame == root.SSA
	if ownFrame && p.Root.Kind == RootValue {
		return nil // made here: each call has its own
	}
	var out []*View
	for _, pl := range m.placesLocked(root) {
		if pl.In == root {
			continue // recursion
		}
		np := p
		if ownFrame {
			// A parameter of root: rewrite it as the argument.
			switch {
			case pl.Site != nil:
				q, ok := m.liftParam(p, pl.Site)
				if !ok {
					continue
				}
				np = q
			case pl.Bound != nil && p.Root.Param == 0:
				base, ok := m.PathOf(pl.Bound)
				if !ok {
					continue
				}
				np = p.rebase(base)
			default:
				continue
			}
		}
		levels := make([]Level, 0, len(v.Levels)+1)
		levels = append(levels, Level{Fn: pl.In, At: pl.At, Kind: pl.Kind, Go: pl.Go, Instr: pl.Instr})
		levels = append(levels, v.Levels...)
		up := &View{Key: np.Key(), Path: np, Levels: levels, Held: v.Held, sync: v.sync && !pl.Kind.async()}
		if up.sync {
			up.Held = append(append([]*Held(nil), v.Held...), m.heldAt(pl)...)
		}
		out = append(out, up)
	}
	return out
}

// heldAt returns the locks certainly held where a place runs its function
// (for a deferred call, at the defer statement).
func (m *Model) heldAt(pl *Place) []*Held {
	if pl.Site != nil {
		return pl.Site.Held
	}
	if st := pl.In.states[pl.Instr]; st != nil {
		return append(st.heldList(), pl.In.Requires...)
	}
	return pl.In.Requires
}

// liftParam rewrites a path rooted at a parameter of the callee of cs into
// the caller's frame.
func (m *Model) liftParam(p Path, cs *CallSite) (Path, bool) {
	args := cs.Args()
	i := p.Root.Param
	if i < 0 || i >= len(args) {
		return Path{}, false
	}
	base, ok := m.PathOf(args[i])
	if !ok {
		return Path{}, false
	}
	return p.rebase(base), true
}

// MayHappenInParallel reports whether accesses a and b (of the same
// object) may run at the same time in two goroutines with no
// happens-before edge between them, as far as the package shows: they
// meet in a common frame where one of them runs in a goroutine that the
// other is not ordered with, or they run in two instances of one
// goroutine.
func (m *Model) MayHappenInParallel(a, b *Access) bool {
	return m.Parallel(a, b) != nil
}

// Parallel is MayHappenInParallel with the explanation; nil when the
// accesses are ordered or seen in no common frame.
func (m *Model) Parallel(a, b *Access) *Parallelism {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	par, _ := m.parallelLocked(a, b)
	return par
}

// Common reports whether a and b are seen in a common frame (and so
// whether Parallel's nil answer is an ordering rather than ignorance).
func (m *Model) Common(a, b *Access) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	_, common := m.parallelLocked(a, b)
	return common
}

func (m *Model) parallelLocked(a, b *Access) (*Parallelism, bool) {
	va, vb := m.viewsLocked(a), m.viewsLocked(b)
	common := false
	for _, x := range va {
		for _, y := range vb {
			if x.Root() != y.Root() || x.Key != y.Key {
				continue
			}
			common = true
			if CommonLockHeld(x.Held, y.Held) != nil {
				continue
			}
			if par := m.decide(x, y); par != nil {
				return par, true
			}
		}
	}
	return nil, common
}

// side is how an access is reached from the frame where two views diverge.
type side struct {
	at    []ssa.Instruction
	async bool
	th    *thread // the goroutine (or escaping closure) it runs in, if async
}

// decide answers for two views with the same frame and path.
func (m *Model) decide(x, y *View) *Parallelism {
	k := 0
	for k+1 < len(x.Levels) && k+1 < len(y.Levels) &&
		sameInstr(x.Levels[k].Instr, y.Levels[k].Instr) && x.Levels[k].Kind == y.Levels[k].Kind &&
		x.Levels[k+1].Fn == y.Levels[k+1].Fn {
		k++
	}
	c := x.Levels[k].Fn
	if y.Levels[k].Fn != c {
		return nil
	}
	root := rootValue(x.Path, c)
	if x.Path.Elem {
		return nil // one of many objects (s.items[i]): maybe not the same one
	}
	// A closure that escapes runs at unknown times: below such a level the
	// model knows nothing, except for the one case handled below.
	if escapeBelow(x, 0, k) || escapeBelow(y, 0, k) {
		return nil
	}
	sa, sb := m.sideOf(x, k), m.sideOf(y, k)
	if sa.escapeBelow(x, k) || sb.escapeBelow(y, k) {
		return nil
	}
	// Several instances of the common part, each running both accesses.
	if th := m.multiPrefix(x, k, root); th != nil {
		return &Parallelism{Frame: x.Root(), A: startOf(th), B: startOf(th), Instances: true}
	}
	// A function that starts itself as a goroutine (a crawler's visit)
	// runs in several instances at once on the same object.
	if !sa.async && !sb.async {
		for j := k; j >= 0; j-- {
			if pl := m.selfSpawn(x.Levels[j].Fn, x.Path, j == 0); pl != nil {
				st := Start{Kind: PlaceGo, Instr: pl.Instr, Go: pl.Go}
				return &Parallelism{Frame: x.Root(), A: st, B: st, Instances: true}
			}
			if j > 0 && x.Levels[j-1].Kind.async() {
				break
			}
		}
	}
	// A closure that escapes runs at unknown times in unknown goroutines:
	// mostly callbacks called synchronously later (hooks stored in a
	// struct). Only a closure handed back to the caller (a stop function)
	// is taken to run in parallel, and only with a goroutine still running.
	if sa.async && sb.async {
		if sa.th.place.Kind == PlaceEscape && sb.th.place.Kind == PlaceEscape ||
			sa.th.place.Kind == PlaceEscape && !returned(sa.th) || sb.th.place.Kind == PlaceEscape && !returned(sb.th) {
			return nil
		}
	} else if sa.async && sa.th.place.Kind == PlaceEscape || sb.async && sb.th.place.Kind == PlaceEscape {
		return nil
	}
	switch {
	case !sa.async && !sb.async:
		return nil
	case sa.async && !sb.async:
		if m.runsAlongside(c, sa, sb.at, root) {
			return &Parallelism{Frame: c, A: startOf(sa.th)}
		}
	case !sa.async && sb.async:
		if m.runsAlongside(c, sb, sa.at, root) {
			return &Parallelism{Frame: c, B: startOf(sb.th)}
		}
	default:
		if m.overlap(c, sa, sb, root) {
			return &Parallelism{Frame: c, A: startOf(sa.th), B: startOf(sb.th)}
		}
	}
	return nil
}

func sameInstr(a, b ssa.Instruction) bool { return a == b }

// selfSpawn returns a go statement of f that starts f again with the same
// object (p's root passed on unchanged); own is set when p is in f's frame.
func (m *Model) selfSpawn(f *Func, p Path, own bool) *Place {
	for _, pl := range m.placesLocked(f) {
		if pl.In != f || pl.Kind != PlaceGo || pl.Site == nil {
			continue
		}
		switch {
		case p.Root.Kind == RootGlobal:
			return pl
		case own && p.Root.Kind == RootParam && p.Root.Frame == f.SSA:
			if q, ok := m.liftParam(p, pl.Site); ok && q.Key() == p.Key() {
				return pl
			}
		}
	}
	return nil
}

// escapeBelow reports whether levels [from, to) of v include a closure
// that escapes.
func escapeBelow(v *View, from, to int) bool {
	for j := from; j < to && j < len(v.Levels); j++ {
		if v.Levels[j].Kind == PlaceEscape {
			return true
		}
	}
	return false
}

// escapeBelow reports whether the levels of v from k down include an
// escape other than the side's own start.
func (s side) escapeBelow(v *View, k int) bool {
	for j := k; j < len(v.Levels)-1; j++ {
		l := v.Levels[j]
		if l.Kind == PlaceEscape && (s.th == nil || l.Instr != s.th.place.Instr) {
			return true
		}
	}
	return false
}

// returned reports whether an escaping closure is returned to the caller.
func returned(th *thread) bool {
	_, ok := th.place.Instr.(*ssa.Return)
	return ok
}

// rootValue is the instruction making the root of p, when it is made in c:
// executing it again makes another object.
func rootValue(p Path, c *Func) ssa.Value {
	if p.Root.Kind == RootValue && p.Root.Frame == c.SSA {
		if _, ok := p.Root.Value.(ssa.Instruction); ok {
			return p.Root.Value
		}
	}
	return nil
}

// sideOf describes how view v goes down from its level k.
func (m *Model) sideOf(v *View, k int) side {
	s := side{at: v.Levels[k].At}
	for j := k; j < len(v.Levels)-1; j++ {
		l := v.Levels[j]
		if !l.Kind.async() {
			if l.Kind == PlaceCall && isSynctestRun(l.Instr) {
				return s // synctest.Run and Test wait for every goroutine of the bubble
			}
			continue
		}
		th := m.threadOf(l, v.Levels[j+1].Fn)
		if j > k && m.contained(th) {
			continue // joined before its starter returns: part of the call at level k
		}
		s.async, s.th = true, th
		return s
	}
	return s
}

// threadOf returns the thread started at level l, running fn.
func (m *Model) threadOf(l Level, fn *Func) *thread {
	h := m.hb
	key := threadKey{in: l.Fn, inst: l.Instr}
	if th := h.threads[key]; th != nil {
		return th
	}
	th := &thread{
		place:   &Place{Kind: l.Kind, In: l.Fn, At: l.At, Go: l.Go, Instr: l.Instr},
		target:  fn,
		funcs:   make(map[*Func]bool),
		signals: make(map[*Object]bool),
		waits:   make(map[*Object]bool),
		sends:   make(map[*Object]bool),
		barrier: make(map[*Func][]point),
	}
	h.threads[key] = th
	var work []*Func
	addFn := func(f *Func) {
		if f != nil && !th.funcs[f] {
			th.funcs[f] = true
			work = append(work, f)
		}
	}
	addFn(fn)
	if l.Go != nil {
		addFn(l.Go.Target)
		switch l.Go.Spawn.Kind {
		case OpGroupGo, OpWGGo:
			if l.Go.Spawn.Object != nil {
				th.signals[l.Go.Spawn.Object] = true
			}
		}
	}
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		for _, cs := range f.Calls {
			if !cs.Go {
				addFn(cs.Callee)
			}
		}
		// Closures called (or deferred) here run in this thread too.
		for _, anon := range f.SSA.AnonFuncs {
			if af := m.funcs[anon]; af != nil {
				for _, pl := range m.placesLocked(af) {
					if pl.In == f && !pl.Kind.async() {
						addFn(af)
					}
				}
			}
		}
		for _, op := range f.Ops {
			if op.Object == nil {
				continue
			}
			switch op.Kind {
			case OpSend:
				th.signals[op.Object] = true
				th.sends[op.Object] = true
			case OpClose, OpWGDone:
				th.signals[op.Object] = true
			case OpAtomicStore:
				// A load that observes the store observes what came
				// before it (a flag published with done.Store(true)).
				th.signals[op.Object] = true
			case OpRecv, OpRange, OpWGWait, OpAtomicLoad:
				th.waits[op.Object] = true
			}
		}
	}
	return th
}

// passesToken reports whether the instances of th may take turns through
// a channel: each both receives from and sends on it (a token ring, or a
// channel of capacity 1 used as a lock).
func (th *thread) passesToken() bool {
	for obj := range th.waits {
		if th.sends[obj] && obj.Kind == ObjChan {
			return true
		}
	}
	return false
}

// contained reports whether every instance of th is joined in the
// function that starts it before that function returns.
func (m *Model) contained(th *thread) bool {
	if th.place.Kind != PlaceGo {
		return false
	}
	in := th.place.In
	exits := returnsOf(in.SSA)
	return !m.reaches(in, th.place.At, exits, m.barriers(th, in), nil)
}

// Escapes reports whether goroutine g may still run after the function
// that starts it returns (no join on some path from the go statement to a
// return).
func (m *Model) Escapes(g *Goroutine) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	return m.escapesLocked(g)
}

func (m *Model) escapesLocked(g *Goroutine) bool {
	h := m.hb
	if e, ok := h.escapes[g]; ok {
		return e > 0
	}
	l := Level{Fn: g.Spawn.Func, At: []ssa.Instruction{g.Spawn.Instr}, Kind: PlaceGo, Go: g, Instr: g.Spawn.Instr}
	th := m.threadOf(l, g.Target)
	esc := !m.contained(th)
	if esc {
		h.escapes[g] = 1
	} else {
		h.escapes[g] = -1
	}
	return esc
}

func returnsOf(fn *ssa.Function) []ssa.Instruction {
	var out []ssa.Instruction
	for _, b := range fn.Blocks {
		if n := len(b.Instrs); n > 0 {
			if r, ok := b.Instrs[n-1].(*ssa.Return); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// runsAlongside reports whether code at points at of c can run while the
// thread of side s (started at s.at) runs: at is reachable from the start
// without passing one of its joins, and no handoff after at orders it
// before the thread's work.
func (m *Model) runsAlongside(c *Func, s side, at []ssa.Instruction, root ssa.Value) bool {
	if !m.reaches(c, s.at, at, m.barriers(s.th, c), root) {
		return false
	}
	return !m.handsOff(c, at, s.th)
}

// overlap reports whether the threads of two sides, both started in c, can
// run at the same time.
func (m *Model) overlap(c *Func, a, b side, root ssa.Value) bool {
	return m.reaches(c, a.at, b.at, m.barriers(a.th, c), root) ||
		m.reaches(c, b.at, a.at, m.barriers(b.th, c), root)
}

// handsOff reports whether c, after the points at, sends to th on a
// channel th receives from (or closes it, or meets it on an unbuffered
// channel): what c did before is then ordered before what th does after
// receiving. Any such operation reachable from at counts.
func (m *Model) handsOff(c *Func, at []ssa.Instruction, th *thread) bool {
	var targets []ssa.Instruction
	if th.funcs[c] {
		return false
	}
	for _, op := range c.Ops {
		if op.Object == nil {
			continue
		}
		switch op.Kind {
		case OpSend, OpClose:
			if th.waits[op.Object] {
				targets = append(targets, op.Instr)
			}
		case OpRecv:
			if th.sends[op.Object] && op.Object.Cap <= 0 {
				targets = append(targets, op.Instr)
			}
		case OpWGDone, OpAtomicStore:
			if th.waits[op.Object] {
				targets = append(targets, op.Instr)
			}
		}
	}
	if len(targets) == 0 {
		return false
	}
	// An operation at the same instruction as the access counts (a send of
	// the value read).
	for _, t := range targets {
		for _, a := range at {
			if t == a {
				return true
			}
		}
	}
	return m.reaches(c, at, targets, nil, nil)
}

// point is a position in a function's control flow: a block and the index
// of an instruction in it.
type point struct {
	b *ssa.BasicBlock
	i int
}

// barriers returns the points of c at which c waits for th: receives on a
// channel th sends on or closes, Wait on a WaitGroup th marks Done,
// errgroup.Wait on the group that started it. For a select case, the point
// is the start of the case's body.
func (m *Model) barriers(th *thread, c *Func) []point {
	if bs, ok := th.barrier[c]; ok {
		return bs
	}
	var out []point
	for _, op := range c.Ops {
		if op.Object == nil || !th.signals[op.Object] {
			continue
		}
		switch op.Kind {
		case OpRecv, OpRange, OpWGWait, OpGroupWait, OpAtomicLoad:
		default:
			continue
		}
		if op.Select != nil {
			if b := caseBlock(op.Select, op.Case); b != nil {
				out = append(out, point{b, 0})
				continue
			}
		}
		if p, ok := m.pointOf(op.Instr); ok {
			out = append(out, p)
		}
	}
	// Calls of functions that wait for it (waitDone(done)), and
	// synctest.Wait, which returns when every goroutine of the bubble is
	// blocked.
	for _, b := range c.SSA.Blocks {
		for _, in := range b.Instrs {
			call, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			if callee := m.staticCallee(&call.Call); callee != nil && callee != c && m.joinsIn(th, callee, 0) || isSynctestWait(&call.Call) {
				if p, ok := m.pointOf(in); ok {
					out = append(out, p)
				}
			}
		}
	}
	th.barrier[c] = out
	return out
}

// joinsIn reports whether f (or a function it calls, two levels down)
// waits for th.
func (m *Model) joinsIn(th *thread, f *Func, depth int) bool {
	if th.funcs[f] {
		return false
	}
	for _, op := range f.Ops {
		if op.Object == nil || !th.signals[op.Object] {
			continue
		}
		switch op.Kind {
		case OpRecv, OpRange, OpWGWait, OpGroupWait:
			return true
		}
	}
	if depth < 2 {
		for _, cs := range f.Calls {
			if !cs.Go && cs.Callee != f && m.joinsIn(th, cs.Callee, depth+1) {
				return true
			}
		}
	}
	return false
}

func isSynctestRun(in ssa.Instruction) bool {
	call, ok := in.(*ssa.Call)
	if !ok {
		return false
	}
	fn, _, _ := calleeOf(&call.Call)
	if fn == nil || fn.Pkg() == nil || fn.Name() != "Run" && fn.Name() != "Test" {
		return false
	}
	switch fn.Pkg().Path() {
	case "testing/synctest", "internal/synctest":
		return true
	}
	return false
}

func isSynctestWait(c *ssa.CallCommon) bool {
	fn, _, _ := calleeOf(c)
	if fn == nil || fn.Pkg() == nil || fn.Name() != "Wait" {
		return false
	}
	switch fn.Pkg().Path() {
	case "testing/synctest", "internal/synctest":
		return true
	}
	return false
}

// caseBlock returns the first block of the body of case i of a select.
func caseBlock(sel *ssa.Select, i int) *ssa.BasicBlock {
	refs := sel.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		e, ok := r.(*ssa.Extract)
		if !ok || e.Index != 0 {
			continue
		}
		erefs := e.Referrers()
		if erefs == nil {
			continue
		}
		for _, er := range *erefs {
			bin, ok := er.(*ssa.BinOp)
			if !ok || bin.Op != token.EQL {
				continue
			}
			k, ok := bin.Y.(*ssa.Const)
			if !ok || k.Value == nil || int(k.Int64()) != i {
				continue
			}
			brefs := bin.Referrers()
			if brefs == nil {
				continue
			}
			for _, br := range *brefs {
				if iff, ok := br.(*ssa.If); ok {
					return iff.Block().Succs[0]
				}
			}
		}
	}
	return nil
}

// pointOf returns the position of an instruction in its function.
func (m *Model) pointOf(in ssa.Instruction) (point, bool) {
	b := in.Block()
	if b == nil {
		return point{}, false
	}
	fn := b.Parent()
	idx := m.hb.index[fn]
	if idx == nil {
		idx = make(map[ssa.Instruction]int)
		for _, blk := range fn.Blocks {
			for i, x := range blk.Instrs {
				idx[x] = i
			}
		}
		m.hb.index[fn] = idx
	}
	i, ok := idx[in]
	return point{b, i}, ok
}

// reaches reports whether some point of to can execute after some point of
// from, on a path of c that passes no barrier and does not make the root
// object again (executing root's instruction).
func (m *Model) reaches(c *Func, from, to []ssa.Instruction, barriers []point, root ssa.Value) bool {
	if len(from) == 0 || len(to) == 0 {
		return false
	}
	stops := make(map[*ssa.BasicBlock][]int)
	for _, p := range barriers {
		stops[p.b] = append(stops[p.b], p.i)
	}
	if root != nil {
		if p, ok := m.pointOf(root.(ssa.Instruction)); ok {
			stops[p.b] = append(stops[p.b], p.i)
		}
	}
	targets := make(map[*ssa.BasicBlock][]int)
	for _, t := range to {
		if p, ok := m.pointOf(t); ok {
			targets[p.b] = append(targets[p.b], p.i)
		}
	}
	// entered[b] is the smallest index from which b has been scanned.
	entered := make(map[*ssa.BasicBlock]int)
	type item struct {
		b *ssa.BasicBlock
		i int
	}
	var work []item
	for _, f := range from {
		if p, ok := m.pointOf(f); ok {
			work = append(work, item{p.b, p.i + 1})
		}
	}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if prev, ok := entered[it.b]; ok && prev <= it.i {
			continue
		}
		entered[it.b] = it.i
		end := len(it.b.Instrs)
		for _, s := range stops[it.b] {
			if s >= it.i && s < end {
				end = s
			}
		}
		for _, t := range targets[it.b] {
			if t >= it.i && t < end {
				return true
			}
		}
		// A target at the barrier itself (a receive that is also the
		// access) is reached when the barrier is.
		for _, t := range targets[it.b] {
			if t == end && end < len(it.b.Instrs) {
				return true
			}
		}
		if end < len(it.b.Instrs) {
			continue
		}
		for _, s := range it.b.Succs {
			work = append(work, item{s, 0})
		}
	}
	return false
}

// multiPrefix reports whether the levels before k of v (the part shared by
// both views) can run as several instances at once that share the object:
// a goroutine started in a loop, or in code called in a loop, with no join
// of it on the way around and the object not made again.
func (m *Model) multiPrefix(v *View, k int, root ssa.Value) *thread {
	for j := 0; j < k; j++ {
		l := v.Levels[j]
		if l.Kind != PlaceGo {
			continue
		}
		th := m.threadOf(l, v.Levels[j+1].Fn)
		if th.passesToken() {
			continue
		}
		for i := 0; i <= j; i++ {
			li := v.Levels[i]
			var r ssa.Value
			if i == 0 {
				r = rootValue(v.Path, li.Fn)
				if r == nil {
					r = root
				}
			}
			if m.repeats(li.Fn, li.At, th, r) {
				return th
			}
		}
	}
	return nil
}

// repeats reports whether at can run again after itself in fn without
// passing a join of th or remaking r.
func (m *Model) repeats(fn *Func, at []ssa.Instruction, th *thread, r ssa.Value) bool {
	if len(at) == 0 {
		return false
	}
	key := cycleKey{instr: at[0], th: th, root: r}
	if v, ok := m.hb.cycles[key]; ok {
		return v
	}
	v := m.reaches(fn, at, at, m.barriers(th, fn), r)
	m.hb.cycles[key] = v
	return v
}

// API reports whether f can run in goroutines of the package's callers:
// it is reached by calls (not go statements) from an exported function, a
// function used as a value, or a closure whose caller is unknown. Package
// initialization does not count.
func (m *Model) API(f *Func) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	m.computeAPI()
	return h.api[f]
}

// InitOnly reports whether f runs only during package initialization.
func (m *Model) InitOnly(f *Func) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	m.computeAPI()
	return h.initFn[f]
}

func (m *Model) computeAPI() {
	h := m.hb
	if h.api != nil {
		return
	}
	h.api = make(map[*Func]bool)
	h.initFn = make(map[*Func]bool)
	var work []*Func
	mark := func(f *Func) {
		if !h.api[f] {
			h.api[f] = true
			work = append(work, f)
		}
	}
	for _, f := range m.Funcs {
		name := f.SSA.Name()
		if f.SSA.Parent() == nil && (name == "init" || isInitN(name)) && f.SSA.Signature.Recv() == nil {
			continue
		}
		entry := f.Exported || f.ValueUses > 0 || name == "main" && f.SSA.Parent() == nil
		if f.SSA.Parent() == nil && f.SSA.Signature.Recv() != nil {
			entry = true // methods may satisfy interfaces
		}
		if entry {
			mark(f)
		}
	}
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		for _, cs := range f.Calls {
			if !cs.Go {
				mark(cs.Callee)
			}
		}
		for _, anon := range f.SSA.AnonFuncs {
			af := m.funcs[anon]
			if af == nil {
				continue
			}
			for _, pl := range m.placesLocked(af) {
				if pl.In == f && !pl.Kind.async() {
					mark(af)
				}
			}
		}
	}
	// Functions reached only from init.
	for _, f := range m.Funcs {
		if h.api[f] || len(f.Goroutines) > 0 {
			continue
		}
		h.initFn[f] = m.onlyFromInit(f, 0)
	}
}

// calledByPackageInit reports whether the synthetic package initializer
// (package variable initializers) calls f.
func (m *Model) calledByPackageInit(f *Func) bool {
	if f.Exported || f.ValueUses > 0 {
		return false
	}
	if m.hb.pkgInit == nil {
		m.hb.pkgInit = make(map[*ssa.Function]bool)
		if init := m.SSA.Func("init"); init != nil {
			for _, b := range init.Blocks {
				for _, in := range b.Instrs {
					if c, ok := in.(ssa.CallInstruction); ok {
						if fn := c.Common().StaticCallee(); fn != nil {
							m.hb.pkgInit[fn] = true
						}
					}
				}
			}
		}
	}
	return m.hb.pkgInit[f.SSA]
}

func isInitN(name string) bool {
	if len(name) < 6 || name[:5] != "init#" {
		return false
	}
	for _, r := range name[5:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (m *Model) onlyFromInit(f *Func, depth int) bool {
	if f.SSA.Parent() == nil && f.SSA.Signature.Recv() == nil && (f.SSA.Name() == "init" || isInitN(f.SSA.Name())) {
		return true
	}
	if depth > 6 {
		return false
	}
	ps := m.placesLocked(f)
	if len(ps) == 0 {
		// Called from package variable initializers (the package's
		// synthetic init), or not at all.
		return m.calledByPackageInit(f)
	}
	for _, pl := range ps {
		if pl.Kind.async() || !m.onlyFromInit(pl.In, depth+1) {
			return false
		}
	}
	return true
}

// ParallelWithAPI reports whether access a, made in a goroutine started in
// the package that outlives the function starting it, can run while b runs
// in code that the package's callers run (an exported method, say) and b
// is not behind a join of that goroutine. It is the weaker evidence used
// for objects reached through different frames (a field of the receiver of
// two methods); the objects are assumed to be the same.
func (m *Model) ParallelWithAPI(a, b *Access) *Parallelism {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	m.computeAPI()
	if m.dead(a) || m.dead(b) || h.initFn[b.Func] {
		return nil
	}
	for _, g := range a.Func.Goroutines {
		if g.Target == nil || g.Spawn.Func == nil || !m.escapesLocked(g) {
			continue
		}
		if g.runs(b.Func) && !g.Many {
			continue
		}
		shapes := m.spawnerShapes(a, g)
		if len(shapes) == 0 {
			continue
		}
		for _, bv := range m.viewsLocked(b) {
			root := bv.Root()
			if !h.api[root] && !m.inOtherEscaping(root, g) {
				continue
			}
			if !sameShape(shapes, bv.Path) {
				continue
			}
			if m.afterJoin(b, g) {
				break
			}
			return &Parallelism{A: Start{Kind: PlaceGo, Instr: g.Spawn.Instr, Go: g}, Escapes: true}
		}
	}
	return nil
}

// sameShape reports whether p reaches its object the way one of shapes
// does: from a root of the same type through the same fields (s.status
// from the receiver of two methods of Monitor), or from the same package
// variable.
func sameShape(shapes []Path, p Path) bool {
	for _, q := range shapes {
		if len(q.Fields) != len(p.Fields) || q.Elem != p.Elem {
			continue
		}
		same := true
		for i := range q.Fields {
			if q.Fields[i] != p.Fields[i] {
				same = false
			}
		}
		if !same {
			continue
		}
		switch {
		case q.Root.Kind == RootGlobal || p.Root.Kind == RootGlobal:
			if q.Root.Kind == p.Root.Kind && q.Root.Global == p.Root.Global {
				return true
			}
		case p.Root.Kind == RootParam && types.Identical(rootType(q), rootType(p)):
			return true
		}
	}
	return false
}

// rootType is the type of a path's root, pointers removed.
func rootType(p Path) types.Type {
	switch p.Root.Kind {
	case RootParam:
		return deref(p.Root.Frame.Params[p.Root.Param].Type())
	case RootValue:
		return deref(p.Root.Value.Type())
	case RootGlobal:
		return deref(p.Root.Global.Type())
	}
	return nil
}

// Dead reports whether a is in code that never runs: behind a constant
// false condition.
func (m *Model) Dead(a *Access) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	return m.dead(a)
}

// dead reports whether a is in code that never runs: behind a constant
// false condition (if debug { ... } with const debug = false).
func (m *Model) dead(a *Access) bool {
	b := a.Instr.Block()
	if b == nil {
		return false
	}
	fn := b.Parent()
	live := m.hb.live[fn]
	if live == nil {
		live = make(map[*ssa.BasicBlock]bool)
		var visit func(*ssa.BasicBlock)
		visit = func(x *ssa.BasicBlock) {
			if live[x] {
				return
			}
			live[x] = true
			if n := len(x.Instrs); n > 0 {
				if iff, ok := x.Instrs[n-1].(*ssa.If); ok {
					if c, ok := iff.Cond.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
						if constant.BoolVal(c.Value) {
							visit(x.Succs[0])
						} else {
							visit(x.Succs[1])
						}
						return
					}
				}
			}
			for _, s := range x.Succs {
				visit(s)
			}
		}
		if len(fn.Blocks) > 0 {
			visit(fn.Blocks[0])
		}
		if fn.Recover != nil {
			visit(fn.Recover)
		}
		m.hb.live[fn] = live
	}
	return !live[b]
}

// spawnerShapes returns the paths of a's object seen from the function
// starting g, through g's go statement, when the package's callers can
// reach that object too: a parameter, a package variable, or a value made
// there that is returned or stored in a field or package variable.
func (m *Model) spawnerShapes(a *Access, g *Goroutine) []Path {
	var out []Path
	if a.Path.Root.Kind == RootGlobal {
		out = append(out, a.Path)
	}
	for _, v := range m.viewsLocked(a) {
		if v.Root() != g.Spawn.Func {
			continue
		}
		through := false
		for _, l := range v.Levels {
			if l.Instr == g.Spawn.Instr {
				through = true
			}
		}
		if !through {
			continue
		}
		switch v.Path.Root.Kind {
		case RootGlobal:
			out = append(out, v.Path)
		case RootParam:
			if v.Path.Root.Frame == g.Spawn.Func.SSA {
				out = append(out, v.Path)
			}
		case RootValue:
			if v.Path.Root.Frame == g.Spawn.Func.SSA && escapesFrame(v.Path.Root.Value, 0) {
				out = append(out, v.Path)
			}
		}
	}
	return out
}

// escapesFrame reports whether a value made in a function is returned or
// stored in a field, a package variable or a map.
func escapesFrame(v ssa.Value, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > 4 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Return:
			return true
		case *ssa.Store:
			if r.Val == v {
				switch r.Addr.(type) {
				case *ssa.FieldAddr, *ssa.Global, *ssa.IndexAddr:
					return true
				case *ssa.Alloc:
					for _, l := range cellLoadsOf(r.Addr.(*ssa.Alloc)) {
						if escapesFrame(l, depth+1) {
							return true
						}
					}
				}
			}
		case *ssa.MapUpdate:
			if r.Value == v {
				return true
			}
		case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface:
			if escapesFrame(r.(ssa.Value), depth+1) {
				return true
			}
		}
	}
	return false
}

// cellLoadsOf returns the loads of a cell in its own function.
func cellLoadsOf(a *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	if refs := a.Referrers(); refs != nil {
		for _, r := range *refs {
			if u, ok := r.(*ssa.UnOp); ok && u.Op == token.MUL {
				out = append(out, u)
			}
		}
	}
	return out
}

// inOtherEscaping reports whether f runs in a goroutine other than g that
// outlives its starter.
func (m *Model) inOtherEscaping(f *Func, g *Goroutine) bool {
	for _, o := range f.Goroutines {
		if o != g && m.escapesLocked(o) {
			return true
		}
	}
	return false
}

// afterJoin reports whether every path to b passes a join of g in some
// frame of b's views (Close waiting for the loop before clearing a field).
func (m *Model) afterJoin(b *Access, g *Goroutine) bool {
	l := Level{Fn: g.Spawn.Func, At: []ssa.Instruction{g.Spawn.Instr}, Kind: PlaceGo, Go: g, Instr: g.Spawn.Instr}
	th := m.threadOf(l, g.Target)
	for _, v := range m.viewsLocked(b) {
		for _, lv := range v.Levels {
			bs := m.barriers(th, lv.Fn)
			if len(bs) == 0 {
				continue
			}
			entry := lv.Fn.SSA.Blocks[0]
			if len(entry.Instrs) == 0 {
				continue
			}
			start := []ssa.Instruction{entry.Instrs[0]}
			if !m.reachesIncl(lv.Fn, start, lv.At, bs) {
				return true
			}
		}
	}
	return false
}

// reachesIncl is reaches with the start instruction included.
func (m *Model) reachesIncl(c *Func, from, to []ssa.Instruction, barriers []point) bool {
	for _, f := range from {
		for _, t := range to {
			if f == t {
				return true
			}
		}
	}
	return m.reaches(c, from, to, barriers, nil)
}

// CommonLockHeld returns a lock of both sets held in a way that excludes
// the two from each other (not two read locks), matched by class (T.mu):
// the same lock of the same object, assuming the objects are the same.
func CommonLockHeld(as, bs []*Held) *Held {
	for _, x := range as {
		cx := x.Path.Class()
		if cx == "" {
			cx = ClassKey(x.Path.Key())
		}
		for _, y := range bs {
			cy := y.Path.Class()
			if cy == "" {
				cy = ClassKey(y.Path.Key())
			}
			if cx == cy && !(x.Read && y.Read) {
				return x
			}
		}
	}
	return nil
}

// RuntimeInternal reports whether the package is part of the runtime or
// implements package sync: it synchronizes with its own locks and atomics,
// on purpose and beyond what the model sees, and race checks have nothing
// to say about it.
func (m *Model) RuntimeInternal() bool {
	p := m.Pkg.Path()
	switch p {
	case "runtime", "sync", "sync/atomic", "internal/sync":
		return true
	}
	return strings.HasPrefix(p, "runtime/internal/") || strings.HasPrefix(p, "internal/runtime/")
}

// TestOnly reports whether f is test code: declared in a _test.go file,
// or called only from there. The testing package runs tests one at a time
// (parallel subtests aside), and test code reads the state of what it
// tests once that is quiet.
func (m *Model) TestOnly(f *Func) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	return m.testOnly(f, 0)
}

func (m *Model) testOnly(f *Func, depth int) bool {
	if strings.HasSuffix(m.Fset.Position(f.SSA.Pos()).Filename, "_test.go") {
		return true
	}
	fn := f.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if fn != f.SSA {
		return m.testOnly(m.funcs[fn], depth)
	}
	if isTestEntry(fn, m.Fset) || strings.HasSuffix(m.Fset.Position(fn.Pos()).Filename, "_test.go") {
		return true
	}
	if depth > 4 || f.Exported || f.ValueUses > 0 || fn.Signature.Recv() != nil {
		return false
	}
	ps := m.placesLocked(f)
	if len(ps) == 0 {
		return false
	}
	for _, pl := range ps {
		if !m.testOnly(pl.In, depth+1) {
			return false
		}
	}
	return true
}

func isTestEntry(fn *ssa.Function, fset *token.FileSet) bool {
	name := fn.Name()
	if !strings.HasPrefix(name, "Test") && !strings.HasPrefix(name, "Benchmark") &&
		!strings.HasPrefix(name, "Fuzz") && !strings.HasPrefix(name, "Example") {
		return false
	}
	return strings.HasSuffix(fset.Position(fn.Pos()).Filename, "_test.go")
}

// lockedInSomeView reports whether some views of a and b hold a common
// lock: a helper called with the lock held by one of its callers.
func (m *Model) lockedInSomeView(a, b *Access) bool {
	for _, x := range m.viewsLocked(a) {
		for _, y := range m.viewsLocked(b) {
			if CommonLockHeld(x.Held, y.Held) != nil {
				return true
			}
		}
	}
	return false
}

// ParallelWithHandlers reports whether a and b run in goroutines that the
// package's callers start for it by design: an HTTP handler's ServeHTTP
// runs for many requests at once, while a polling loop (an exported method
// that selects on ctx.Done() or a ticker in a loop, meant to be started
// with go) runs beside it. a must be a write made in one of them.
func (m *Model) ParallelWithHandlers(a, b *Access) *Parallelism {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !a.Write || m.dead(a) || m.dead(b) {
		return nil
	}
	for _, x := range m.viewsLocked(a) {
		xa := m.entryKind(x.Root())
		if xa == 0 || !x.sync {
			continue
		}
		for _, y := range m.viewsLocked(b) {
			yb := m.entryKind(y.Root())
			if yb == 0 || !y.sync || !sameShape([]Path{x.Path}, y.Path) || x.Path.Root.Kind != RootParam {
				continue
			}
			if CommonLockHeld(x.Held, y.Held) != nil {
				continue
			}
			// Two requests, or a request and the polling loop.
			if xa == entryHandler && yb == entryHandler || xa != yb {
				return &Parallelism{Handler: true, EntryA: x.Root(), EntryB: y.Root(), Instances: x.Root() == y.Root()}
			}
		}
	}
	return nil
}

const (
	entryHandler = 1 // ServeHTTP
	entryDaemon  = 2 // an exported polling loop
)

// entryKind says whether f is an HTTP handler or a polling loop.
func (m *Model) entryKind(f *Func) int {
	fn := f.SSA
	if fn.Parent() != nil || !f.Exported {
		return 0
	}
	sig := fn.Signature
	if fn.Name() == "ServeHTTP" && sig.Recv() != nil && sig.Params().Len() == 2 &&
		typeName(sig.Params().At(1).Type()) == "Request" && typeName(sig.Params().At(0).Type()) == "ResponseWriter" {
		return entryHandler
	}
	ticks := false
	for _, op := range f.Ops {
		if op.Kind == OpCtxDone || op.Kind == OpTimer {
			ticks = true
		}
	}
	if !ticks {
		return 0
	}
	for _, op := range f.Ops {
		if op.Kind == OpSelect && inLoop(op.Instr.Block()) {
			return entryDaemon
		}
	}
	return 0
}

// Preceded reports whether every path from the entry of a's function to
// a passes an operation of that function for which op returns true, or a
// call for which call returns true (either may be nil).
func (m *Model) Preceded(a *Access, op func(*Op) bool, call func(*CallSite) bool) bool {
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	f := a.Func
	var stops []point
	if op != nil {
		for _, o := range f.Ops {
			if !op(o) {
				continue
			}
			if o.Select != nil && o.Case >= 0 {
				if b := caseBlock(o.Select, o.Case); b != nil {
					stops = append(stops, point{b, 0})
				}
				continue
			}
			if p, ok := m.pointOf(o.Instr); ok {
				stops = append(stops, p)
			}
		}
	}
	if call != nil {
		for _, cs := range f.Calls {
			if call(cs) {
				if p, ok := m.pointOf(cs.Instr); ok {
					stops = append(stops, p)
				}
			}
		}
	}
	if len(stops) == 0 || len(f.SSA.Blocks) == 0 || len(f.SSA.Blocks[0].Instrs) == 0 {
		return false
	}
	entry := f.SSA.Blocks[0].Instrs[0]
	for _, s := range stops {
		if s.b == f.SSA.Blocks[0] && s.i == 0 {
			return true
		}
	}
	if entry == a.Instr {
		return false
	}
	// reaches starts after its from point: start from a virtual point
	// before the entry by checking the entry instruction itself.
	return !m.reaches(f, []ssa.Instruction{entry}, []ssa.Instruction{a.Instr}, stops, nil)
}

// Race is a pair of accesses of one variable, one of them a write, that may
// run in parallel with no lock held by both.
type Race struct {
	A, B *Access // A is a write
	Why  *Parallelism
}

// Races returns the racing pairs among accs, accesses of one variable (or
// of one map's contents). Atomic pairs are left out; so are pairs seen in
// no common frame, unless api is set: then a goroutine that outlives its
// starter is taken to run in parallel with the package's API (see
// ParallelWithAPI), for accesses that are not in constructors.
func (m *Model) Races(accs []*Access, api bool) []Race {
	if m.RuntimeInternal() {
		return nil
	}
	h := m.hbState()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Race
	// The pairs are quadratic in accs: what depends on one access alone is
	// computed once.
	dead := make([]bool, len(accs))
	entry := make([]bool, len(accs)) // seen from a handler or polling loop (see ParallelWithHandlers)
	for i, a := range accs {
		dead[i] = m.dead(a)
		for _, v := range m.viewsLocked(a) {
			entry[i] = entry[i] || v.sync && m.entryKind(v.Root()) != 0
		}
	}
	for i, x := range accs {
		if dead[i] {
			continue
		}
		for j, y := range accs[i:] {
			a, b := x, y
			if !a.Write && !b.Write || a.Atomic && b.Atomic || dead[i+j] {
				continue
			}
			if !a.Write {
				a, b = b, a
			}
			handlers := entry[i] && entry[i+j]
			par, common := m.parallelLocked(a, b)
			if par == nil && !common && api && !a.Fresh && !b.Fresh && a.Path.Valid() && b.Path.Valid() && !a.Path.Elem && !b.Path.Elem &&
				!m.lockedInSomeView(a, b) {
				// Only a write in the goroutine counts: a goroutine that
				// reads what the API writes is usually configured before
				// it starts.
				h.mu.Unlock()
				par = m.ParallelWithAPI(a, b)
				if par == nil && b.Write {
					if par = m.ParallelWithAPI(b, a); par != nil {
						par.A, par.B = par.B, par.A
					}
				}
				h.mu.Lock()
			}
			if par == nil && api && !a.Fresh && !b.Fresh && handlers {
				// HTTP handlers run in many goroutines even when the
				// package starts none: the common frame does not order them.
				h.mu.Unlock()
				par = m.ParallelWithHandlers(a, b)
				if par == nil && b.Write {
					if par = m.ParallelWithHandlers(b, a); par != nil {
						par.A, par.B = par.B, par.A
						par.EntryA, par.EntryB = par.EntryB, par.EntryA
					}
				}
				h.mu.Lock()
			}
			if par != nil {
				out = append(out, Race{A: a, B: b, Why: par})
			}
		}
	}
	return out
}

// SharedLoopVars returns the variables declared by for and range statements
// (with :=) in files whose Go version is older than 1.22, where one
// variable is shared by every iteration.
func (m *Model) SharedLoopVars() map[*types.Var]bool {
	info := m.Info
	out := make(map[*types.Var]bool)
	for _, f := range m.Files {
		if !OldLoopSemantics(info, f) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.RangeStmt:
				if n.Tok == token.DEFINE {
					for _, e := range []ast.Expr{n.Key, n.Value} {
						if id, ok := e.(*ast.Ident); ok {
							if v, ok := info.Defs[id].(*types.Var); ok {
								out[v] = true
							}
						}
					}
				}
			case *ast.ForStmt:
				if as, ok := n.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
					for _, e := range as.Lhs {
						if id, ok := e.(*ast.Ident); ok {
							if v, ok := info.Defs[id].(*types.Var); ok {
								out[v] = true
							}
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// OldLoopSemantics reports whether file f is compiled with a Go version
// older than 1.22 (one loop variable for all iterations). An unknown
// version counts as new.
func OldLoopSemantics(info *types.Info, f *ast.File) bool {
	v := info.FileVersions[f]
	if v == "" {
		return false
	}
	return versionLess(v, "go1.22")
}

// versionLess compares Go versions of the form go1.N[.P].
func versionLess(a, b string) bool {
	var am, an, bm, bn int
	fmt.Sscanf(a, "go%d.%d", &am, &an)
	fmt.Sscanf(b, "go%d.%d", &bm, &bn)
	if am != bm {
		return am < bm
	}
	return an < bn
}
