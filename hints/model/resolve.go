package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// PathOf returns the path of the object that v denotes (for pointers, the
// object pointed to). ok is false when the object is not known: a value read
// from a map, a function result in another frame, a phi of different objects.
func (m *Model) PathOf(v ssa.Value) (Path, bool) {
	return m.resolve(v, 0)
}

func (m *Model) resolve(v ssa.Value, depth int) (Path, bool) {
	if v == nil || depth > 24 {
		return Path{}, false
	}
	depth++
	switch v := v.(type) {
	case *ssa.FieldAddr:
		base, ok := m.resolve(v.X, depth)
		if !ok {
			return Path{}, false
		}
		f := structField(v.X.Type(), v.Field)
		if f == nil {
			return Path{}, false
		}
		return base.extend(f), true
	case *ssa.Field:
		base, ok := m.resolve(v.X, depth)
		if !ok {
			return Path{}, false
		}
		f := structField(v.X.Type(), v.Field)
		if f == nil {
			return Path{}, false
		}
		return base.extend(f), true
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return Path{}, false
		}
		// A load. A local variable cell (a captured or address-taken
		// variable) assigned once stands for the value assigned to it;
		// otherwise the path is that of the memory the value was loaded
		// from: loads are transparent, s.p.mu names the mutex of the
		// struct s.p points to.
		// Either way the source reaches it through the variable, and names
		// it so (n for s.notify after n := s.notify).
		if a := m.cellOf(v.X); a != nil && isReference(a.Type()) {
			if val := singleStore(a); val != nil {
				if _, isConst := val.(*ssa.Const); !isConst {
					p, ok := m.resolve(val, depth)
					if ok && a.Comment != "" && token.IsIdentifier(a.Comment) {
						p = p.aliased(a.Comment)
					}
					return p, ok
				}
			}
		}
		p, ok := m.resolve(v.X, depth)
		if name := debugName(v); ok && name != "" {
			p = p.aliased(name)
		}
		return p, ok
	case *ssa.Parameter:
		fn := v.Parent()
		for i, p := range fn.Params {
			if p == v {
				return Path{Root: Root{Kind: RootParam, Frame: fn, Param: i}}, true
			}
		}
	case *ssa.FreeVar:
		fn := v.Parent()
		if mc := m.closures[fn]; mc != nil {
			if i := freeVarIndex(v); i >= 0 && i < len(mc.Bindings) {
				return m.resolve(mc.Bindings[i], depth)
			}
		}
		return Path{Root: Root{Kind: RootValue, Frame: fn, Value: v}}, true
	case *ssa.Global:
		return Path{Root: Root{Kind: RootGlobal, Global: v}}, true
	case *ssa.Alloc:
		return Path{Root: Root{Kind: RootValue, Frame: v.Parent(), Value: v}}, true
	case *ssa.Phi:
		var (
			out  Path
			have bool
		)
		for _, e := range v.Edges {
			if e == v {
				continue
			}
			if c, ok := e.(*ssa.Const); ok && c.IsNil() {
				continue // a nil on some path does not change which object it is when non-nil
			}
			p, ok := m.resolve(e, depth)
			if !ok {
				return Path{}, false
			}
			if have && p.Key() != out.Key() {
				return Path{}, false
			}
			out, have = p, true
		}
		return out, have
	case *ssa.ChangeType:
		return m.resolve(v.X, depth)
	case *ssa.MakeInterface:
		return m.resolve(v.X, depth)
	case *ssa.ChangeInterface:
		return m.resolve(v.X, depth)
	case *ssa.TypeAssert:
		if !v.CommaOk {
			return m.resolve(v.X, depth)
		}
	case *ssa.Extract:
		if ta, ok := v.Tuple.(*ssa.TypeAssert); ok && v.Index == 0 {
			return m.resolve(ta.X, depth)
		}
		if lk, ok := v.Tuple.(*ssa.Lookup); ok && v.Index == 0 {
			// v, ok := m[k]: an element of the map, as m[k] is.
			base, ok := m.resolve(lk.X, depth)
			if !ok {
				return Path{}, false
			}
			return base.withElem(lk.Index, lk.Pos(), lk.Parent()), true
		}
		return Path{Root: Root{Kind: RootValue, Frame: v.Parent(), Value: v}}, true
	case *ssa.IndexAddr:
		base, ok := m.resolve(v.X, depth)
		if !ok {
			return Path{}, false
		}
		return base.withElem(v.Index, v.Pos(), v.Parent()), true
	case *ssa.Index:
		base, ok := m.resolve(v.X, depth)
		if !ok {
			return Path{}, false
		}
		return base.withElem(v.Index, v.Pos(), v.Parent()), true
	case *ssa.Lookup:
		base, ok := m.resolve(v.X, depth)
		if !ok {
			return Path{}, false
		}
		return base.withElem(v.Index, v.Pos(), v.Parent()), true
	case *ssa.Slice:
		return m.resolve(v.X, depth)
	case *ssa.Const, *ssa.Function, *ssa.Builtin:
		return Path{}, false
	}
	if _, isInstr := v.(ssa.Instruction); isInstr {
		// A value made here: make(chan), a call result, a composite literal...
		return Path{Root: Root{Kind: RootValue, Frame: v.Parent(), Value: v}}, true
	}
	return Path{}, false
}

