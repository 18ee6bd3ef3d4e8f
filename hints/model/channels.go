package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"sync"

	"golang.org/x/tools/go/ssa"
)

// Chan is one channel made by make(chan ...) in a function of the package,
// with every operation on it that the model can see. The channel value is
// followed from its make site through local variables, closures (and how
// each closure is run: called, deferred, started as a goroutine), calls of
// package functions, conversions and phis. Anything else it flows into (a
// struct field, a package variable, a map, another channel, an interface, a
// function of another package, a return) makes the other end unknown:
// Escape says where, and checks stay silent about the channel.
//
// Every call of the making function makes a new channel, so the uses are
// those of one instance: the goroutines in Ctxs are relative to one run of
// Func.
type Chan struct {
	Make *Op   // the OpMakeChan
	Func *Func // the function that makes it
	Cap  int64 // capacity, or -1 when not a constant
	Uses []*ChanUse
	// Ctxs lists the goroutines that can use the channel: Ctxs[0] is the
	// goroutine running Func, the others are started from it (directly or
	// through calls and closures).
	Ctxs []*ChanCtx
	// Escape is set when the channel reaches code the model cannot follow.
	Escape *Escape
	// Values lists the SSA values that hold the channel (never nil).
	Values map[ssa.Value]bool
	// Origin is the instruction of Func that creates the instance: the
	// make itself, or the call that returns the channel made below it.
	Origin ssa.Instruction
	// Derived lists the instances of a returned channel, one per static
	// call of Func (this Chan itself then escapes: "returned").
	Derived []*Chan

	originVia []ssa.Instruction // calls from Func down to the make
	returned  bool
	returnPos token.Pos
}

// Escape says where and how a channel leaves what the model can follow.
type Escape struct {
	Pos token.Pos
	Why string
}

// ChanCtx is a goroutine in which a channel is used.
type ChanCtx struct {
	// Spawn is the go statement (or errgroup/WaitGroup Go call) that
	// starts the goroutine; nil for the goroutine running the maker.
	Spawn  *Op
	Parent *ChanCtx
	// Root is the function the goroutine starts in: Chan.Func for the
	// maker's goroutine, the spawned function otherwise.
	Root *Func
	// Via lists the calls in Parent.Root and below that lead to Spawn, the
	// spawn instruction last; Via[0] is in Parent.Root.
	Via []ssa.Instruction
	// Many is set when several instances of the goroutine can run for one
	// channel: the spawn (or a call leading to it) is in a loop.
	Many bool
}

// Anchor returns the instruction of ancestor a's Root through which c is
// started (or c's own spawn when a is its parent); nil when a is not an
// ancestor of c.
func (c *ChanCtx) Anchor(a *ChanCtx) ssa.Instruction {
	for x := c; x != nil; x = x.Parent {
		if x.Parent == a && len(x.Via) > 0 {
			return x.Via[0]
		}
	}
	return nil
}

// ManyBelow reports whether several instances of c can run for one run of
// its ancestor a (c or a context between them is Many).
func (c *ChanCtx) ManyBelow(a *ChanCtx) bool {
	for x := c; x != nil && x != a; x = x.Parent {
		if x.Many {
			return true
		}
	}
	return false
}

// Descends reports whether c is a or starts (transitively) from a.
func (c *ChanCtx) Descends(a *ChanCtx) bool {
	for x := c; x != nil; x = x.Parent {
		if x == a {
			return true
		}
	}
	return false
}

// ChanUse is one operation on a channel in one goroutine.
type ChanUse struct {
	Op  *Op // OpSend, OpRecv, OpRange or OpClose (select cases included)
	Ctx *ChanCtx
	// Via lists the calls from Ctx.Root down to the function holding Op;
	// empty when Op is in Ctx.Root.
	Via []ssa.Instruction
	// Deferred is set when the operation runs as a function returns (a
	// deferred call in Via, or a deferred close).
	Deferred bool
}

// Anchor returns the instruction of Ctx.Root through which the use happens:
// the operation itself or the call that leads to it.
func (u *ChanUse) Anchor() ssa.Instruction {
	if len(u.Via) > 0 {
		return u.Via[0]
	}
	return u.Op.Instr
}

