package model

import (
	"go/token"
	"go/types"
	"sort"

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
		for _, cs := range f.Calls {
			if cs.Go {
				continue
			}
			g := cs.Callee
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

// flow holds the per-function working state of the lock analysis.
type flow struct {
	m     *Model
	f     *Func
	ops   map[ssa.Instruction][]*Op
	calls map[ssa.Instruction]*CallSite
	tries map[ssa.Value]*Op // TryLock calls, acquiring on their true edge

	record   bool // final pass: record states, conflicts, edges, summary
	acquires []*Acquire
	exits    []*Exit
	exitMust []map[Key]*Held
	exitRel  []map[Key]Path
	returns  []*ssa.BasicBlock
}

func (m *Model) analyzeLocks(f *Func) {
	fn := f.SSA
	fl := &flow{
		m: m, f: f,
		ops:   make(map[ssa.Instruction][]*Op),
		calls: make(map[ssa.Instruction]*CallSite),
		tries: make(map[ssa.Value]*Op),
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
		fl.calls[cs.Instr] = cs
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
	f.states = make(map[ssa.Instruction]*lockState)
	for _, b := range order {
		if in[b.Index] != nil {
			fl.transfer(b, in[b.Index])
		}
	}
	fl.summarize()
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
	s = s.clone()
	cond := fl.m.condKey(iff.Cond)
	s.facts[cond] = val
	if op := fl.tries[iff.Cond]; op != nil && val && op.Path.Valid() {
		s.acquire(&Held{Path: op.Path, Read: op.Kind == OpTryRLock, Site: op})
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
			if cs := fl.calls[in]; cs != nil {
				cs.Held = s.heldList()
			}
		}
		switch in := in.(type) {
		case *ssa.Call:
			for _, op := range fl.ops[in] {
				s = fl.lockOp(op, s)
			}
			if cs := fl.calls[in]; cs != nil {
				s = fl.applyCall(cs, s)
			}
		case *ssa.Defer:
			for _, op := range fl.ops[in] {
				if op.Kind.Releases() && op.Path.Valid() {
					s = s.clone()
					s.deferred[op.Path.Key()] = op.Path
				}
			}
			if cs := fl.calls[in]; cs != nil {
				for _, p := range cs.Callee.Summary.Releases {
					if mp, ok := fl.m.substitute(p, cs); ok {
						s = s.clone()
						s.deferred[mp.Key()] = mp
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
			fl.noteAcquire(s, op.Path, read, op, nil, op.Pos, fl.dominatesReturns(op.Instr.Block()))
		}
		s = s.clone()
		s.acquire(&Held{Path: op.Path, Read: read, Site: op})
	case OpUnlock, OpRUnlock:
		s = s.clone()
		s.release(op.Path)
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
		for _, a := range sum.Acquires {
			mp, ok := fl.m.substitute(a.Path, cs)
			if !ok {
				continue
			}
			chain := append([]*CallSite{cs}, a.Chain...)
			fl.noteAcquire(s, mp, a.Read, a.Lock, chain, cs.Pos, always && a.Always)
		}
	}
	for _, h := range sum.Returns {
		mp, ok := fl.m.substitute(h.Path, cs)
		if !ok {
			continue
		}
		s = s.clone()
		s.acquire(&Held{Path: mp, Read: h.Read, Site: h.Site, Via: append([]*CallSite{cs}, h.Via...)})
	}
	for _, p := range sum.Releases {
		if mp, ok := fl.m.substitute(p, cs); ok {
			s = s.clone()
			s.release(mp)
		}
	}
	return s
}

// noteAcquire records, in the final pass, what taking lock p at pos means:
// a conflict if it is already held, lock-order edges from the locks held,
// and an entry of the function's summary if the function does not hold it.
func (fl *flow) noteAcquire(s *lockState, p Path, read bool, lock *Op, chain []*CallSite, pos token.Pos, always bool) {
	k := p.Key()
	if h, ok := s.must[k]; ok {
		if !p.Elem {
			fl.m.Conflicts = append(fl.m.Conflicts, &LockConflict{First: h, Second: lock, Chain: chain, Func: fl.f})
		}
	} else if hs, ok := s.may[k]; ok && chain == nil {
		for _, h := range hs {
			if h.Site == lock && h.guard == nil && !p.Elem {
				fl.m.Conflicts = append(fl.m.Conflicts, &LockConflict{First: h, Second: lock, Func: fl.f, Loop: true})
			}
		}
	}
	for hk, h := range s.must {
		if hk != k {
			fl.m.LockEdges = append(fl.m.LockEdges, &LockEdge{From: h, To: p, ToOp: lock, Chain: chain, Func: fl.f, Pos: pos, Read: read})
		}
	}
	if _, ok := s.must[k]; !ok {
		for _, a := range fl.acquires {
			if a.Lock == lock && a.Path.Key() == k {
				return
			}
		}
		fl.acquires = append(fl.acquires, &Acquire{Path: p, Read: read, Lock: lock, Chain: chain, Always: always})
	}
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
			must[k] = h
			e.Must = append(e.Must, h)
		}
	}
	rel := make(map[Key]Path)
	for k, p := range s.relEntry {
		rel[k] = p
	}
	for k, p := range s.deferred {
		if _, held := s.may[k]; !held {
			rel[k] = p
		}
	}
	fl.exits = append(fl.exits, e)
	fl.exitMust = append(fl.exitMust, must)
	fl.exitRel = append(fl.exitRel, rel)
}

// summarize intersects the exits into the function's summary.
func (fl *flow) summarize() {
	f := fl.f
	f.Exits = fl.exits
	sum := Summary{Acquires: fl.acquires, done: true}
	// Locks taken by the function itself only; callers cannot hold values
	// made in this frame.
	keep := sum.Acquires[:0]
	for _, a := range sum.Acquires {
		if a.Path.Root.Kind == RootValue && a.Path.Root.Frame == f.SSA {
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
			if all && !(h.Path.Root.Kind == RootValue && h.Path.Root.Frame == f.SSA) {
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
			args := cs.Instr.Common().Args
			if p.Root.Param >= len(args) {
				return Path{}, false
			}
			base, ok := m.PathOf(args[p.Root.Param])
			if !ok {
				return Path{}, false
			}
			return p.rebase(base), true
		}
		if encloses(p.Root.Frame, cs.Caller.SSA) {
			return p, true
		}
	case RootValue:
		if p.Root.Frame != cs.Callee.SSA && encloses(p.Root.Frame, cs.Caller.SSA) {
			return p, true
		}
	}
	return Path{}, false
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
		for _, cs := range f.CalledFrom {
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
	for i, arg := range cs.Instr.Common().Args {
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
		rest := Path{Root: Root{Kind: RootParam, Frame: callee, Param: i}, Fields: append([]*types.Var(nil), p.Fields[len(base.Fields):]...), Elem: p.Elem}
		return rest, true
	}
	return Path{}, false
}
