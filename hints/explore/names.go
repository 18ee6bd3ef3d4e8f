package explore

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// name is how the source spells the object v holds, for the witness: a
// variable, a field path, ctx.Done(); "" when there is no good name.
func (e *engine) name(v ssa.Value) string {
	switch v := v.(type) {
	case nil:
		return "" // a call with no receiver argument (a bound method value)
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
		return v.Name()
	case *ssa.Alloc:
		if v.Comment != "" {
			return v.Comment
		}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return e.name(v.X)
		}
	case *ssa.FieldAddr:
		if st, ok := deref(v.X.Type()).Underlying().(*types.Struct); ok {
			if base := e.name(v.X); base != "" {
				return base + "." + st.Field(v.Field).Name()
			}
			return st.Field(v.Field).Name()
		}
	case *ssa.Field:
		if st, ok := v.X.Type().Underlying().(*types.Struct); ok {
			if base := e.name(v.X); base != "" {
				return base + "." + st.Field(v.Field).Name()
			}
		}
	case *ssa.Call:
		if c := v.Common(); c.IsInvoke() && c.Method.Name() == "Done" {
			if base := e.name(c.Value); base != "" {
				return base + ".Done()"
			}
		}
	case *ssa.ChangeType:
		return e.name(v.X)
	case *ssa.MakeInterface:
		return e.name(v.X)
	}
	return e.debugName(v)
}

// debugName is the local variable the source assigns v to, from the
// function's debug references.
func (e *engine) debugName(v ssa.Value) string {
	fn := v.Parent()
	if fn == nil {
		return ""
	}
	names, ok := e.names[fn]
	if !ok {
		names = make(map[ssa.Value]string)
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if d, ok := in.(*ssa.DebugRef); ok {
					if id, ok := ast.Unparen(d.Expr).(*ast.Ident); ok && names[d.X] == "" {
						names[d.X] = id.Name
					}
				}
			}
		}
		e.names[fn] = names
	}
	return names[v]
}

// on is " on x" (or the preposition given) when v has a name.
func (e *engine) on(prep string, v ssa.Value) string {
	n := e.name(v)
	switch {
	case n == "":
		return ""
	case prep == "":
		return " " + n
	}
	return " " + prep + " " + n
}