// Blocking reports whether the use is a plain send, receive or range (not
// a select case, which can be left by another case).
func (u *ChanUse) Blocking() bool {
	return u.Op.Select == nil && (u.Op.Kind == OpSend || u.Op.Kind == OpRecv || u.Op.Kind == OpRange)
}

// IsRecv reports whether the use receives (plainly, by range or in a select).
func (u *ChanUse) IsRecv() bool { return u.Op.Kind == OpRecv || u.Op.Kind == OpRange }

// Name names the channel as its frame spells it: the variable the make is
// assigned to. A channel returned by the function that makes it is named,
// where its caller uses it, by the maker's variable and the maker: "out
// (made in words)". The caller's variable may name something else entirely
// (err := <-s.Go()).
func (c *Chan) Name() string {
	own := c.Make.Path.Name()
	if o := c.Make.Object; o != nil && o.Name != "" {
		own = o.Name
	}
	if c.Origin == c.Make.Instr {
		return own
	}
	if fn := c.Make.Func; fn != nil && token.IsIdentifier(own) {
		return own + " (made in " + fn.DisplayName() + ")"
	}
	if call, ok := c.Origin.(*ssa.Call); ok {
		if callee := call.Call.StaticCallee(); callee != nil {
			return "the channel from " + callee.Name() + "()"
		}
	}
	return own
}

// ChanOf returns the channel made by op (an OpMakeChan), or nil.
func (m *Model) ChanOf(op *Op) *Chan { return m.chanOf[op] }

// maxChanWork bounds the values followed per channel.
const maxChanWork = 400

type chanItem struct {
	v        ssa.Value // a channel value, or a cell holding one (cell set)
	cell     bool
	ctx      *ChanCtx
	via      []ssa.Instruction
	deferred bool
}

type chanTracer struct {
	m     *Model
	c     *Chan
	byIns map[ssa.Instruction][]*Op
	work  []chanItem
	seen  map[chanSeenKey]bool
	n     int
	ctxs  map[ctxKey]*ChanCtx
}

type chanSeenKey struct {
	v        ssa.Value
	ctx      *ChanCtx
	anchor   ssa.Instruction
	deferred bool
}

type ctxKey struct {
	parent *ChanCtx
	spawn  *Op
	anchor ssa.Instruction
}

// collectChans traces every channel made in the package.
func (m *Model) collectChans() {
	m.chanOf = make(map[*Op]*Chan)
	byIns := make(map[ssa.Instruction][]*Op)
	for _, op := range m.Ops {
		byIns[op.Instr] = append(byIns[op.Instr], op)
	}
	for _, op := range m.Ops {
		if op.Kind != OpMakeChan {
			continue
		}
		c := m.traceChan(byIns, op, op.Func, nil)
		m.Chans = append(m.Chans, c)
		m.chanOf[op] = c
		m.deriveChans(byIns, c, 0)
	}
}

// maxReturnDepth bounds how far a returned channel is followed up callers.
const maxReturnDepth = 3

// deriveChans follows a channel that its function returns into each
// static caller: every call makes a new instance, used by the callee (up
// to its return) and by that caller. The instance is a Chan of its own,
// whose Func is the caller and Origin the call.
func (m *Model) deriveChans(byIns map[ssa.Instruction][]*Op, c *Chan, depth int) {
	if !c.returned || depth >= maxReturnDepth {
		return
	}
	for _, cs := range c.Func.CalledFrom {
		call, ok := cs.Instr.(*ssa.Call)
		if !ok || cs.Caller == c.Func {
			continue
		}
		d := m.traceChan(byIns, c.Make, cs.Caller, appendVia([]ssa.Instruction{call}, c.originVia...))
		c.Derived = append(c.Derived, d)
		m.Chans = append(m.Chans, d)
		m.deriveChans(byIns, d, depth+1)
	}
}

