package model

import (
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// computeLockStates runs the lock-set dataflow over every function, callees
// before callers, so that each call applies its callee's summary; then it
// computes the locks every caller holds on entry.
func (m *Model) computeLockStates() {
	order := m.bottomUp()
	for _, f := range order {
		m.analyzeLocks(f)
	}
	m.computeRequires(order)
}

// bottomUp orders functions so that callees come before callers (Tarjan's
// SCC order over static, non-go calls). Within a cycle the order is
// arbitrary, and a call to a function not yet summarised has no effect.
func (m *Model) bottomUp() []*Func {
	index := make(map[*Func]int)
	low := make(map[*Func]int)
	onStack := make(map[*Func]bool)
	var stack, order []*Func
	next := 0
	var visit func(f *Func)
	visit = func(f *Func) {
		index[f], low[f] = next, next
		next++
		stack = append(stack, f)
		onStack[f] = true
		for _, g := range m.lockDeps(f) {
			if _, seen := index[g]; !seen {
				visit(g)
				low[f] = min(low[f], low[g])
			} else if onStack[g] {
				low[f] = min(low[f], index[g])
			}
		}
		if low[f] == index[f] {
			for {
				g := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[g] = false
				order = append(order, g)
				if g == f {
					break
				}
			}
		}
	}
	for _, f := range m.Funcs {
		if _, seen := index[f]; !seen {
			visit(f)
		}
	}
	return order
}

// lockDeps lists the functions whose summaries f's analysis reads: its
// static callees (not goroutines), the functions it passes to them (which
// may call them back), and its closures.
func (m *Model) lockDeps(f *Func) []*Func {
	var out []*Func
	for _, cs := range f.Calls {
		if cs.Go {
			continue
		}
		out = append(out, cs.Callee)
		for _, a := range cs.Args() {
			if g := m.targetOf(a, nil); g != nil {
				out = append(out, g)
			}
		}
	}
	for _, anon := range f.SSA.AnonFuncs {
		if g := m.funcs[anon]; g != nil {
			out = append(out, g)
		}
	}
	return out
}

// flow holds the per-function working state of the lock analysis.
type flow struct {
	m     *Model
	f     *Func
	ops   map[ssa.Instruction][]*Op
	calls map[ssa.Instruction][]*CallSite // several for a dynamic call
	tries map[ssa.Value]*Op               // TryLock calls, acquiring on their true edge

	keys       keyCache
	conds      map[*ssa.If]condKey
	tracked    map[condKey]bool // conditions tested by more than one If
	record     bool             // final pass: record states, conflicts, edges, summary
	acquires   []*Acquire
	paramCalls []*ParamCall
	steps      map[ssa.Instruction][]*Acquire
	exits      []*Exit
	exitMust   []map[Key]*Held
	exitRel    []map[Key]Path
	returns    []*ssa.BasicBlock
}

func (m *Model) analyzeLocks(f *Func) {
	fn := f.SSA
	if lockFree(f) {
		// Nothing here takes or releases a lock, directly or through
		// calls: no states to compute. Record the reachable returns.
		for _, b := range reversePostorder(fn) {
			if b != fn.Recover && len(b.Instrs) > 0 {
				if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
					f.Exits = append(f.Exits, &Exit{Return: r})
				}
			}
		}
		f.Summary = Summary{done: true}
		return
	}
	fl := &flow{
		m: m, f: f,
		ops:   make(map[ssa.Instruction][]*Op),
		calls: make(map[ssa.Instruction][]*CallSite),
		tries: make(map[ssa.Value]*Op),
		keys:  make(keyCache),
		conds: make(map[*ssa.If]condKey),
	}
	count := make(map[condKey]int)
	for _, b := range fn.Blocks {
		if n := len(b.Instrs); n > 0 {
			if iff, ok := b.Instrs[n-1].(*ssa.If); ok {
				k := m.condKey(iff.Cond)
				fl.conds[iff] = k
				count[k]++
			}
		}
	}
	fl.tracked = make(map[condKey]bool)
	for k, n := range count {
		if n > 1 {
			fl.tracked[k] = true
		}
	}
	for _, op := range f.Ops {
		fl.ops[op.Instr] = append(fl.ops[op.Instr], op)
		if op.Kind == OpTryLock || op.Kind == OpTryRLock {
			if v, ok := op.Instr.(ssa.Value); ok {
				fl.tries[v] = op
			}
		}
	}
	for _, cs := range f.Calls {
		fl.calls[cs.Instr] = append(fl.calls[cs.Instr], cs)
	}
	for _, b := range fn.Blocks {
		if b != fn.Recover && len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				fl.returns = append(fl.returns, b)
			}
		}
	}

	order := reversePostorder(fn)
	in := make([]*lockState, len(fn.Blocks))
	out := make([]*lockState, len(fn.Blocks))
	for iter := 0; iter < 50; iter++ {
		changed := false
		for _, b := range order {
			st := fl.entryState(b, out)
			if st == nil {
				continue
			}
			in[b.Index] = st
			o := fl.transfer(b, st)
			if out[b.Index] == nil || !o.equal(out[b.Index]) {
				out[b.Index] = o
				changed = true
			}
		}
		if !changed {
			break
		}
	}

	fl.record = true
	fl.steps = make(map[ssa.Instruction][]*Acquire)
	f.states = make(map[ssa.Instruction]*lockState)
	for _, b := range order {
		if in[b.Index] != nil {
			fl.transfer(b, in[b.Index])
		}
	}
	fl.summarize()
}

