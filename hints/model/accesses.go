package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Access is a read or write of a struct field, a package variable, a local
// variable shared with a closure, or an element of a map.
type Access struct {
	// Var is the field (generic origin) or package variable accessed; nil
	// for a captured local variable (see Cell).
	Var *types.Var
	// Cell is the captured local variable, for accesses of variables that a
	// closure shares with the function that made it.
	Cell *ssa.Alloc
	// Map is set for an access of a map's contents (m[k], m[k] = v,
	// delete, range); Var or Cell then holds the map.
	Map bool

	Path   Path // the instance accessed (s.count), when known
	Write  bool
	Atomic bool // through sync/atomic functions
	Func   *Func
	Instr  ssa.Instruction
	Pos    token.Pos
	// Held lists the locks certainly held: those taken in the function and
	// those every in-package caller holds.
	Held []*Held
	// Fresh is set when the object is made in this function (a constructor
	// filling it in before publishing it).
	Fresh bool
}

func (m *Model) collectAccesses() {
	for _, f := range m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				m.accessesOf(f, in)
			}
		}
	}
}

// accessesOf records the accesses made by one instruction.
func (m *Model) accessesOf(f *Func, in ssa.Instruction) {
	switch in := in.(type) {
	case *ssa.Store:
		m.memAccess(f, in, in.Addr, true, false)
	case *ssa.UnOp:
		if in.Op == token.MUL {
			m.memAccess(f, in, in.X, false, false)
		}
	case *ssa.Field:
		if v := structField(in.X.Type(), in.Field); v != nil {
			m.addAccess(f, in, &Access{Var: v, Path: m.pathOrInvalid(in)})
		}
	case *ssa.MapUpdate:
		m.mapAccess(f, in, in.Map, true)
	case *ssa.Lookup:
		if _, isMap := in.X.Type().Underlying().(*types.Map); isMap {
			m.mapAccess(f, in, in.X, false)
		}
	case *ssa.Range:
		if _, isMap := in.X.Type().Underlying().(*types.Map); isMap {
			m.mapAccess(f, in, in.X, false)
		}
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && len(in.Call.Args) > 0 {
			switch b.Name() {
			case "delete", "clear":
				if _, isMap := in.Call.Args[0].Type().Underlying().(*types.Map); isMap {
					m.mapAccess(f, in, in.Call.Args[0], true)
				}
			}
			return
		}
		cl := classifyCall(&in.Call)
		if (cl.kind == OpAtomicLoad || cl.kind == OpAtomicStore) && cl.recv != nil {
			m.memAccess(f, in, cl.recv, cl.kind == OpAtomicStore, true)
		}
	}
}

// memAccess records an access through the address addr.
func (m *Model) memAccess(f *Func, in ssa.Instruction, addr ssa.Value, write, atomic bool) {
	a := &Access{Write: write, Atomic: atomic}
	switch x := addr.(type) {
	case *ssa.FieldAddr:
		a.Var = structField(x.X.Type(), x.Field)
	case *ssa.Global:
		if obj, ok := x.Object().(*types.Var); ok {
			a.Var = obj
		}
	case *ssa.IndexAddr:
		// s.arr[i] = v: an access of the array field.
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			a.Var = structField(fa.X.Type(), fa.Field)
		}
	case *ssa.Alloc, *ssa.FreeVar:
		cell := m.cellOf(x)
		if cell == nil || !cell.Heap || !captured(cell) {
			return
		}
		a.Cell = cell
	default:
		return
	}
	if a.Var == nil && a.Cell == nil {
		return
	}
	if a.Var != nil && objKindOfType(a.Var.Type()) != ObjNone && !atomic {
		// Loading a sync object's address for a method call is not a data access.
		if _, isChan := a.Var.Type().Underlying().(*types.Chan); !isChan {
			return
		}
	}
	a.Path = m.pathOrInvalid(addr)
	m.addAccess(f, in, a)
}

// mapAccess records an access of the contents of the map m.
func (m *Model) mapAccess(f *Func, in ssa.Instruction, mv ssa.Value, write bool) {
	a := &Access{Map: true, Write: write}
	load, ok := mv.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return
	}
	switch x := load.X.(type) {
	case *ssa.FieldAddr:
		a.Var = structField(x.X.Type(), x.Field)
	case *ssa.Global:
		a.Var, _ = x.Object().(*types.Var)
	case *ssa.Alloc, *ssa.FreeVar:
		cell := m.cellOf(x)
		if cell == nil || !cell.Heap || !captured(cell) {
			return
		}
		a.Cell = cell
	}
	if a.Var == nil && a.Cell == nil {
		return
	}
	a.Path = m.pathOrInvalid(load.X)
	m.addAccess(f, in, a)
}

func (m *Model) addAccess(f *Func, in ssa.Instruction, a *Access) {
	if a.Var != nil {
		a.Var = a.Var.Origin()
	}
	a.Func, a.Instr = f, in
	a.Pos = in.Pos()
	if !a.Pos.IsValid() {
		if v, ok := in.(ssa.Value); ok {
			a.Pos = v.Pos()
		}
	}
	if !a.Pos.IsValid() {
		return // compiler-made: a parameter spilled to the cell a closure captures
	}
	if s := f.states[in]; s != nil {
		a.Held = s.heldList()
	}
	a.Held = append(a.Held, f.Requires...)
	if a.Path.Root.Kind == RootValue && a.Path.Root.Frame == f.SSA {
		switch a.Path.Root.Value.(type) {
		case *ssa.Alloc:
			a.Fresh = a.Cell == nil
		}
	}
	m.Accesses = append(m.Accesses, a)
}

// captured reports whether a local variable cell is shared with a closure.
func captured(a *ssa.Alloc) bool {
	refs := a.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.MakeClosure); ok {
			return true
		}
	}
	return false
}