// traceChan follows the channel made by op in an instance living in
// frame: the making function itself (via nil), or a caller whose calls via
// lead down to the making function.
func (m *Model) traceChan(byIns map[ssa.Instruction][]*Op, op *Op, frame *Func, via []ssa.Instruction) *Chan {
	c := &Chan{Make: op, Func: frame, Cap: op.Cap, Origin: op.Instr, Values: make(map[ssa.Value]bool), originVia: via}
	if len(via) > 0 {
		c.Origin = via[0]
	}
	c.Ctxs = []*ChanCtx{{Root: frame}}
	t := &chanTracer{m: m, c: c, byIns: byIns, seen: make(map[chanSeenKey]bool), ctxs: make(map[ctxKey]*ChanCtx)}
	t.push(chanItem{v: op.Instr.(*ssa.MakeChan), ctx: c.Ctxs[0], via: via})
	for len(t.work) > 0 && c.Escape == nil {
		it := t.work[len(t.work)-1]
		t.work = t.work[:len(t.work)-1]
		if it.cell {
			t.cell(it)
		} else {
			t.value(it)
		}
	}
	if c.Escape == nil && c.returned {
		c.Escape = &Escape{Pos: c.returnPos, Why: "returned"}
	}
	if c.Escape != nil {
		c.Uses = nil
	}
	return c
}

func (t *chanTracer) push(it chanItem) {
	var anchor ssa.Instruction
	if len(it.via) > 0 {
		anchor = it.via[0]
	}
	k := chanSeenKey{it.v, it.ctx, anchor, it.deferred}
	if t.seen[k] {
		return
	}
	t.seen[k] = true
	t.n++
	if t.n > maxChanWork {
		t.escape(it.v.Pos(), "too many uses to follow")
		return
	}
	t.work = append(t.work, it)
}

func (t *chanTracer) escape(pos token.Pos, why string) {
	if t.c.Escape == nil {
		if !pos.IsValid() {
			pos = t.c.Make.Pos
		}
		t.c.Escape = &Escape{Pos: pos, Why: why}
	}
}

func (t *chanTracer) use(op *Op, it chanItem) {
	u := &ChanUse{Op: op, Ctx: it.ctx, Via: it.via, Deferred: it.deferred}
	if op.Kind == OpClose && op.Deferred {
		u.Deferred = true
	}
	t.c.Uses = append(t.c.Uses, u)
}

func (t *chanTracer) opAt(in ssa.Instruction, kind OpKind) *Op {
	for _, op := range t.byIns[in] {
		if op.Kind == kind && op.Select == nil {
			return op
		}
	}
	return nil
}

// value follows a channel value to its uses.
func (t *chanTracer) value(it chanItem) {
	v := it.v
	t.c.Values[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if t.c.Escape != nil {
			return
		}
		switch r := r.(type) {
		case *ssa.DebugRef, *ssa.BinOp:
		case *ssa.Send:
			if r.X == v {
				t.escape(r.Pos(), "sent over a channel")
			} else if op := t.opAt(r, OpSend); op != nil {
				t.use(op, it)
			}
		case *ssa.UnOp:
			if r.Op != token.ARROW {
				t.escape(r.Pos(), "used in an expression")
				continue
			}
			for _, op := range t.byIns[r] {
				if op.Kind == OpRecv || op.Kind == OpRange {
					t.use(op, it)
				}
			}
		case *ssa.Select:
			for _, op := range t.byIns[r] {
				if op.Case >= 0 && op.Case < len(r.States) && r.States[op.Case].Chan == v {
					t.use(op, it)
				}
			}
			for _, st := range r.States {
				if st.Send == v {
					t.escape(r.Pos(), "sent over a channel")
				}
			}
		case *ssa.Store:
			if r.Val != v {
				t.escape(r.Pos(), "address taken")
				continue
			}
			if a, ok := r.Addr.(*ssa.Alloc); ok && isChanCell(a) {
				t.push(chanItem{v: a, cell: true, ctx: it.ctx, via: it.via, deferred: it.deferred})
				continue
			}
			t.escape(r.Pos(), "stored")
		case ssa.CallInstruction:
			t.call(r, v, it)
		case *ssa.Phi:
			if !t.samePhi(r, v) {
				t.escape(r.Pos(), "merged with another channel")
				continue
			}
			t.push(chanItem{v: r, ctx: it.ctx, via: it.via, deferred: it.deferred})
		case *ssa.ChangeType:
			t.push(chanItem{v: r, ctx: it.ctx, via: it.via, deferred: it.deferred})
		case *ssa.Convert:
			t.push(chanItem{v: r, ctx: it.ctx, via: it.via, deferred: it.deferred})
		case *ssa.Return:
			t.ret(r, v, it)
		case *ssa.MakeInterface:
			t.escape(r.Pos(), "converted to an interface")
		default:
			t.escape(r.Pos(), "stored or passed on")
		}
	}
}