// lockFree reports whether f neither takes nor releases a lock, directly,
// through the functions it calls, or through a callback it calls.
func lockFree(f *Func) bool {
	for _, op := range f.Ops {
		if op.Kind.Acquires() || op.Kind.Releases() {
			return false
		}
	}
	for _, cs := range f.Calls {
		sum := &cs.Callee.Summary
		if !sum.done || len(sum.Acquires)+len(sum.Returns)+len(sum.Releases)+len(sum.ParamCalls) > 0 {
			return false
		}
	}
	for _, b := range f.SSA.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok && !c.Call.IsInvoke() && paramIndex(f.SSA, c.Call.Value) >= 0 {
				return false // a callback its callers may run under a lock
			}
		}
	}
	return true
}

// entryState is the meet of the states on the edges into b.
func (fl *flow) entryState(b *ssa.BasicBlock, out []*lockState) *lockState {
	if b.Index == 0 || b == fl.f.SSA.Recover {
		return newLockState()
	}
	ins := make([]*lockState, len(b.Preds))
	for i, p := range b.Preds {
		if out[p.Index] != nil {
			ins[i] = fl.edge(p, b, out[p.Index])
		}
	}
	return fl.meet(b, ins)
}

// edge applies what is learnt by taking the edge p→b: the branch condition's
// value, a successful TryLock, and guarded locks becoming certain or gone.
func (fl *flow) edge(p, b *ssa.BasicBlock, s *lockState) *lockState {
	if len(p.Instrs) == 0 {
		return s
	}
	iff, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok || p.Succs[0] == p.Succs[1] {
		return s
	}
	val := p.Succs[0] == b
	cond := fl.conds[iff]
	try := fl.tries[iff.Cond]
	if !fl.tracked[cond] && (try == nil || !val) {
		// Only a condition tested again can tell paths apart later; a
		// guard may still resolve here.
		resolves := false
		for _, hs := range s.may {
			if len(hs) > 0 && hs[0].guard != nil && hs[0].guard.cond == cond {
				resolves = true
				break
			}
		}
		if !resolves {
			return s
		}
	}
	s = s.clone()
	if fl.tracked[cond] {
		s.facts[cond] = val
	}
	if try != nil && val && try.Path.Valid() {
		s.acquire(&Held{Path: try.Path, Read: try.Kind == OpTryRLock, Site: try}, fl.keys.key(try.Path))
	}
	for k, hs := range s.may {
		if len(hs) == 0 || hs[0].guard == nil || hs[0].guard.cond != cond {
			continue
		}
		if hs[0].guard.val == val {
			h := *hs[0]
			h.guard = nil
			s.must[k] = &h
			s.may[k] = []*Held{&h}
		} else {
			delete(s.may, k)
		}
	}
	return s
}