// cellOf returns the local variable cell that x is, directly or as a
// closure's free variable bound to it.
func (m *Model) cellOf(x ssa.Value) *ssa.Alloc {
	for range 8 {
		switch v := x.(type) {
		case *ssa.Alloc:
			return v
		case *ssa.FreeVar:
			mc := m.closures[v.Parent()]
			if mc == nil {
				return nil
			}
			i := freeVarIndex(v)
			if i < 0 || i >= len(mc.Bindings) {
				return nil
			}
			x = mc.Bindings[i]
		default:
			return nil
		}
	}
	return nil
}

func freeVarIndex(v *ssa.FreeVar) int {
	for i, fv := range v.Parent().FreeVars {
		if fv == v {
			return i
		}
	}
	return -1
}

// isReference reports whether the cell type *T holds a reference (pointer,
// channel, map, func, interface), so that the value stored names an object.
func isReference(cell types.Type) bool {
	switch deref(cell).Underlying().(type) {
	case *types.Pointer, *types.Chan, *types.Map, *types.Signature, *types.Interface:
		return true
	}
	return false
}

// singleStore returns the only value stored to the local cell a, or nil when
// it is assigned more than once (or its address escapes to unknown code).
func singleStore(a *ssa.Alloc) ssa.Value {
	refs := a.Referrers()
	if refs == nil {
		return nil
	}
	var val ssa.Value
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				return nil
			}
			if val != nil {
				return nil
			}
			val = r.Val
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			// Captured by a closure, which may assign it.
			if closureStoresVar(r.Fn.(*ssa.Function), a, r) {
				return nil
			}
		default:
			return nil
		}
	}
	return val
}

// closureStoresVar reports whether fn, or a closure nested in it, stores to
// the free variable bound to cell (an Alloc, or an enclosing free variable).
func closureStoresVar(fn *ssa.Function, cell ssa.Value, mc *ssa.MakeClosure) bool {
	for i, b := range mc.Bindings {
		if b != cell || i >= len(fn.FreeVars) {
			continue
		}
		refs := fn.FreeVars[i].Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Addr == fn.FreeVars[i] {
					return true
				}
			case *ssa.UnOp, *ssa.DebugRef:
			case *ssa.MakeClosure:
				// Captured again by a nested closure.
				if closureStoresVar(r.Fn.(*ssa.Function), fn.FreeVars[i], r) {
					return true
				}
			default:
				return true // passed on: unknown
			}
		}
	}
	return false
}

// structField returns field i of the struct that t is or points to.
func structField(t types.Type, i int) *types.Var {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok {
		if tp, isTP := deref(t).(*types.TypeParam); isTP {
			st, ok = coreStruct(tp)
		}
		if !ok {
			return nil
		}
	}
	if i < 0 || i >= st.NumFields() {
		return nil
	}
	return st.Field(i)
}

func coreStruct(tp *types.TypeParam) (*types.Struct, bool) {
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	if !ok || iface.NumEmbeddeds() != 1 {
		return nil, false
	}
	st, ok := iface.EmbeddedType(0).Underlying().(*types.Struct)
	return st, ok
}

// deref returns the element type of a pointer type, or t itself.
func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		if iface, ok := tp.Constraint().Underlying().(*types.Interface); ok && iface.NumEmbeddeds() == 1 {
			if p, ok := iface.EmbeddedType(0).Underlying().(*types.Pointer); ok {
				return p.Elem()
			}
		}
	}
	return t
}

// funcOrOrigin returns the package function fn is, or the generic function
// it instantiates: a call inside a generic body (l.evict() in a method of
// LRU[K, V]) calls an instance whose body is the generic one.
func (m *Model) funcOrOrigin(fn *ssa.Function) *Func {
	if f := m.funcs[fn]; f != nil {
		return f
	}
	if o := fn.Origin(); o != nil {
		return m.funcs[o]
	}
	return nil
}

// debugName is the local variable v is assigned to, or "".
func debugName(v ssa.Value) string {
	if refs := v.Referrers(); refs != nil {
		for _, r := range *refs {
			if d, ok := r.(*ssa.DebugRef); ok && d.Object() != nil && !d.IsAddr {
				return d.Object().Name()
			}
		}
	}
	return ""
}