// ret follows the channel out of a return: to the result of the call
// that led to the returning function, or, from the instance's frame, to
// its callers (see deriveChans).
func (t *chanTracer) ret(r *ssa.Return, v ssa.Value, it chanItem) {
	idx := -1
	for i, res := range r.Results {
		if res == v {
			idx = i
		}
	}
	if idx < 0 {
		t.escape(r.Pos(), "returned")
		return
	}
	if n := len(it.via); n > 0 {
		call, ok := it.via[n-1].(*ssa.Call)
		if !ok {
			return // a deferred or go call: the result is dropped
		}
		var res ssa.Value = call
		if len(r.Results) > 1 {
			res = nil
			if refs := call.Referrers(); refs != nil {
				for _, x := range *refs {
					if e, ok := x.(*ssa.Extract); ok && e.Index == idx {
						res = e
					}
				}
			}
			if res == nil {
				return // the result is not used
			}
		}
		t.push(chanItem{v: res, ctx: it.ctx, via: it.via[:n-1], deferred: it.deferred})
		return
	}
	if it.ctx.Spawn != nil {
		return // a goroutine's results are dropped
	}
	t.c.returned = true
	if !t.c.returnPos.IsValid() {
		t.c.returnPos = r.Pos()
	}
}

// isChanCell reports whether a is a local variable holding a channel.
func isChanCell(a *ssa.Alloc) bool {
	_, ok := deref(a.Type()).Underlying().(*types.Chan)
	return ok
}

// samePhi reports whether every edge of phi is v, phi itself or nil.
func (t *chanTracer) samePhi(phi *ssa.Phi, v ssa.Value) bool {
	for _, e := range phi.Edges {
		if e == v || e == phi {
			continue
		}
		if c, ok := e.(*ssa.Const); ok && c.IsNil() {
			return false // a nil channel blocks forever: a different object
		}
		return false
	}
	return true
}

// call follows the channel into a call.
func (t *chanTracer) call(r ssa.CallInstruction, v ssa.Value, it chanItem) {
	c := r.Common()
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			if op := t.opAt(r, OpClose); op != nil {
				t.use(op, it)
			}
		case "len", "cap":
		default:
			t.escape(r.Pos(), "passed to "+b.Name())
		}
		return
	}
	callee := t.m.staticCallee(c)
	if callee == nil || c.Value == v {
		t.escape(r.Pos(), "passed to a function of another package or a function value")
		return
	}
	params := callee.SSA.Params
	for i, a := range c.Args {
		if a != v {
			continue
		}
		if i >= len(params) || callee.SSA.Signature.Variadic() && i == len(params)-1 {
			t.escape(r.Pos(), "passed in a variadic call")
			return
		}
		t.enter(r, params[i], false, it)
	}
}

// enter continues with value p (a parameter or free variable of the
// function called by r) in the context r runs it.
func (t *chanTracer) enter(r ssa.Instruction, p ssa.Value, cell bool, it chanItem) {
	switch r := r.(type) {
	case *ssa.Go:
		ctx := t.ctx(it, t.goOp(r), r)
		if ctx == nil {
			return
		}
		t.push(chanItem{v: p, cell: cell, ctx: ctx})
	case *ssa.Defer:
		t.push(chanItem{v: p, cell: cell, ctx: it.ctx, via: appendVia(it.via, r), deferred: true})
	default:
		t.push(chanItem{v: p, cell: cell, ctx: it.ctx, via: appendVia(it.via, r), deferred: it.deferred})
	}
}

func appendVia(via []ssa.Instruction, in ...ssa.Instruction) []ssa.Instruction {
	out := make([]ssa.Instruction, len(via), len(via)+len(in))
	copy(out, via)
	return append(out, in...)
}

func (t *chanTracer) goOp(in ssa.Instruction) *Op {
	for _, op := range t.byIns[in] {
		if op.Goroutine != nil {
			return op
		}
	}
	return nil
}