// transfer runs the instructions of b from state s (which it never
// modifies: states are copied on write, so recorded states can be shared).
func (fl *flow) transfer(b *ssa.BasicBlock, s *lockState) *lockState {
	for _, in := range b.Instrs {
		if fl.record {
			fl.f.states[in] = s
			for _, op := range fl.ops[in] {
				op.Held = s.heldList()
			}
			for _, cs := range fl.calls[in] {
				cs.Held = s.heldList()
			}
		}
		switch in := in.(type) {
		case *ssa.Call:
			for _, op := range fl.ops[in] {
				s = fl.lockOp(op, s)
			}
			for _, cs := range fl.calls[in] {
				// Alternatives (Alts > 1) only record what they may
				// acquire and leave the state as it is.
				s = fl.applyCall(cs, s)
			}
			if fl.record && !in.Call.IsInvoke() {
				if i := paramIndex(fl.f.SSA, in.Call.Value); i >= 0 {
					fl.paramCalls = append(fl.paramCalls, &ParamCall{Param: i, Held: s.heldList(), Func: fl.f, Instr: in})
				}
			}
		case *ssa.Defer:
			for _, op := range fl.ops[in] {
				if op.Kind.Releases() && op.Path.Valid() {
					s = s.clone()
					s.deferred[fl.keys.key(op.Path)] = op.Path
				}
				if (op.Kind == OpLock || op.Kind == OpRLock) && op.Path.Valid() {
					if _, dropped := s.relEntry[fl.keys.key(op.Path)]; dropped {
						// RUnlock(); defer RLock(): the caller's lock is
						// taken again on the way out.
						s = s.clone()
						s.retake[fl.keys.key(op.Path)] = true
					}
				}
			}
			for _, cs := range fl.calls[in] {
				if !cs.Certain() {
					continue
				}
				for _, p := range cs.Callee.Summary.Releases {
					if mp, ok := fl.m.substitute(p, cs); ok {
						s = s.clone()
						s.deferred[fl.keys.key(mp)] = mp
					}
				}
			}
		case *ssa.Return:
			if fl.record && b != fl.f.SSA.Recover {
				fl.exit(in, s)
			}
		}
	}
	return s
}

// lockOp applies a Lock or Unlock call.
func (fl *flow) lockOp(op *Op, s *lockState) *lockState {
	if !op.Path.Valid() {
		return s
	}
	switch op.Kind {
	case OpLock, OpRLock:
		read := op.Kind == OpRLock
		if fl.record {
			_, dropped := s.relEntry[fl.keys.key(op.Path)]
			fl.noteAcquire(op.Instr, s.must, s.may, &Acquire{
				Path: op.Path, Read: read, Lock: op, Always: fl.dominatesReturns(op.Instr.Block()),
				Conds: paramConds(op.Instr.Block()), Guarded: stateGuarded(op.Instr.Block()), Dropped: dropped,
			}, op.Pos, true)
		}
		s = s.clone()
		s.acquire(&Held{Path: op.Path, Read: read, Site: op}, fl.keys.key(op.Path))
	case OpUnlock, OpRUnlock:
		s = s.clone()
		s.release(op.Path, fl.keys.key(op.Path))
	}
	return s
}

// applyCall applies the summary of an in-package callee.
func (fl *flow) applyCall(cs *CallSite, s *lockState) *lockState {
	sum := &cs.Callee.Summary
	if !sum.done {
		return s // recursion: not summarised yet
	}
	if fl.record {
		always := fl.dominatesReturns(cs.Instr.Block())
		here := paramConds(cs.Instr.Block())
		guardedHere := stateGuarded(cs.Instr.Block())
		for _, a := range sum.Acquires {
			mp, ok := fl.m.substitute(a.Path, cs)
			if !ok {
				continue
			}
			conds, unresolved, feasible := translateConds(a.Conds, cs, here)
			// A dynamic call that may run other functions takes the lock
			// only when it runs this one: as uncertain as a state test.
			unresolved = unresolved || !cs.Certain()
			if !feasible {
				continue // if !locked { mu.Lock() }, called with locked == true
			}
			_, dropped := s.relEntry[fl.keys.key(mp)]
			n := len(fl.acquires)
			fl.noteAcquire(cs.Instr, s.must, s.may, &Acquire{
				Path: mp, Read: a.Read, Lock: a.Lock, Chain: append([]*CallSite{cs}, a.Chain...),
				Always: always && a.Always, Callback: a.Callback, Conds: conds,
				Guarded: a.Guarded || unresolved, Dropped: a.Dropped || dropped,
			}, cs.Pos, a.Always && !a.Guarded && len(a.Conds) == 0)
			if guardedHere && len(fl.acquires) > n {
				// Callers see the acquisition as guarded by this
				// function's test too; the conflict here does not.
				fl.acquires[n].Guarded = true
			}
		}
		for _, pc := range sum.ParamCalls {
			fl.applyParamCall(cs, pc, s)
		}
	}
	if !cs.Certain() {
		return s // locks handed over only by some of the possible callees
	}
	for _, h := range sum.Returns {
		mp, ok := fl.m.substitute(h.Path, cs)
		if !ok {
			continue
		}
		s = s.clone()
		s.acquire(&Held{Path: mp, Read: h.Read, Site: h.Site, Via: append([]*CallSite{cs}, h.Via...)}, fl.keys.key(mp))
	}
	for _, p := range sum.Releases {
		if mp, ok := fl.m.substitute(p, cs); ok {
			s = s.clone()
			s.release(mp, fl.keys.key(mp))
		}
	}
	return s
}

