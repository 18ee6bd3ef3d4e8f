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