// ctx returns the goroutine started by spawn (at instruction in, reached
// through it.via in it.ctx).
func (t *chanTracer) ctx(it chanItem, spawn *Op, in ssa.Instruction) *ChanCtx {
	if spawn == nil || spawn.Target == nil {
		t.escape(in.Pos(), "started as a goroutine the model does not know")
		return nil
	}
	via := appendVia(it.via, in)
	k := ctxKey{parent: it.ctx, spawn: spawn, anchor: via[0]}
	if c := t.ctxs[k]; c != nil {
		return c
	}
	// Several instances per channel: a call or spawn in a loop, unless the
	// loop also makes the channel anew (one goroutine per channel).
	many := false
	for _, x := range via {
		if !inLoop(x.Block()) {
			continue
		}
		if x.Parent() != t.c.Func.SSA {
			many = true
			continue
		}
		for _, l := range t.m.Loops(x.Parent()) {
			if l.Blocks[x.Block()] && !l.Blocks[t.c.Origin.Block()] {
				many = true
			}
		}
	}
	c := &ChanCtx{Spawn: spawn, Parent: it.ctx, Root: spawn.Target, Via: via, Many: many}
	t.ctxs[k] = c
	t.c.Ctxs = append(t.c.Ctxs, c)
	return c
}

// cell follows a local variable holding the channel (an Alloc, or a free
// variable bound to one).
func (t *chanTracer) cell(it chanItem) {
	a := it.v
	if alloc, ok := a.(*ssa.Alloc); ok {
		// Every store must put this channel there.
		if refs := alloc.Referrers(); refs != nil {
			stores := 0
			for _, r := range *refs {
				if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
					stores++
				}
			}
			if stores != 1 {
				t.escape(alloc.Pos(), "assigned more than once")
				return
			}
		}
	}
	refs := a.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if t.c.Escape != nil {
			return
		}
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != a {
				t.escape(r.Pos(), "address stored")
				continue
			}
			if _, ok := a.(*ssa.FreeVar); ok {
				t.escape(r.Pos(), "assigned in a closure")
			}
		case *ssa.UnOp:
			if r.Op == token.MUL && r.X == a {
				t.push(chanItem{v: r, ctx: it.ctx, via: it.via, deferred: it.deferred})
				continue
			}
			t.escape(r.Pos(), "address used")
		case *ssa.MakeClosure:
			fn := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == a && i < len(fn.FreeVars) {
					t.closure(r, fn.FreeVars[i], it)
				}
			}
		default:
			t.escape(r.Pos(), "address passed on")
		}
	}
}

// closure follows free variable fv of the closure made by mc into the
// places the closure runs.
func (t *chanTracer) closure(mc *ssa.MakeClosure, fv *ssa.FreeVar, it chanItem) {
	refs := mc.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if t.c.Escape != nil {
			return
		}
		switch r := r.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			c := r.Common()
			if c.Value == mc {
				t.enter(r, fv, true, it)
				continue
			}
			// A closure handed to errgroup.Group.Go or WaitGroup.Go runs
			// as a goroutine; to sync.Once.Do, in this one (or never).
			var handled bool
			for _, op := range t.byIns[r] {
				if op.Target == nil || op.Target.SSA != mc.Fn {
					continue
				}
				switch op.Kind {
				case OpGroupGo, OpWGGo:
					if ctx := t.ctx(it, op, r); ctx != nil {
						t.push(chanItem{v: fv, cell: true, ctx: ctx})
					}
					handled = true
				case OpOnceDo:
					t.push(chanItem{v: fv, cell: true, ctx: it.ctx, via: appendVia(it.via, r), deferred: it.deferred})
					handled = true
				}
			}
			if !handled {
				t.escape(r.Pos(), "closure passed to a function")
			}
		default:
			t.escape(r.Pos(), "closure stored or passed on")
		}
	}
}

// cfgCache holds control-flow facts computed on demand; checks and hovers
// may ask for them concurrently.
type cfgCache struct {
	mu      sync.Mutex
	loops   map[*ssa.Function][]*Loop         // natural loops
	tracked map[*ssa.Function]map[string]bool // branch conditions tested more than once
}

// Loop is a natural loop of a function: a header and the blocks that reach
// a back edge to it without passing through it.
type Loop struct {
	Header *ssa.BasicBlock
	Blocks map[*ssa.BasicBlock]bool
}