// applyParamCall applies, at call site cs, a callee's call of its
// function-typed parameter: the callback passed there runs with the
// callee's locks (and the caller's) held. A callback that is itself a
// parameter of the caller makes a ParamCall of the caller.
func (fl *flow) applyParamCall(cs *CallSite, pc *ParamCall, s *lockState) {
	args := cs.Args()
	if pc.Param >= len(args) {
		return
	}
	held := make(map[Key]*Held, len(s.must)+len(pc.Held))
	for k, h := range s.must {
		held[k] = h
	}
	for _, h := range pc.Held {
		mp, ok := fl.m.substitute(h.Path, cs)
		if !ok {
			continue
		}
		if _, dup := held[fl.keys.key(mp)]; dup {
			continue
		}
		c := *h
		c.Path, c.guard = mp, nil
		c.Via = append([]*CallSite{cs}, h.Via...)
		held[fl.keys.key(mp)] = &c
	}
	chain := append([]*CallSite{cs}, pc.Chain...)
	arg := args[pc.Param]
	if i := paramIndex(fl.f.SSA, arg); i >= 0 {
		list := make([]*Held, 0, len(held))
		for _, h := range held {
			list = append(list, h)
		}
		sortHeld(list)
		fl.paramCalls = append(fl.paramCalls, &ParamCall{Param: i, Held: list, Func: pc.Func, Instr: pc.Instr, Chain: chain})
		return
	}
	target := fl.m.targetOf(arg, nil)
	if target == nil || !target.Summary.done {
		return
	}
	call := &CallSite{Caller: pc.Func, Callee: target, Instr: pc.Instr, Pos: instrPos(pc.Instr)}
	for _, a := range target.Summary.Acquires {
		full := append(append(append([]*CallSite(nil), chain...), call), a.Chain...)
		if !fl.visible(a.Path, target) {
			// A lock reached from the callback's own parameters (an
			// element the helper passes it): no instance in this frame,
			// but its order after the locks held is known.
			for _, h := range sortedHeld(held) {
				fl.m.LockEdges = append(fl.m.LockEdges, &LockEdge{From: h, To: a.Path, ToOp: a.Lock, Chain: full, Func: fl.f, Pos: cs.Pos, Read: a.Read, Guarded: a.Guarded})
			}
			continue
		}
		fl.noteAcquire(cs.Instr, held, nil, &Acquire{
			Path: a.Path, Read: a.Read, Lock: a.Lock, Chain: full, Callback: true,
			Guarded: a.Guarded, Dropped: a.Dropped,
		}, cs.Pos, false)
	}
}

// visible reports whether path p of function g (a closure or function
// passed as a callback) names the same object in the current frame: a
// package variable, or a variable of a frame enclosing both.
func (fl *flow) visible(p Path, g *Func) bool {
	switch p.Root.Kind {
	case RootGlobal:
		return true
	case RootParam, RootValue:
		return p.Root.Frame != g.SSA && encloses(p.Root.Frame, fl.f.SSA)
	}
	return false
}

// paramIndex returns the index of v among fn's parameters, or -1.
func paramIndex(fn *ssa.Function, v ssa.Value) int {
	if p, ok := v.(*ssa.Parameter); ok && p.Parent() == fn {
		for i, q := range fn.Params {
			if q == p {
				return i
			}
		}
	}
	return -1
}

// noteAcquire records, in the final pass, what acquisition a at pos means:
// a conflict if its lock is already held, lock-order edges from the locks
// held, and an entry of the function's summary if the function does not
// hold it. must and may are the locks held (may is nil for callbacks).
func (fl *flow) noteAcquire(in ssa.Instruction, must map[Key]*Held, may map[Key][]*Held, a *Acquire, pos token.Pos, certain bool) {
	p, k := a.Path, fl.keys.key(a.Path)
	step := *a
	step.Always = certain
	fl.steps[in] = append(fl.steps[in], &step)
	if h, ok := must[k]; ok {
		if !p.Elem && !a.Dropped {
			fl.m.Conflicts = append(fl.m.Conflicts, &LockConflict{First: h, Second: a.Lock, Chain: a.Chain, Func: fl.f, Guarded: a.Guarded})
		}
	} else if hs, ok := may[k]; ok && a.Chain == nil {
		for _, h := range hs {
			if h.Site == a.Lock && h.guard == nil && !p.Elem {
				fl.m.Conflicts = append(fl.m.Conflicts, &LockConflict{First: h, Second: a.Lock, Func: fl.f, Loop: true})
			}
		}
	}
	for _, hk := range sortedKeys(must) {
		if h := must[hk]; hk != k {
			fl.m.LockEdges = append(fl.m.LockEdges, &LockEdge{From: h, To: p, ToOp: a.Lock, Chain: a.Chain, Func: fl.f, Pos: pos, Read: a.Read, Guarded: a.Guarded})
		}
	}
	if _, ok := must[k]; !ok {
		for _, b := range fl.acquires {
			if b.Lock == a.Lock && fl.keys.key(b.Path) == k {
				return
			}
		}
		c := *a
		fl.acquires = append(fl.acquires, &c)
	}
}

