package model

import (
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// groupObjects gathers operations into objects. Operations on a field or
// package variable group by its class (every instance of T.mu); others by
// their path within the frame. A parameter that receives an object at an
// in-package call site joins the argument's object (jobs in worker(jobs) is
// the channel the caller made), so each object lists all its sites.
func (m *Model) groupObjects() {
	uf := newUnionFind()
	m.uf = uf
	// Bind parameters to arguments.
	for _, f := range m.Funcs {
		for _, cs := range f.Calls {
			params := cs.Callee.SSA.Params
			for i, arg := range cs.Args() {
				if i >= len(params) || objKindOfType(params[i].Type()) == ObjNone {
					continue
				}
				ap, ok := m.PathOf(arg)
				if !ok || ap.Elem {
					continue
				}
				uf.union(objectKeyOf(ap), objectKeyOf(Path{Root: Root{Kind: RootParam, Frame: cs.Callee.SSA, Param: i}}))
			}
		}
	}
	for _, op := range m.Ops {
		if !op.Path.Valid() || op.ObjKind == ObjNone {
			continue
		}
		k := uf.find(objectKeyOf(op.Path))
		obj := m.objects[k]
		if obj == nil {
			obj = &Object{Kind: op.ObjKind, Class: k.class, Cap: -1}
			m.objects[k] = obj
			m.Objects = append(m.Objects, obj)
		}
		if obj.Kind == ObjLocker && op.ObjKind.IsLock() {
			obj.Kind = op.ObjKind
		}
		if obj.Kind == ObjMutex && op.ObjKind == ObjRWMutex {
			obj.Kind = ObjRWMutex
		}
		op.Object = obj
		obj.Ops = append(obj.Ops, op)
	}
	for _, obj := range m.Objects {
		m.describe(obj)
	}
	m.indexVars()
	sort.SliceStable(m.Objects, func(i, j int) bool { return m.Objects[i].Decl < m.Objects[j].Decl })
}

// objectKeyOf groups fields and package variables by class, and other
// objects by their path.
func objectKeyOf(p Path) objectKey {
	if len(p.Fields) > 0 || p.Root.Kind == RootGlobal {
		return objectKey{class: p.Class()}
	}
	return objectKey{key: p.Key()}
}

// ObjectOfPath returns the object a path belongs to, or nil.
func (m *Model) ObjectOfPath(p Path) *Object {
	return m.objects[m.uf.find(objectKeyOf(p))]
}

// describe fills in the name, type, declaration and capacity of obj.
func (m *Model) describe(obj *Object) {
	// Name it as methods spell it (s.mu, through the receiver), else as
	// its make site or first operation does.
	best := obj.Ops[0]
	for _, op := range obj.Ops {
		if op.Kind == OpMakeChan || op.Kind == OpSemNew {
			best = op
			break
		}
	}
	if len(best.Path.Fields) > 0 {
		for _, op := range obj.Ops {
			if op.Path.Root.Kind == RootParam && len(op.Path.Fields) > 0 && !op.Path.Aliased() {
				best = op
				break
			}
		}
	}
	p := best.Path
	obj.Name = p.Name()
	if a, ok := p.Root.Value.(*ssa.Alloc); ok && a.Comment == "complit" && len(p.Fields) > 0 {
		obj.Name = m.FieldName(p.Fields[len(p.Fields)-1]) // only made in a composite literal
	}
	switch {
	case len(p.Fields) > 0:
		f := p.Fields[len(p.Fields)-1]
		obj.Decl, obj.Type = f.Pos(), f.Type()
	case p.Root.Kind == RootGlobal:
		obj.Decl, obj.Type = p.Root.Global.Pos(), deref(p.Root.Global.Type())
	case p.Root.Kind == RootParam:
		prm := p.Root.Frame.Params[p.Root.Param]
		obj.Decl, obj.Type = prm.Pos(), prm.Type()
	case p.Root.Kind == RootValue:
		obj.Decl, obj.Type = declPos(p.Root.Value), p.Root.Value.Type()
		if a, ok := p.Root.Value.(*ssa.Alloc); ok {
			obj.Type = deref(a.Type())
		}
	}
	// Channel capacity from any make site stored into this object.
	if obj.Kind == ObjChan && obj.Cap < 0 {
		for _, op := range obj.Ops {
			if op.Kind == OpMakeChan && op.Cap >= 0 {
				obj.Cap = op.Cap
			}
		}
	}
	if obj.Kind == ObjChan && obj.Cap < 0 {
		type capOf struct{ name, paramOf string }
		names := map[capOf]bool{}
		for _, op := range obj.Ops {
			if op.Kind == OpMakeChan {
				names[capOf{op.CapName, op.CapParamOf}] = true
			}
		}
		if len(names) == 1 {
			for n := range names {
				obj.CapName, obj.CapParamOf = n.name, n.paramOf // every make agrees (or none names it)
			}
		}
	}
}

// declPos finds the declaration of the local variable a value is bound to.
func declPos(v ssa.Value) token.Pos {
	if refs := v.Referrers(); refs != nil {
		for _, r := range *refs {
			if d, ok := r.(*ssa.DebugRef); ok && d.Object() != nil {
				return d.Object().Pos()
			}
		}
	}
	return v.Pos()
}

// ObjectOf returns the object of a variable declared in the package: a
// struct field, a package variable or a local variable.
func (m *Model) ObjectOf(v *types.Var) *Object {
	if v.IsField() {
		return m.ObjectOfField(v)
	}
	return m.byVar[v]
}

// indexVars records which variable (parameter, package or local variable)
// names each object, for lookups from the source (hovers). The model is
// read concurrently once built, so this is done eagerly.
func (m *Model) indexVars() {
	m.byVar = make(map[*types.Var]*Object)
	for _, op := range m.Ops {
		if op.Object == nil || len(op.Path.Fields) > 0 {
			continue
		}
		if rv := rootVar(op.Path); rv != nil && m.byVar[rv] == nil {
			m.byVar[rv] = op.Object
		}
	}
}

// rootVar returns the variable a path without fields starts from: the
// parameter, package variable or local variable.
func rootVar(p Path) *types.Var {
	switch p.Root.Kind {
	case RootParam:
		return p.Root.Frame.Params[p.Root.Param].Object().(*types.Var)
	case RootGlobal:
		v, _ := p.Root.Global.Object().(*types.Var)
		return v
	case RootValue:
		if refs := p.Root.Value.Referrers(); refs != nil {
			for _, r := range *refs {
				if d, ok := r.(*ssa.DebugRef); ok {
					if v, ok := d.Object().(*types.Var); ok {
						return v
					}
				}
			}
		}
	}
	return nil
}

type unionFind struct{ parent map[objectKey]objectKey }

func newUnionFind() *unionFind { return &unionFind{parent: make(map[objectKey]objectKey)} }

func (u *unionFind) find(k objectKey) objectKey {
	for {
		p, ok := u.parent[k]
		if !ok || p == k {
			return k
		}
		if gp, ok := u.parent[p]; ok {
			u.parent[k] = gp
		}
		k = p
	}
}

// union joins a and b; a field or global class wins as the representative.
func (u *unionFind) union(a, b objectKey) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if rb.class != "" && ra.class == "" {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
}

// PerIteration reports whether the object p names is a different one on
// each trip around loop l: p starts from a value the loop defines anew
// each time, a range element (for _, x := range xs), a value received in
// the loop (for r := range reqs), or one made in it. "for _, w := range
// ws { close(w.done) }" closes one channel per element.
func PerIteration(p Path, l *Loop) bool {
	if p.Root.Kind != RootValue || p.Elem {
		return false
	}
	return perIterationValue(p.Root.Value, l, 0)
}

func perIterationValue(v ssa.Value, l *Loop, depth int) bool {
	in, ok := v.(ssa.Instruction)
	if !ok || depth > 4 || in.Block() == nil || !l.Blocks[in.Block()] {
		return false
	}
	switch v := v.(type) {
	case *ssa.Extract:
		switch t := v.Tuple.(type) {
		case *ssa.Next, *ssa.Select:
			return true
		case *ssa.UnOp:
			return t.Op == token.ARROW
		case *ssa.TypeAssert:
			return perIterationValue(t.X, l, depth+1)
		}
	case *ssa.UnOp:
		switch v.Op {
		case token.ARROW:
			return true
		case token.MUL:
			// xs[i] for the loop's own index.
			if ia, ok := v.X.(*ssa.IndexAddr); ok {
				return definedIn(ia.Index, l)
			}
		}
	case *ssa.Index:
		return definedIn(v.Index, l)
	case *ssa.TypeAssert:
		return perIterationValue(v.X, l, depth+1)
	case *ssa.ChangeType:
		return perIterationValue(v.X, l, depth+1)
	case *ssa.Alloc:
		return v.Heap
	case *ssa.MakeChan:
		return true
	}
	return false
}

// definedIn reports whether v is computed inside loop l (a φ of its header
// included: the index of a range over a slice).
func definedIn(v ssa.Value, l *Loop) bool {
	in, ok := v.(ssa.Instruction)
	return ok && in.Block() != nil && l.Blocks[in.Block()]
}

// HandedOver reports whether the object p names is handed from goroutine
// to goroutine by a channel: it was received (the value, or what a type
// assertion of it gives), or p is rooted at a parameter that every caller
// fills with such a value, and every value sent on that channel in the
// package is made for its send (r := &req{...}; reqs <- r). Each receive
// then gets an object of its own, which no other receiver sees.
func (m *Model) HandedOver(p Path) bool {
	return m.handedOver(p, 0)
}

func (m *Model) handedOver(p Path, depth int) bool {
	if p.Elem || depth > 3 {
		return false
	}
	switch p.Root.Kind {
	case RootValue:
		ch := receivedFrom(p.Root.Value)
		if ch == nil {
			return false
		}
		return m.sendsFresh(ch)
	case RootParam:
		f := m.funcs[p.Root.Frame]
		if f == nil || f.Exported || f.ValueUses > 0 || len(f.CalledFrom) == 0 {
			return false
		}
		for _, cs := range f.CalledFrom {
			args := cs.Args()
			if p.Root.Param >= len(args) || args[p.Root.Param] == nil {
				return false
			}
			ap, ok := m.PathOf(args[p.Root.Param])
			if !ok || len(ap.Fields) > 0 || !m.handedOver(ap, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// receivedFrom returns the channel v was received from, looking through
// type assertions, or nil.
func receivedFrom(v ssa.Value) ssa.Value {
	for range 4 {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				return x.X
			}
			return nil
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.Extract:
			switch t := x.Tuple.(type) {
			case *ssa.UnOp:
				if t.Op == token.ARROW && x.Index == 0 {
					return t.X
				}
				return nil
			case *ssa.TypeAssert:
				if x.Index != 0 {
					return nil
				}
				v = t.X
			case *ssa.Select:
				// Results: index, recvOk, then one value per receive case.
				k := x.Index - 2
				for _, st := range t.States {
					if st.Dir != types.RecvOnly {
						continue
					}
					if k == 0 {
						return st.Chan
					}
					k--
				}
				return nil
			default:
				return nil
			}
		default:
			return nil
		}
	}
	return nil
}

// sendsFresh reports whether every send on channel ch in the package sends
// a value made for it: allocated on the way to the send, by no other send,
// and not sent again before it is made anew.
func (m *Model) sendsFresh(ch ssa.Value) bool {
	cp, ok := m.PathOf(ch)
	if !ok {
		return false
	}
	obj := m.ObjectOfPath(cp)
	if obj == nil {
		return false
	}
	sends := 0
	sentBy := map[ssa.Instruction]bool{}
	for _, op := range obj.Ops {
		if op.Kind != OpSend {
			continue
		}
		sends++
		var v ssa.Value
		switch in := op.Instr.(type) {
		case *ssa.Send:
			v = in.X
		case *ssa.Select:
			v = in.States[op.Case].Send
		}
		if v == nil || !m.freshValue(v, map[*ssa.Function]bool{}, map[ssa.Value]bool{}) {
			return false
		}
		made, ok := underlyingInstr(v)
		if !ok || sentBy[made] || ReachesAvoiding(op.Instr, op.Instr, map[ssa.Instruction]bool{made: true}) {
			return false // sent twice
		}
		sentBy[made] = true
	}
	return sends > 0
}

// underlyingInstr returns the instruction that makes v, looking through
// interface conversions.
func underlyingInstr(v ssa.Value) (ssa.Instruction, bool) {
	for range 4 {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			in, ok := v.(ssa.Instruction)
			return in, ok
		}
	}
	return nil, false
}
