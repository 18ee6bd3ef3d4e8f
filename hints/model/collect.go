package model

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// collectOps finds every concurrency operation and in-package call.
func (m *Model) collectOps() {
	for _, f := range m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				m.collectInstr(f, b, in)
			}
		}
	}
	m.groupObjects()
}

func (m *Model) addOp(f *Func, op *Op) *Op {
	op.Func = f
	if !op.Pos.IsValid() {
		op.Pos = instrPos(op.Instr)
	}
	f.Ops = append(f.Ops, op)
	m.Ops = append(m.Ops, op)
	m.opsAt[op.Pos] = append(m.opsAt[op.Pos], op)
	return op
}

func (m *Model) collectInstr(f *Func, b *ssa.BasicBlock, in ssa.Instruction) {
	m.countValueUses(in)
	switch in := in.(type) {
	case ssa.CallInstruction:
		m.collectCall(f, in)
	case *ssa.Send:
		m.addOp(f, &Op{Kind: OpSend, ObjKind: ObjChan, Path: m.pathOrInvalid(in.Chan), Instr: in, Pos: in.Pos()})
	case *ssa.UnOp:
		if in.Op == token.ARROW {
			kind := OpRecv
			if b.Comment == "rangechan.loop" {
				kind = OpRange
			}
			m.addOp(f, &Op{Kind: kind, ObjKind: ObjChan, Path: m.pathOrInvalid(in.X), Instr: in, Pos: in.Pos()})
		}
	case *ssa.Select:
		m.addOp(f, &Op{Kind: OpSelect, Instr: in, Pos: in.Pos(), Select: in, Case: -1})
		for i, st := range in.States {
			kind := OpRecv
			if st.Dir == types.SendOnly {
				kind = OpSend
			}
			m.addOp(f, &Op{Kind: kind, ObjKind: ObjChan, Path: m.pathOrInvalid(st.Chan), Instr: in, Pos: st.Pos, Select: in, Case: i})
		}
	case *ssa.MakeChan:
		op := &Op{Kind: OpMakeChan, ObjKind: ObjChan, Path: m.homeOf(in), Instr: in, Pos: in.Pos(), Cap: -1}
		if c, ok := in.Size.(*ssa.Const); ok && c.Value != nil {
			if n, exact := constant.Int64Val(constant.ToInt(c.Value)); exact {
				op.Cap = n
			}
		} else {
			op.CapName, op.CapParamOf = capName(in.Size)
		}
		m.addOp(f, op)
	case *ssa.MakeClosure:
		m.collectUnlockValue(f, in)
	}
}

// countValueUses counts the references of in to package functions other
// than calling them: function and method values passed, stored or
// converted to interfaces, and closures used other than by a call. After
// such a use the function's callers are unknown. Debug references (the
// identifiers the builder records in GlobalDebug mode) are not uses.
func (m *Model) countValueUses(in ssa.Instruction) {
	switch in := in.(type) {
	case *ssa.DebugRef:
		return
	case *ssa.MakeClosure:
		if refs := in.Referrers(); refs != nil {
			for _, r := range *refs {
				if c, ok := r.(ssa.CallInstruction); ok && c.Common().Value == ssa.Value(in) {
					continue
				}
				if _, ok := r.(*ssa.DebugRef); ok {
					continue
				}
				if f := m.funcOrOriginOf(in.Fn.(*ssa.Function)); f != nil {
					f.ValueUses++
				}
			}
		}
	}
	for _, rand := range in.Operands(nil) {
		if fn, ok := (*rand).(*ssa.Function); ok && !isCallee(in, fn) {
			if f := m.funcOrOriginOf(fn); f != nil {
				f.ValueUses++
			}
		}
	}
}

// isCallee reports whether fn is the function called by in (not an argument).
func isCallee(in ssa.Instruction, fn *ssa.Function) bool {
	if c, ok := in.(ssa.CallInstruction); ok {
		return c.Common().Value == ssa.Value(fn)
	}
	if mc, ok := in.(*ssa.MakeClosure); ok {
		return mc.Fn == ssa.Value(fn)
	}
	return false
}

func (m *Model) pathOrInvalid(v ssa.Value) Path {
	p, _ := m.PathOf(v)
	return p
}

// homeOf returns where a value made here is kept: the field or package
// variable it is stored to right away, or the value itself.
func (m *Model) homeOf(v ssa.Value) Path {
	if refs := v.Referrers(); refs != nil {
		for _, r := range *refs {
			if st, ok := r.(*ssa.Store); ok && st.Val == v {
				switch st.Addr.(type) {
				case *ssa.FieldAddr, *ssa.Global:
					if p, ok := m.PathOf(st.Addr); ok {
						return p
					}
				}
			}
		}
	}
	return m.pathOrInvalid(v)
}