// stateGuarded reports whether b runs only under a test of the program's
// state that looks like a mode check: a boolean field or package variable,
// or one compared for equality with a non-nil constant (c.vers !=
// VersionTLS13, if s.closed). Such tests often encode what a caller already
// established (the lock it holds, the protocol in use), so a lock taken under
// them is not certain in a caller's context.
func stateGuarded(b *ssa.BasicBlock) bool {
	for x := b; x != nil; x = x.Idom() {
		idom := x.Idom()
		if idom == nil || len(idom.Instrs) == 0 {
			continue
		}
		iff, ok := idom.Instrs[len(idom.Instrs)-1].(*ssa.If)
		if !ok || idom.Succs[0] == idom.Succs[1] {
			continue
		}
		if !idom.Succs[0].Dominates(x) && !idom.Succs[1].Dominates(x) {
			continue
		}
		if modeTest(iff.Cond) {
			return true
		}
	}
	return false
}

func modeTest(v ssa.Value) bool {
	for {
		u, ok := v.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		v = u.X
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		return stateLoad(v)
	case *ssa.BinOp:
		if v.Op != token.EQL && v.Op != token.NEQ {
			return false
		}
		x, y := v.X, v.Y
		if _, ok := x.(*ssa.Const); ok {
			x, y = y, x
		}
		c, ok := y.(*ssa.Const)
		if !ok || c.IsNil() {
			return false
		}
		u, ok := x.(*ssa.UnOp)
		return ok && stateLoad(u)
	}
	return false
}

// stateLoad reports whether u loads a field or package variable (not an
// element of a slice or map, not a local variable).
func stateLoad(u *ssa.UnOp) bool {
	if u.Op != token.MUL {
		return false
	}
	switch u.X.(type) {
	case *ssa.FieldAddr, *ssa.Global:
		return true
	}
	return false
}

// paramConds lists the conditions on boolean parameters of b's function
// that hold whenever b runs: branches on a parameter (or its negation)
// whose one side b is reached only through.
func paramConds(b *ssa.BasicBlock) []ParamCond {
	var out []ParamCond
	for x := b; x != nil; x = x.Idom() {
		idom := x.Idom()
		if idom == nil || len(idom.Instrs) == 0 {
			continue
		}
		iff, ok := idom.Instrs[len(idom.Instrs)-1].(*ssa.If)
		if !ok || idom.Succs[0] == idom.Succs[1] {
			continue
		}
		var val bool
		switch {
		case len(idom.Succs[0].Preds) == 1 && idom.Succs[0].Dominates(x):
			val = true
		case len(idom.Succs[1].Preds) == 1 && idom.Succs[1].Dominates(x):
			val = false
		default:
			continue
		}
		cond := iff.Cond
		for {
			u, ok := cond.(*ssa.UnOp)
			if !ok || u.Op != token.NOT {
				break
			}
			cond, val = u.X, !val
		}
		if i := paramIndex(b.Parent(), cond); i >= 0 {
			out = append(out, ParamCond{Param: i, Val: val})
		}
	}
	return out
}

