package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Path names a synchronization object or a memory location the way the
// code reaches it: a root (a parameter, a package variable or a value made in
// a function) followed by field selections. Two operations on equal paths in
// the same goroutine act on the same object; this is the identity that lets
// s.mu in two methods be one lock.
//
// Free variables of closures are resolved through their MakeClosure binding,
// so a closure's s.mu is the same path as its parent's s.mu.
type Path struct {
	Root   Root
	Fields []*types.Var // field selections, each the generic origin
	// Elem is set when the path goes through a slice, array or map element:
	// such a path names one of many objects, never a proven single instance.
	Elem bool
	// elems says where the element selections are, for Name: identity
	// (Key) only needs Elem, but a name must put the index where the source
	// does (s.mu.replicas[id].raftMu).
	elems []elemStep
	// alias is the local variable through which the source reaches the
	// path: it stands for the root, the first aliasFields fields and the
	// first aliasElems element selections ("c := s.conn; c.mu" is s.conn.mu
	// to the model, and c.mu to the reader).
	alias                   string
	aliasFields, aliasElems int
}

// elemStep is an element selection of a path: x[index] after the first at
// fields.
type elemStep struct {
	at    int
	index ssa.Value
	pos   token.Pos // the '[' of the index expression, when explicit
	frame *ssa.Function
}

// withElem returns p followed by an element selection [index] at pos.
func (p Path) withElem(index ssa.Value, pos token.Pos, frame *ssa.Function) Path {
	p.Elem = true
	p.elems = append(append([]elemStep(nil), p.elems...), elemStep{at: len(p.Fields), index: index, pos: pos, frame: frame})
	return p
}

// aliased returns p reached through the local variable name.
func (p Path) aliased(name string) Path {
	p.alias, p.aliasFields, p.aliasElems = name, len(p.Fields), len(p.elems)
	return p
}

// Aliased reports whether Name spells p through a local variable of its
// function (c.mu for s.conn.mu), a name that means nothing elsewhere.
func (p Path) Aliased() bool { return p.alias != "" }

// shiftElems returns the element selections of p moved by d fields,
// leaving out those before the first field kept.
func (p Path) shiftElems(d int) []elemStep {
	var out []elemStep
	for _, e := range p.elems {
		if e.at+d >= 0 {
			e.at += d
			out = append(out, e)
		}
	}
	return out
}

// RootKind says what a path starts from.
type RootKind uint8

const (
	RootParam  RootKind = iota + 1 // a parameter (or receiver) of Root.Frame
	RootGlobal                     // a package-level variable
	RootValue                      // a value made inside Root.Frame: a local variable, make(...), a call result
)

// Root is the start of a Path.
type Root struct {
	Kind   RootKind
	Frame  *ssa.Function // the function whose frame holds the root (nil for globals)
	Param  int           // index into Frame.Params, for RootParam
	Global *ssa.Global   // for RootGlobal
	Value  ssa.Value     // for RootValue
}

// Valid reports whether p names something.
func (p Path) Valid() bool { return p.Root.Kind != 0 }

// Key is a comparable identity for a path (valid within one model).
func (p Path) Key() Key {
	var b strings.Builder
	switch p.Root.Kind {
	case RootParam:
		b.WriteString("P")
		b.WriteString(funcID(p.Root.Frame))
		b.WriteByte('#')
		b.WriteString(strconv.Itoa(p.Root.Param))
	case RootGlobal:
		b.WriteString("G")
		b.WriteString(p.Root.Global.RelString(nil))
	case RootValue:
		b.WriteString("V")
		b.WriteString(funcID(p.Root.Frame))
		b.WriteByte('#')
		b.WriteString(p.Root.Value.Name())
	}
	for _, f := range p.Fields {
		b.WriteByte('.')
		b.WriteString(fieldID(f))
	}
	if p.Elem {
		b.WriteString("[]")
	}
	return Key(b.String())
}

// Key identifies a Path; see Path.Key.
type Key string

// ClassKey is the identity of a path modulo its root: the last field with the
// type that declares it (T.mu), or the variable for globals. Paths of the same
// class may be different instances; a class only aggregates facts across
// functions (which fields a lock guards, lock order between types).
type ClassKey string

// Class returns the class of p, or "" when p has no class that is stable
// across functions (a bare parameter or local value without fields).
func (p Path) Class() ClassKey {
	if n := len(p.Fields); n > 0 {
		return ClassKey(FieldClass(p.Fields[n-1]))
	}
	switch p.Root.Kind {
	case RootGlobal:
		return ClassKey(p.Root.Global.RelString(nil))
	case RootValue:
		if a, ok := p.Root.Value.(*ssa.Alloc); ok {
			return ClassKey("local " + funcID(p.Root.Frame) + "#" + a.Name())
		}
	}
	return ""
}

// FieldClass names a field as Owner.field, Owner being the named struct type
// that declares it (origin of generic types), with the package path.
func FieldClass(f *types.Var) string {
	return fieldID(f)
}

// extend returns p followed by field f.
func (p Path) extend(f *types.Var) Path {
	fields := make([]*types.Var, len(p.Fields), len(p.Fields)+1)
	copy(fields, p.Fields)
	q := p
	q.Fields = append(fields, f.Origin())
	return q
}