// Loops returns the natural loops of fn, innermost (smallest) first.
func (m *Model) Loops(fn *ssa.Function) []*Loop {
	m.cfg.mu.Lock()
	defer m.cfg.mu.Unlock()
	if ls, ok := m.cfg.loops[fn]; ok {
		return ls
	}
	byHeader := make(map[*ssa.BasicBlock]*Loop)
	var out []*Loop
	for _, b := range fn.Blocks {
		for _, s := range b.Succs {
			if !s.Dominates(b) {
				continue
			}
			l := byHeader[s]
			if l == nil {
				l = &Loop{Header: s, Blocks: map[*ssa.BasicBlock]bool{s: true}}
				byHeader[s] = l
				out = append(out, l)
			}
			work := []*ssa.BasicBlock{b}
			for len(work) > 0 {
				x := work[len(work)-1]
				work = work[:len(work)-1]
				if l.Blocks[x] {
					continue
				}
				l.Blocks[x] = true
				work = append(work, x.Preds...)
			}
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].Blocks) < len(out[j-1].Blocks); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if m.cfg.loops == nil {
		m.cfg.loops = make(map[*ssa.Function][]*Loop)
	}
	m.cfg.loops[fn] = out
	return out
}

// LoopOf returns the innermost loop of fn containing b, or nil.
func (m *Model) LoopOf(b *ssa.BasicBlock) *Loop {
	for _, l := range m.Loops(b.Parent()) {
		if l.Blocks[b] {
			return l
		}
	}
	return nil
}

// Edge is a control-flow edge.
type Edge struct{ From, To *ssa.BasicBlock }

// PathQuery asks for an execution path through one function.
type PathQuery struct {
	Fn *ssa.Function
	// The path starts just after Start, or by taking StartEdge, or at the
	// entry of Fn when both are unset.
	Start     ssa.Instruction
	StartEdge *Edge
	// A path that executes an instruction of Stop or takes an edge of
	// StopEdges is discarded.
	Stop      map[ssa.Instruction]bool
	StopEdges map[Edge]bool
	// A path ends at a normal return of Fn, or at an instruction of Until.
	Until map[ssa.Instruction]bool
	// Facts are branch conditions assumed to hold (see Facts); branches
	// contradicting them are not taken, and conditions tested twice are
	// taken the same way.
	Facts map[string]bool
}

// PathResult is a path found by FindPath.
type PathResult struct {
	End    ssa.Instruction // the Return or Until instruction reached
	Blocks []*ssa.BasicBlock
}

// maxPathStates bounds the work of one FindPath.
const maxPathStates = 20000

type pathState struct {
	b     *ssa.BasicBlock
	idx   int
	facts string
}

// FindPath looks for a path answering q. It reports false when there is
// none, or when the search is too large (an unknown answer).
func (m *Model) FindPath(q PathQuery) (PathResult, bool) {
	fn := q.Fn
	if len(fn.Blocks) == 0 {
		return PathResult{}, false
	}
	tracked := m.trackedConds(fn)
	start := pathState{b: fn.Blocks[0]}
	switch {
	case q.Start != nil:
		b := q.Start.Block()
		start.b = b
		for i, in := range b.Instrs {
			if in == q.Start {
				start.idx = i + 1
			}
		}
	case q.StartEdge != nil:
		start.b = q.StartEdge.To
	}
	facts := make(map[string]bool)
	for k, v := range q.Facts {
		facts[k] = v
	}
	start.facts = encodeFacts(facts)
	parent := map[pathState]pathState{start: {}}
	work := []pathState{start}
	n := 0
	for len(work) > 0 {
		st := work[0]
		work = work[1:]
		if n++; n > maxPathStates {
			return PathResult{}, false
		}
		b := st.b
		dead := false
		for i := st.idx; i < len(b.Instrs); i++ {
			in := b.Instrs[i]
			if q.Stop[in] {
				dead = true
				break
			}
			if q.Until[in] {
				return PathResult{End: in, Blocks: trail(parent, st)}, true
			}
			if _, ok := in.(*ssa.Return); ok && b != fn.Recover {
				return PathResult{End: in, Blocks: trail(parent, st)}, true
			}
		}
		if dead || len(b.Instrs) == 0 {
			continue
		}
		fs := decodeFacts(st.facts)
		next := func(s *ssa.BasicBlock, fs map[string]bool) {
			if q.StopEdges[Edge{b, s}] {
				return
			}
			ns := pathState{b: s, facts: encodeFacts(fs)}
			if _, seen := parent[ns]; seen {
				return
			}
			parent[ns] = st
			work = append(work, ns)
		}
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.If:
			k, neg, ok := m.factKey(last.Cond)
			if v, known := fs[k]; ok && known {
				next(b.Succs[boolIndex(v != neg)], fs)
				continue
			}
			if !ok || !tracked[k] {
				next(b.Succs[0], fs)
				next(b.Succs[1], fs)
				continue
			}
			for i, s := range b.Succs {
				nf := make(map[string]bool, len(fs)+1)
				for k2, v2 := range fs {
					nf[k2] = v2
				}
				nf[k] = (i == 0) != neg
				next(s, nf)
			}
		default:
			for _, s := range b.Succs {
				next(s, fs)
			}
		}
	}
	return PathResult{}, false
}