// translateConds maps the parameter conditions of a callee's acquisition
// to the caller at cs, adding those that hold at the call (here). It
// reports feasible == false when an argument contradicts a condition: the
// callee does not take the lock when called from here; unresolved when an
// argument is neither a constant nor a parameter.
func translateConds(conds []ParamCond, cs *CallSite, here []ParamCond) (out []ParamCond, unresolved, feasible bool) {
	out = append([]ParamCond(nil), here...)
	args := cs.Args()
	for _, c := range conds {
		if c.Param >= len(args) {
			continue
		}
		arg, val := args[c.Param], c.Val
		for {
			u, ok := arg.(*ssa.UnOp)
			if !ok || u.Op != token.NOT {
				break
			}
			arg, val = u.X, !val
		}
		if k, ok := arg.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Bool {
			if constant.BoolVal(k.Value) != val {
				return nil, false, false
			}
			continue
		}
		if i := paramIndex(cs.Caller.SSA, arg); i >= 0 {
			out = append(out, ParamCond{Param: i, Val: val})
		} else {
			unresolved = true
		}
	}
	for i, a := range out {
		for _, b := range out[i+1:] {
			if a.Param == b.Param && a.Val != b.Val {
				return nil, false, false
			}
		}
	}
	return out, unresolved, true
}

// sortedHeld lists the locks of a must set in a stable order.
func sortedHeld(must map[Key]*Held) []*Held {
	keys := sortedKeys(must)
	out := make([]*Held, len(keys))
	for i, k := range keys {
		out[i] = must[k]
	}
	return out
}

// exit records the locks held at a return.
func (fl *flow) exit(ret *ssa.Return, s *lockState) {
	e := &Exit{Return: ret}
	must := make(map[Key]*Held)
	for k, hs := range s.may {
		if _, released := s.deferred[k]; released {
			continue
		}
		e.Held = append(e.Held, hs...)
		if h, ok := s.must[k]; ok {
			e.Must = append(e.Must, h)
			if _, reacquired := s.relEntry[k]; !reacquired {
				// Not a lock handed to the caller: the caller's own
				// lock, released for a while and taken again.
				must[k] = h
			}
		}
	}
	rel := make(map[Key]Path)
	for k, p := range s.relEntry {
		if s.retake[k] {
			continue // taken again by a deferred Lock
		}
		if _, held := s.may[k]; held {
			if _, released := s.deferred[k]; !released {
				continue // taken again before returning
			}
		}
		rel[k] = p
	}
	for k, p := range s.deferred {
		if _, held := s.may[k]; !held {
			rel[k] = p
		}
	}
	for _, p := range rel {
		e.Released = append(e.Released, p)
	}
	sort.Slice(e.Released, func(i, j int) bool { return e.Released[i].Key() < e.Released[j].Key() })
	fl.exits = append(fl.exits, e)
	fl.exitMust = append(fl.exitMust, must)
	fl.exitRel = append(fl.exitRel, rel)
}

// summarize intersects the exits into the function's summary.
func (fl *flow) summarize() {
	f := fl.f
	f.Exits = fl.exits
	sum := Summary{Acquires: fl.acquires, ParamCalls: fl.paramCalls, steps: fl.steps, done: true}
	// Locks taken by the function itself only; callers cannot hold values
	// made in this frame.
	keep := sum.Acquires[:0]
	for _, a := range sum.Acquires {
		if a.Path.Root.Kind == RootValue && a.Path.Root.Frame == f.SSA && frameParam(a.Path, f.SSA) < 0 {
			continue
		}
		keep = append(keep, a)
	}
	sum.Acquires = keep
	if len(fl.exitMust) > 0 {
		for k, h := range fl.exitMust[0] {
			all := true
			for _, em := range fl.exitMust[1:] {
				if o, ok := em[k]; !ok || o.Read != h.Read {
					all = false
					break
				}
			}
			if all && !(h.Path.Root.Kind == RootValue && h.Path.Root.Frame == f.SSA && frameParam(h.Path, f.SSA) < 0) {
				sum.Returns = append(sum.Returns, h)
			}
		}
		for k, p := range fl.exitRel[0] {
			all := true
			for _, er := range fl.exitRel[1:] {
				if _, ok := er[k]; !ok {
					all = false
					break
				}
			}
			if all {
				sum.Releases = append(sum.Releases, p)
			}
		}
	}
	sortHeld(sum.Returns)
	sort.Slice(sum.Releases, func(i, j int) bool { return sum.Releases[i].Key() < sum.Releases[j].Key() })
	f.Summary = sum
}

func sortHeld(hs []*Held) {
	sort.Slice(hs, func(i, j int) bool { return hs[i].Path.Key() < hs[j].Path.Key() })
}

// dominatesReturns reports whether every normal return passes through b.
func (fl *flow) dominatesReturns(b *ssa.BasicBlock) bool {
	if len(fl.returns) == 0 {
		return false
	}
	for _, r := range fl.returns {
		if !b.Dominates(r) {
			return false
		}
	}
	return true
}

