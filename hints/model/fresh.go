package model

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// FreshResult reports whether result i of f is made anew by every call:
// each return gives a value f allocated or made (a composite literal, a
// channel, a closure), the cancel func of a context f created, nil, or a
// fresh result of another function of the package. A getter that returns
// something kept in a field, a map or a parameter does not: its callers
// share that object, and a cancel func it returns belongs to whoever
// created the context.
func (m *Model) FreshResult(f *Func, i int) bool {
	return m.freshResult(f, i, map[*ssa.Function]bool{})
}

func (m *Model) freshResult(f *Func, i int, visiting map[*ssa.Function]bool) bool {
	if f == nil || visiting[f.SSA] || i >= f.SSA.Signature.Results().Len() {
		return false
	}
	visiting[f.SSA] = true
	defer delete(visiting, f.SSA)
	rets := 0
	for _, b := range f.SSA.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		rets++
		if i >= len(r.Results) || !m.freshValue(r.Results[i], visiting, map[ssa.Value]bool{}) {
			return false
		}
	}
	return rets > 0
}

// freshValue reports whether v is made in its function on every path.
func (m *Model) freshValue(v ssa.Value, visiting map[*ssa.Function]bool, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true // a φ cycle adds no new source
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.Alloc:
		return v.Heap
	case *ssa.MakeChan, *ssa.MakeMap, *ssa.MakeSlice, *ssa.MakeClosure:
		return true
	case *ssa.ChangeType:
		return m.freshValue(v.X, visiting, seen)
	case *ssa.MakeInterface:
		return m.freshValue(v.X, visiting, seen)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !m.freshValue(e, visiting, seen) {
				return false
			}
		}
		return true
	case *ssa.UnOp:
		// A named result cell (returned after deferred calls ran): every
		// value stored in it must be fresh.
		a, ok := v.X.(*ssa.Alloc)
		if !ok || v.Op != token.MUL || a.Heap || !isResultCell(a) {
			return false
		}
		stores := 0
		for _, r := range *a.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == a {
				stores++
				if !m.freshValue(st.Val, visiting, seen) {
					return false
				}
			}
		}
		return stores > 0
	case *ssa.Extract:
		call, ok := v.Tuple.(*ssa.Call)
		if !ok {
			return false
		}
		return m.freshCallResult(call, v.Index, visiting)
	case *ssa.Call:
		return m.freshCallResult(v, 0, visiting)
	}
	return false
}

// freshCallResult reports whether result i of call is made by the call:
// the cancel func of a context the call creates, or a fresh result of a
// function of the package. A function of another package that returns a
// cancel func is taken to create its context (context wrappers such as
// golang.org/x/net/context.WithTimeout); a method of another package may
// be a getter, as here.
func (m *Model) freshCallResult(call *ssa.Call, i int, visiting map[*ssa.Function]bool) bool {
	if classifyCall(call.Common()).kind == OpWithCancel {
		return i == 1
	}
	if f := m.staticCallee(&call.Call); f != nil {
		return m.freshResult(f, i, visiting)
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Signature.Recv() != nil || i >= callee.Signature.Results().Len() {
		return false
	}
	return isCancelFunc(callee.Signature.Results().At(i).Type())
}

// isResultCell reports whether a is the local cell of a named result.
func isResultCell(a *ssa.Alloc) bool {
	sig := a.Parent().Signature
	for i := range sig.Results().Len() {
		if r := sig.Results().At(i); r.Name() != "" && r.Name() == a.Comment {
			return true
		}
	}
	return false
}