// rebase replaces the root of p (a RootParam of the callee) by the path base
// (the caller's argument).
func (p Path) rebase(base Path) Path {
	fields := make([]*types.Var, 0, len(base.Fields)+len(p.Fields))
	fields = append(fields, base.Fields...)
	fields = append(fields, p.Fields...)
	elems := append(append([]elemStep(nil), base.elems...), p.shiftElems(len(base.Fields))...)
	// base's alias still holds in its frame; p's was a local of the callee.
	return Path{Root: base.Root, Fields: fields, Elem: base.Elem || p.Elem, elems: elems,
		alias: base.alias, aliasFields: base.aliasFields, aliasElems: base.aliasElems}
}

// Name renders the path the way the source spells it: s.mu, cacheMu,
// c.inner.lock, s.mu.replicas[id].raftMu. Embedded fields are left out, since
// the source reaches their methods through the outer value (s.Lock() for an
// embedded sync.Mutex). An element whose index the source does not spell
// (a range loop's) is described: "the raftMu of an element of s.replicas".
func (p Path) Name() string {
	var b strings.Builder
	fields, elems, first := p.Fields, p.elems, 0
	if p.alias != "" {
		b.WriteString(p.alias)
		first, elems = p.aliasFields, elems[p.aliasElems:]
	} else {
		switch p.Root.Kind {
		case RootParam:
			b.WriteString(p.Root.Frame.Params[p.Root.Param].Name())
		case RootGlobal:
			b.WriteString(p.Root.Global.Name())
		case RootValue:
			b.WriteString(valueName(p.Root.Value))
		}
	}
	index := func(at int) bool {
		for len(elems) > 0 && elems[0].at == at {
			s := elems[0].text()
			if s == "" {
				return false
			}
			b.WriteString("[" + s + "]")
			elems = elems[1:]
		}
		return true
	}
	for i := first; i < len(fields); i++ {
		f := fields[i]
		if !index(i) {
			return describeElem(b.String(), fields[i:])
		}
		if f.Embedded() && i == len(fields)-1 && b.Len() > 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.Name())
	}
	if !index(len(fields)) {
		return describeElem(b.String(), nil)
	}
	if p.Elem && len(p.elems) == 0 {
		return describeElem(b.String(), nil) // a path made without its steps
	}
	return b.String()
}

// describeElem names the rest of a path below an element of prefix whose
// index has no source spelling.
func describeElem(prefix string, rest []*types.Var) string {
	var names []string
	for i, f := range rest {
		if f.Embedded() && i == len(rest)-1 && len(names) > 0 {
			continue
		}
		names = append(names, f.Name())
	}
	if len(names) == 0 {
		return "an element of " + prefix
	}
	return "the " + strings.Join(names, ".") + " of an element of " + prefix
}

// text is the index as the source writes it, or "".
func (e elemStep) text() string {
	if c, ok := e.index.(*ssa.Const); ok && c.Value != nil {
		return c.Value.ExactString()
	}
	if e.pos.IsValid() && e.frame != nil && e.frame.Syntax() != nil {
		var found ast.Expr
		ast.Inspect(e.frame.Syntax(), func(n ast.Node) bool {
			if found != nil {
				return false
			}
			if n != nil && (n.Pos() > e.pos || n.End() <= e.pos) {
				return false
			}
			if ix, ok := n.(*ast.IndexExpr); ok && ix.Lbrack == e.pos {
				found = ix.Index
			}
			return true
		})
		if found != nil {
			if s := types.ExprString(found); len(s) <= 30 {
				return s
			}
		}
	}
	switch v := e.index.(type) {
	case *ssa.Parameter:
		return v.Name()
	}
	if refs := e.index.Referrers(); refs != nil {
		for _, r := range *refs {
			if d, ok := r.(*ssa.DebugRef); ok && d.Object() != nil {
				return d.Object().Name()
			}
		}
	}
	return ""
}

// valueName gives a source-like name for a value made in a function.
func valueName(v ssa.Value) string {
	if p, ok := v.(*ssa.Parameter); ok {
		return p.Name()
	}
	// Find a local variable the value was assigned to, through the
	// debug references the builder records in GlobalDebug mode.
	if refs := v.Referrers(); refs != nil {
		for _, r := range *refs {
			if d, ok := r.(*ssa.DebugRef); ok && d.Object() != nil {
				return d.Object().Name()
			}
		}
	}
	switch v := v.(type) {
	case *ssa.Alloc:
		if v.Comment != "" {
			return v.Comment
		}
	case *ssa.MakeChan:
		return "channel made at line " + lineOf(v)
	case *ssa.Call:
		if v.Call.IsInvoke() {
			return localName(v.Call.Value) + "." + v.Call.Method.Name() + "()"
		}
		if callee := v.Call.StaticCallee(); callee != nil {
			return callee.Name() + "()"
		}
	}
	return "value made at line " + lineOf(v)
}

// localName names a parameter, captured variable or local variable value.
func localName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.Alloc:
		return v.Comment
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return localName(v.X)
		}
	}
	return "?"
}

func lineOf(v ssa.Value) string {
	fn := v.Parent()
	if fn == nil || !v.Pos().IsValid() {
		return "?"
	}
	return strconv.Itoa(fn.Prog.Fset.Position(v.Pos()).Line)
}

// funcID is a stable identifier of a function within its program.
func funcID(fn *ssa.Function) string {
	if fn == nil {
		return "-"
	}
	return fn.String()
}

func fieldID(f *types.Var) string {
	f = f.Origin()
	owner := ""
	if f.Pkg() != nil {
		owner = f.Pkg().Path() + "."
	}
	// The declaring struct has no direct link from the field; use the
	// position of the field declaration to keep distinct fields apart.
	return owner + f.Name() + "@" + strconv.Itoa(int(f.Pos()))
}