// boolIndex maps a branch outcome to the If successor: 0 for true.
func boolIndex(v bool) int {
	if v {
		return 0
	}
	return 1
}

func trail(parent map[pathState]pathState, st pathState) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	for x := st; x.b != nil; x = parent[x] {
		out = append(out, x.b)
		if len(out) > 10000 {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func encodeFacts(fs map[string]bool) string {
	if len(fs) == 0 {
		return ""
	}
	keys := make([]string, 0, len(fs))
	for k := range fs {
		keys = append(keys, k)
	}
	sortStrings(keys)
	var b []byte
	for _, k := range keys {
		if fs[k] {
			b = append(b, '+')
		} else {
			b = append(b, '-')
		}
		b = append(b, k...)
		b = append(b, 0)
	}
	return string(b)
}

func decodeFacts(s string) map[string]bool {
	fs := make(map[string]bool)
	for len(s) > 0 {
		v := s[0] == '+'
		s = s[1:]
		i := 0
		for i < len(s) && s[i] != 0 {
			i++
		}
		fs[s[:i]] = v
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return fs
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// trackedConds returns the condition keys tested by more than one If of
// fn: only those can correlate branches along a path.
func (m *Model) trackedConds(fn *ssa.Function) map[string]bool {
	m.cfg.mu.Lock()
	defer m.cfg.mu.Unlock()
	if t, ok := m.cfg.tracked[fn]; ok {
		return t
	}
	count := make(map[string]int)
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if k, _, ok := m.factKey(iff.Cond); ok {
				count[k]++
			}
		}
	}
	t := make(map[string]bool)
	for k, n := range count {
		if n > 1 {
			t[k] = true
		}
	}
	if m.cfg.tracked == nil {
		m.cfg.tracked = make(map[*ssa.Function]map[string]bool)
	}
	m.cfg.tracked[fn] = t
	return t
}

// factKey identifies a branch condition across the functions of one
// goroutine tree: loads are named by the path they read (a captured
// variable is the same in a closure and its parent), other values by their
// function and name. neg is set when v is the negation of the keyed value.
func (m *Model) factKey(v ssa.Value) (key string, neg bool, ok bool) {
	for {
		u, isNot := v.(*ssa.UnOp)
		if !isNot || u.Op != token.NOT {
			break
		}
		neg = !neg
		v = u.X
	}
	k := m.factLeaf(v, 0)
	if k == "" {
		return "", false, false
	}
	return k, neg, true
}

func (m *Model) factLeaf(v ssa.Value, depth int) string {
	if depth > 6 {
		return ""
	}
	switch v := v.(type) {
	case *ssa.BinOp:
		x, y := m.factLeaf(v.X, depth+1), m.factLeaf(v.Y, depth+1)
		if x == "" || y == "" {
			return ""
		}
		return v.Op.String() + "(" + x + "," + y + ")"
	case *ssa.Const:
		if v.Value == nil {
			return "nil"
		}
		return "const " + v.Value.ExactString()
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if p, ok := m.PathOf(v.X); ok {
				return "load " + string(p.Key())
			}
		}
	case *ssa.Parameter, *ssa.FreeVar:
		if p, ok := m.PathOf(v); ok {
			return "val " + string(p.Key())
		}
	}
	if v.Parent() == nil {
		return ""
	}
	return v.Parent().String() + "." + v.Name()
}

// NilFacts returns the branch facts that c's values in fn are not nil:
// "if done != nil" is always true when done is c.
func (m *Model) NilFacts(c *Chan, fn *ssa.Function) map[string]bool {
	facts := make(map[string]bool)
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		bin, ok := iff.Cond.(*ssa.BinOp)
		if !ok || bin.Op != token.EQL && bin.Op != token.NEQ {
			continue
		}
		x, y := bin.X, bin.Y
		if c.Values[y] {
			x, y = y, x
		}
		if k, isConst := y.(*ssa.Const); !c.Values[x] || !isConst || !k.IsNil() {
			continue
		}
		if key, neg, ok := m.factKey(bin); ok {
			facts[key] = (bin.Op == token.NEQ) != neg
		}
	}
	return facts
}