// substitute maps a path of the callee's frame to the caller's frame at cs.
func (m *Model) substitute(p Path, cs *CallSite) (Path, bool) {
	switch p.Root.Kind {
	case RootGlobal:
		return p, true
	case RootParam:
		if p.Root.Frame == cs.Callee.SSA {
			return m.substituteParam(p, p.Root.Param, cs)
		}
		if encloses(p.Root.Frame, cs.Caller.SSA) {
			return p, true
		}
		if encloses(p.Root.Frame, cs.Callee.SSA) {
			// A closure that p.Root.Frame returned, called here: its
			// free variables are the arguments of the call that made it.
			args := m.makerArgs(cs, p.Root.Frame)
			if i := p.Root.Param; i < len(args) && !inCopy(p.Root.Frame.Params[i].Type(), p.Fields) {
				if base, ok := m.PathOf(args[i]); ok {
					return p.rebase(base), true
				}
			}
		}
	case RootValue:
		if p.Root.Frame == cs.Callee.SSA {
			if i := spilledParam(p.Root.Value); i >= 0 {
				return m.substituteParam(p, i, cs)
			}
			return Path{}, false
		}
		if encloses(p.Root.Frame, cs.Caller.SSA) {
			return p, true
		}
	}
	return Path{}, false
}

// substituteParam maps p, rooted at parameter i of the callee (or at the
// local copy of it), to the argument passed at cs. A parameter passed by
// value is a copy: only what it reaches through pointers is the caller's.
func (m *Model) substituteParam(p Path, i int, cs *CallSite) (Path, bool) {
	args := cs.Args()
	if i >= len(args) || i >= len(cs.Callee.SSA.Params) {
		return Path{}, false
	}
	if inCopy(cs.Callee.SSA.Params[i].Type(), p.Fields) {
		return Path{}, false
	}
	base, ok := m.PathOf(args[i])
	if !ok {
		return Path{}, false
	}
	return p.rebase(base), true
}

// spilledParam returns the index of the parameter that the local variable
// v holds a copy of (a parameter whose address is taken lives in a local
// cell assigned once, on entry), or -1.
func spilledParam(v ssa.Value) int {
	a, ok := v.(*ssa.Alloc)
	if !ok {
		return -1
	}
	var prm *ssa.Parameter
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			p, ok := st.Val.(*ssa.Parameter)
			if !ok || prm != nil {
				return -1
			}
			prm = p
		}
	}
	if prm == nil || a.Comment != prm.Name() {
		return -1
	}
	return paramIndex(a.Parent(), prm)
}

// inCopy reports whether the object that fields select from a value of
// type root lies inside that value, so that a copy of the value (a
// parameter passed by value) has its own: no step goes through a pointer,
// interface, map, channel, slice or function.
func inCopy(root types.Type, fields []*types.Var) bool {
	if isShared(root) {
		return false
	}
	for _, f := range fields {
		if isShared(f.Type()) {
			return false
		}
	}
	return true
}

func isShared(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array, *types.Basic:
		return false
	}
	return true
}

// frameParam returns the parameter index a path of f's frame is rooted at,
// counting local copies of parameters, or -1.
func frameParam(p Path, f *ssa.Function) int {
	switch p.Root.Kind {
	case RootParam:
		if p.Root.Frame == f {
			return p.Root.Param
		}
	case RootValue:
		if p.Root.Frame == f {
			return spilledParam(p.Root.Value)
		}
	}
	return -1
}

// encloses reports whether outer is fn or one of its enclosing functions.
func encloses(outer, fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if fn == outer {
			return true
		}
	}
	return false
}

// reversePostorder returns the reachable blocks of fn in reverse postorder
// (plus the recover block, which has no predecessors).
func reversePostorder(fn *ssa.Function) []*ssa.BasicBlock {
	seen := make([]bool, len(fn.Blocks))
	var post []*ssa.BasicBlock
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		seen[b.Index] = true
		for _, s := range b.Succs {
			if !seen[s.Index] {
				visit(s)
			}
		}
		post = append(post, b)
	}
	if len(fn.Blocks) > 0 {
		visit(fn.Blocks[0])
	}
	if fn.Recover != nil && !seen[fn.Recover.Index] {
		visit(fn.Recover)
	}
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}