func (m *Model) collectCall(f *Func, in ssa.CallInstruction) {
	c := in.Common()
	_, isGo := in.(*ssa.Go)
	_, isDefer := in.(*ssa.Defer)
	pos := c.Pos()
	if !pos.IsValid() {
		pos = in.Pos()
	}

	// Calls to functions of this package: the static callee, or what a
	// dynamic call or a library function's callback may run.
	var sites []*CallSite
	if callee := m.staticCallee(c); callee != nil {
		sites = []*CallSite{{Caller: f, Callee: callee, Instr: in}}
	} else if cb := m.callbackSite(f, in); cb != nil {
		sites = []*CallSite{cb}
	} else {
		sites = m.dynamicSites(f, in)
	}
	for _, cs := range sites {
		cs.Pos, cs.Go, cs.Defer = pos, isGo, isDefer
		f.Calls = append(f.Calls, cs)
		cs.Callee.CalledFrom = append(cs.Callee.CalledFrom, cs)
	}

	if isGo {
		m.addOp(f, &Op{Kind: OpGo, Instr: in, Pos: in.Pos(), Target: m.targetOf(c.Value, c)})
		return
	}
	cl := classifyCall(c)
	if cl.kind == OpNone {
		if isCancelFunc(c.Value.Type()) && !c.IsInvoke() {
			m.addOp(f, &Op{Kind: OpCancel, ObjKind: ObjCancel, Path: m.pathOrInvalid(c.Value), Instr: in, Pos: pos, Deferred: isDefer})
		}
		return
	}
	op := &Op{Kind: cl.kind, ObjKind: cl.obj, Instr: in, Pos: pos, Deferred: isDefer}
	if cl.recv != nil {
		op.Path = m.pathOrInvalid(cl.recv)
		if cl.obj == ObjLocker {
			// A Locker made from a *sync.Mutex or *sync.RWMutex is that lock.
			if k := objKindOfValue(cl.recv); k.IsLock() {
				op.ObjKind = k
			}
		}
	}
	switch cl.kind {
	case OpWithCancel:
		// The cancel function is the second result; name it by where it goes.
		if call, ok := in.(*ssa.Call); ok {
			if cancel := extractOf(call, 1); cancel != nil {
				op.Path = m.homeOf(cancel)
			}
		}
	case OpCondNew:
		if call, ok := in.(*ssa.Call); ok {
			op.Path = m.homeOf(call)
		}
		op.Locker = m.pathOrInvalid(cl.arg)
	case OpSemNew, OpGroupNew:
		if call, ok := in.(*ssa.Call); ok {
			v := ssa.Value(call)
			if cl.kind == OpGroupNew {
				if g := extractOf(call, 0); g != nil {
					v = g
				}
			}
			op.Path = m.homeOf(v)
		}
	}
	if cl.fn != nil {
		op.Target = m.targetOf(cl.fn, nil)
	}
	m.addOp(f, op)
	if cl.kind == OpOnceDo && cl.fn != nil {
		if rel := m.onceRelease(cl.fn); rel != nil {
			rel.Instr, rel.Pos, rel.Deferred = in, pos, isDefer
			m.addOp(f, rel)
		}
	}
}

// objKindOfValue looks through interface conversions for the dynamic type.
func objKindOfValue(v ssa.Value) ObjKind {
	for range 8 {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return objKindOfType(v.Type())
		}
	}
	return ObjNone
}

// extractOf returns the Extract of result i of a tuple-valued call, if used.
func extractOf(call *ssa.Call, i int) ssa.Value {
	refs := call.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == i {
			return e
		}
	}
	return nil
}

// staticCallee returns the package function a call statically invokes.
func (m *Model) staticCallee(c *ssa.CallCommon) *Func {
	if c.IsInvoke() {
		return nil
	}
	if fn := c.StaticCallee(); fn != nil {
		return m.funcOrOrigin(fn)
	}
	return nil
}

// targetOf returns the package function that a function value runs.
func (m *Model) targetOf(v ssa.Value, c *ssa.CallCommon) *Func {
	if c != nil {
		if f := m.staticCallee(c); f != nil {
			return f
		}
	}
	for range 8 {
		switch x := v.(type) {
		case *ssa.Function:
			return m.funcOrOrigin(x)
		case *ssa.MakeClosure:
			return m.funcs[x.Fn.(*ssa.Function)]
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.UnOp:
			a := m.cellOf(x.X)
			if a == nil {
				return nil
			}
			v = singleStore(a)
			if v == nil {
				return nil
			}
		default:
			return nil
		}
	}
	return nil
}

// capName names a capacity that is not a constant as the source does: the
// parameter (limit, and the function it is a parameter of) or local
// variable it is.
func capName(size ssa.Value) (name, paramOf string) {
	for {
		c, ok := size.(*ssa.Convert)
		if !ok {
			break
		}
		size = c.X
	}
	if p, ok := size.(*ssa.Parameter); ok {
		fn := p.Parent()
		for fn.Parent() != nil {
			fn = fn.Parent()
		}
		return p.Name(), fn.Name()
	}
	return debugName(size), ""
}