// Facts returns the branch conditions that hold whenever in runs: the
// conditions of the Ifs whose one edge dominates it, keyed as PathQuery
// expects.
func (m *Model) Facts(in ssa.Instruction) map[string]bool {
	facts := make(map[string]bool)
	for x := in.Block(); x != nil && x.Idom() != nil; x = x.Idom() {
		d := x.Idom()
		if len(d.Instrs) == 0 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || d.Succs[0] == d.Succs[1] {
			continue
		}
		k, neg, ok := m.factKey(iff.Cond)
		if !ok {
			continue
		}
		for i, s := range d.Succs {
			if len(s.Preds) == 1 && s.Dominates(x) {
				if _, dup := facts[k]; !dup {
					facts[k] = (i == 0) != neg
				}
			}
		}
	}
	return facts
}

// SelectCase returns the edge taken when select sel picks case i (i == -1:
// the default case of a non-blocking select).
func SelectCase(sel *ssa.Select, i int) (Edge, bool) {
	refs := sel.Referrers()
	if refs == nil {
		return Edge{}, false
	}
	for _, r := range *refs {
		ext, ok := r.(*ssa.Extract)
		if !ok || ext.Index != 0 {
			continue
		}
		erefs := ext.Referrers()
		if erefs == nil {
			continue
		}
		var last *ssa.If
		for _, er := range *erefs {
			bin, ok := er.(*ssa.BinOp)
			if !ok || bin.Op != token.EQL {
				continue
			}
			k, ok := bin.Y.(*ssa.Const)
			if !ok || k.Value == nil {
				continue
			}
			brefs := bin.Referrers()
			if brefs == nil {
				continue
			}
			for _, br := range *brefs {
				if iff, ok := br.(*ssa.If); ok {
					if int(k.Int64()) == i {
						return Edge{iff.Block(), iff.Block().Succs[0]}, true
					}
					if int(k.Int64()) == len(sel.States)-1 {
						last = iff
					}
				}
			}
		}
		if i == -1 && !sel.Blocking && last != nil {
			return Edge{last.Block(), last.Block().Succs[1]}, true
		}
	}
	if i == -1 && !sel.Blocking && len(sel.States) == 0 {
		return Edge{}, false
	}
	return Edge{}, false
}

// FuncName names a function as the source does: Fetch, Client.Get, or
// "the function literal at line N".
func (m *Model) FuncName(f *Func) string {
	fn := f.SSA
	if fn.Parent() != nil {
		return "the function literal at line " + strconv.Itoa(m.Position(fn.Pos()).Line)
	}
	if recv := fn.Signature.Recv(); recv != nil {
		if n := typeName(recv.Type()); n != "" {
			return n + "." + fn.Name()
		}
	}
	return fn.Name()
}

// ImplicitReturn reports whether in is the return of a path that falls off
// the end of its function (no return statement).
func ImplicitReturn(in ssa.Instruction) bool {
	_, ok := in.(*ssa.Return)
	return ok && !instrPos(in).IsValid()
}

// InstrPos returns a source position for in: its own, or for an implicit
// return, the closing brace of its function.
func InstrPos(in ssa.Instruction) token.Pos {
	if p := instrPos(in); p.IsValid() {
		return p
	}
	if _, ok := in.(*ssa.Return); ok {
		switch syn := in.Parent().Syntax().(type) {
		case *ast.FuncDecl:
			if syn.Body != nil {
				return syn.Body.Rbrace
			}
		case *ast.FuncLit:
			return syn.Body.Rbrace
		}
	}
	return token.NoPos
}