// computeRequires finds, top-down, the locks every in-package caller holds
// when calling each function.
func (m *Model) computeRequires(bottomUp []*Func) {
	for i := len(bottomUp) - 1; i >= 0; i-- {
		f := bottomUp[i]
		if len(f.CalledFrom) == 0 || f.ValueUses > 0 {
			continue
		}
		var req map[Key]*Held
		for _, cs := range m.productionCalls(f) {
			if cs.Go || cs.Defer || cs.Caller == f {
				req = nil
				break
			}
			here := make(map[Key]*Held)
			for _, h := range append(append([]*Held(nil), cs.Held...), cs.Caller.Requires...) {
				if p, ok := m.unsubstitute(h.Path, cs); ok {
					here[p.Key()] = &Held{Path: p, Read: h.Read, Site: h.Site, Via: h.Via, FromCaller: true}
				}
			}
			if req == nil {
				req = here
			} else {
				for k, h := range req {
					if o, ok := here[k]; !ok || o.Read != h.Read {
						delete(req, k)
					}
				}
			}
			if len(req) == 0 {
				break
			}
		}
		for _, h := range req {
			f.Requires = append(f.Requires, h)
		}
		sortHeld(f.Requires)
	}
}

// productionCalls returns the calls of f outside _test.go files, or all of
// them when every call is in one. A single-goroutine unit test that calls an
// unexported helper without the lock its production callers hold must not
// make the production path look unguarded: the testing package runs that
// test alone.
func (m *Model) productionCalls(f *Func) []*CallSite {
	var prod []*CallSite
	for _, cs := range f.CalledFrom {
		if !strings.HasSuffix(m.Fset.Position(cs.Pos).Filename, "_test.go") {
			prod = append(prod, cs)
		}
	}
	if len(prod) == 0 {
		return f.CalledFrom
	}
	return prod
}

// unsubstitute maps a path of the caller's frame at cs into the callee's
// frame: through the argument it was passed as, or unchanged for package
// variables and frames the callee's closures share.
func (m *Model) unsubstitute(p Path, cs *CallSite) (Path, bool) {
	if p.Root.Kind == RootGlobal {
		return p, true
	}
	callee := cs.Callee.SSA
	if p.Root.Frame != nil && p.Root.Frame != callee && encloses(p.Root.Frame, callee) {
		return p, true
	}
	for i, arg := range cs.Args() {
		if i >= len(callee.Params) {
			break
		}
		base, ok := m.PathOf(arg)
		if !ok || base.Root != p.Root || len(base.Fields) > len(p.Fields) {
			continue
		}
		prefix := true
		for j, fv := range base.Fields {
			if p.Fields[j] != fv {
				prefix = false
				break
			}
		}
		if !prefix {
			continue
		}
		rest := Path{Root: Root{Kind: RootParam, Frame: callee, Param: i}, Fields: append([]*types.Var(nil), p.Fields[len(base.Fields):]...), Elem: p.Elem, elems: p.shiftElems(-len(base.Fields))}
		return rest, true
	}
	return Path{}, false
}

// Substitute maps a path of the callee's frame at cs to the caller's frame:
// a parameter becomes the argument passed; package variables and variables
// of frames enclosing the caller stay as they are. ok is false when the
// path has no name in the caller (a value made in the callee).
func (m *Model) Substitute(p Path, cs *CallSite) (Path, bool) { return m.substitute(p, cs) }

// Unsubstitute maps a path of the caller's frame at cs into the callee's
// frame, through the argument it is reachable from.
func (m *Model) Unsubstitute(p Path, cs *CallSite) (Path, bool) { return m.unsubstitute(p, cs) }

// HeldAt returns the locks certainly held just before instruction in of f
// runs, taken in f or in functions it called (not those of f's callers).
func (f *Func) HeldAt(in ssa.Instruction) []*Held {
	if s := f.states[in]; s != nil {
		return s.heldList()
	}
	return nil
}

// MayHeldAt reports whether the lock p may be held just before in runs
// (held on some path to it).
func (f *Func) MayHeldAt(in ssa.Instruction, p Path) bool {
	if s := f.states[in]; s != nil {
		_, ok := s.may[p.Key()]
		return ok
	}
	return false
}

// Reached reports whether the lock analysis reached in (it is on a path
// from the function's entry).
func (f *Func) Reached(in ssa.Instruction) bool { return f.states[in] != nil }

// AcquiredAt returns the locks that instruction in of f acquires: a Lock
// call, or a call of a package function (or of a callback it is passed)
// that may acquire them, with paths in f's frame. Always is set on those
// the instruction certainly acquires when it runs and returns.
func (f *Func) AcquiredAt(in ssa.Instruction) []*Acquire { return f.Summary.steps[in] }

// sortedKeys lists the keys of a must set in order.
func sortedKeys(must map[Key]*Held) []Key {
	out := make([]Key, 0, len(must))
	for k := range must {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
