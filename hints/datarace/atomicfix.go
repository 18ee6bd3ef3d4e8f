package datarace

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints/internal/analysisutil"
)

// The quick fix for a counter: a field or package variable that the
// package only increments, decrements, adds constants to and reads
// becomes a typed atomic of sync/atomic (atomic.Int64, ...), and every use
// its method: x.n++ is x.n.Add(1), a read x.n.Load(). Anything else the
// package does with it (an assignment, its address, a composite literal
// that sets it, a copy of the struct holding it, which would copy the
// atomic) and the fix is not offered: it must build and mean the same.

// typedAtomic is the sync/atomic type a basic integer type becomes, and
// the conversion that gives reads their old type back (int and uint have
// no atomic type of their own).
var typedAtomic = map[types.BasicKind]struct{ typ, conv string }{
	types.Int:     {"Int64", "int"},
	types.Uint:    {"Uint64", "uint"},
	types.Int32:   {"Int32", ""},
	types.Int64:   {"Int64", ""},
	types.Uint32:  {"Uint32", ""},
	types.Uint64:  {"Uint64", ""},
	types.Uintptr: {"Uintptr", ""},
}

// atomicFix rewrites counter v and every use of it, or reports false.
func atomicFix(pass *analysis.Pass, v *types.Var) (analysis.SuggestedFix, bool) {
	if v == nil || v.Exported() || v.Pkg() != pass.Pkg || v.Origin() != v {
		return analysis.SuggestedFix{}, false
	}
	basic, ok := v.Type().(*types.Basic) // the basic type itself, not a named one
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	to, ok := typedAtomic[basic.Kind()]
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	c := &counterRewrite{pass: pass, v: v, typ: to.typ, conv: to.conv, unsigned: basic.Info()&types.IsUnsigned != 0}
	if v.IsField() && !c.uncopied() || !c.rewrite() {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Change %s to atomic.%s and use its methods everywhere", v.Name(), to.typ),
		TextEdits: formatted(pass, c.edits),
	}, true
}

type counterRewrite struct {
	pass      *analysis.Pass
	v         *types.Var
	typ, conv string
	unsigned  bool
	edits     []analysis.TextEdit
}

// uncopied reports whether no value of the struct type declaring field
// v is ever copied in the package: a typed atomic must not be (go vet's
// copylocks). Only field selections, & of a value and &T{...} literals
// may mention such a value; no variable, field or element holds one, and
// the type has no value-receiver methods.
func (c *counterRewrite) uncopied() bool {
	var owner *types.Named
	for _, obj := range c.pass.TypesInfo.Defs {
		tn, ok := obj.(*types.TypeName)
		if !ok || tn.Pkg() != c.pass.Pkg {
			continue
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for i := range st.NumFields() {
				if st.Field(i) == c.v {
					owner, _ = tn.Type().(*types.Named)
				}
			}
		}
	}
	if owner == nil || owner.TypeParams().Len() > 0 || types.NewMethodSet(owner).Len() > 0 {
		return false
	}
	holds := func(t types.Type) bool {
		for {
			switch u := t.(type) {
			case *types.Array:
				t = u.Elem()
				continue
			case *types.Slice:
				t = u.Elem()
				continue
			}
			return types.Identical(t, owner)
		}
	}
	for _, obj := range c.pass.TypesInfo.Defs {
		if v, ok := obj.(*types.Var); ok && holds(v.Type()) {
			return false // a variable, parameter, result, field or element holding one
		}
	}
	ok := true
	for _, f := range c.pass.Files {
		inspect(f, func(stack []ast.Node) bool {
			e, isExpr := stack[len(stack)-1].(ast.Expr)
			if !ok || !isExpr || !types.Identical(c.pass.TypesInfo.TypeOf(e), owner) {
				return ok
			}
			if id, isID := e.(*ast.Ident); isID {
				if _, isType := c.pass.TypesInfo.ObjectOf(id).(*types.TypeName); isType {
					return true // the type's name
				}
			}
			if tv := c.pass.TypesInfo.Types[e]; tv.IsType() {
				return true // a type expression
			}
			switch p := stack[len(stack)-2].(type) {
			case *ast.SelectorExpr:
				if p.X == e {
					return true
				}
			case *ast.UnaryExpr:
				if p.Op == token.AND {
					if lit, isLit := e.(*ast.CompositeLit); isLit && unkeyed(lit) {
						ok = false // &T{1, 2} sets the field by position
					}
					return ok
				}
			case *ast.StarExpr, *ast.ParenExpr:
				return true // (*p).n: the parent decides
			}
			ok = false
			return false
		})
	}
	return ok
}

// inspect walks the syntax of n, calling visit with the path from n down
// to each node (the node last); visit returns whether to go into it.
func inspect(n ast.Node, visit func(stack []ast.Node) bool) {
	var stack []ast.Node
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if !visit(stack) {
			stack = stack[:len(stack)-1]
			return false
		}
		return true
	})
}

func unkeyed(lit *ast.CompositeLit) bool {
	for _, e := range lit.Elts {
		if _, ok := e.(*ast.KeyValueExpr); !ok {
			return true
		}
	}
	return false
}

// rewrite changes the declaration and every use, or reports false.
func (c *counterRewrite) rewrite() bool {
	var declFile *ast.File
	for _, f := range c.pass.Files {
		mentions := false
		ok := true
		inspect(f, func(stack []ast.Node) bool {
			id, isID := stack[len(stack)-1].(*ast.Ident)
			switch {
			case !ok || !isID:
			case c.pass.TypesInfo.Defs[id] == c.v:
				mentions, declFile = true, f
				ok = c.decl(f, stack)
			case c.pass.TypesInfo.Uses[id] == c.v:
				mentions = true
				ok = c.use(stack)
			}
			return ok
		})
		if !ok || mentions && !atLeast119(c.pass, f) {
			return false
		}
	}
	return declFile != nil && !c.testsMention(declFile) && c.importAtomic(declFile)
}

// testsMention reports whether a test file of the package that the pass
// does not include (the package analysed without its tests) mentions the
// name: the fix would not rewrite its uses, and the tests would no longer
// build.
func (c *counterRewrite) testsMention(f *ast.File) bool {
	dir := filepath.Dir(c.pass.Fset.File(f.Pos()).Name())
	seen := make(map[string]bool)
	for _, g := range c.pass.Files {
		seen[c.pass.Fset.File(g.Pos()).Name()] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(c.v.Name()) + `\b`)
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		if !strings.HasSuffix(name, "_test.go") || seen[name] {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		tf, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly)
		if err != nil || tf.Name.Name != c.pass.Pkg.Name() {
			continue // an external test package sees no unexported name
		}
		if word.Match(src) {
			return true
		}
	}
	return false
}

// atLeast119 reports whether f's Go version has typed atomics.
func atLeast119(pass *analysis.Pass, f *ast.File) bool {
	v := pass.TypesInfo.FileVersions[f]
	if v == "" {
		return true
	}
	var major, minor int
	fmt.Sscanf(v, "go%d.%d", &major, &minor)
	return major > 1 || minor >= 19
}

// decl changes the declared type: a field or a var of its own, without
// an initial value.
func (c *counterRewrite) decl(f *ast.File, stack []ast.Node) bool {
	if len(stack) < 2 {
		return false
	}
	var typ ast.Expr
	switch d := stack[len(stack)-2].(type) {
	case *ast.Field:
		if len(d.Names) != 1 {
			return false
		}
		typ = d.Type
	case *ast.ValueSpec:
		if len(d.Names) != 1 || len(d.Values) != 0 {
			return false
		}
		typ = d.Type
	}
	if typ == nil {
		return false
	}
	c.replace(typ.Pos(), typ.End(), atomicName(c.pass, f)+"."+c.typ)
	return true
}

// use rewrites one use, given the syntax from the file down to its name.
func (c *counterRewrite) use(stack []ast.Node) bool {
	i := len(stack) - 1
	var expr ast.Expr = stack[i].(*ast.Ident)
	if sel, ok := stack[i-1].(*ast.SelectorExpr); ok && sel.Sel == expr {
		i--
		expr = sel
	}
	for i > 0 {
		if p, ok := stack[i-1].(*ast.ParenExpr); ok {
			i--
			expr = p
			continue
		}
		break
	}
	if i == 0 {
		return false
	}
	src := c.text(ast.Unparen(expr))
	switch p := stack[i-1].(type) {
	case *ast.IncDecStmt:
		delta := "1"
		if p.Tok == token.DEC {
			delta = "-1"
			if c.unsigned {
				delta = "^" + c.word() + "(0)"
			}
		}
		c.replace(p.Pos(), p.End(), src+".Add("+delta+")")
		return true
	case *ast.AssignStmt:
		if !slices.Contains(p.Lhs, expr) {
			break // a read on the right
		}
		k := c.pass.TypesInfo.Types[p.Rhs[0]].Value
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 || k == nil || k.Kind() != constant.Int {
			return false // x.n = v, or += of what is not a constant
		}
		switch p.Tok {
		case token.ADD_ASSIGN:
			c.replace(p.Pos(), p.End(), src+".Add("+k.ExactString()+")")
		case token.SUB_ASSIGN:
			if c.unsigned {
				return false
			}
			c.replace(p.Pos(), p.End(), src+".Add("+constant.UnaryOp(token.SUB, k, 0).ExactString()+")")
		default:
			return false
		}
		return true
	case *ast.UnaryExpr:
		if p.Op == token.AND {
			return false // its address
		}
	case *ast.KeyValueExpr:
		if p.Key == expr {
			return false // T{n: 1}: a typed atomic has no literal
		}
	case *ast.RangeStmt:
		if p.Key == expr || p.Value == expr {
			return false
		}
	}
	read := src + ".Load()"
	if c.conv != "" {
		read = c.conv + "(" + read + ")"
	}
	c.replace(expr.Pos(), expr.End(), read)
	return true
}

// word is the unsigned basic type of the atomic's methods.
func (c *counterRewrite) word() string {
	switch c.typ {
	case "Uint32":
		return "uint32"
	case "Uintptr":
		return "uintptr"
	}
	return "uint64"
}

// importAtomic makes sync/atomic available in f, unless the name is taken.
func (c *counterRewrite) importAtomic(f *ast.File) bool {
	for _, spec := range f.Imports {
		if spec.Path.Value == `"sync/atomic"` {
			return spec.Name == nil || spec.Name.Name != "_" && spec.Name.Name != "."
		}
	}
	if c.pass.Pkg.Scope().Lookup("atomic") != nil {
		return false // a package-level name atomic would shadow the import
	}
	var last *ast.GenDecl
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			last = gd
		}
	}
	switch {
	case last == nil:
		c.replace(f.Name.End(), f.Name.End(), "\n\nimport \"sync/atomic\"")
	case last.Lparen.IsValid() && len(last.Specs) > 0:
		// In order, before the first path that sorts after it.
		for _, spec := range last.Specs {
			if spec.(*ast.ImportSpec).Path.Value > `"sync/atomic"` {
				c.replace(spec.Pos(), spec.Pos(), "\"sync/atomic\"\n\t")
				return true
			}
		}
		spec := last.Specs[len(last.Specs)-1]
		c.replace(spec.End(), spec.End(), "\n\t\"sync/atomic\"")
	default: // import "x": another declaration
		c.replace(last.End(), last.End(), "\n\nimport \"sync/atomic\"")
	}
	return true
}

// atomicName is the name sync/atomic has (or will have) in f.
func atomicName(pass *analysis.Pass, f *ast.File) string {
	for _, spec := range f.Imports {
		if spec.Path.Value == `"sync/atomic"` && spec.Name != nil {
			return spec.Name.Name
		}
	}
	return "atomic"
}

func (c *counterRewrite) replace(pos, end token.Pos, text string) {
	c.edits = append(c.edits, analysis.TextEdit{Pos: pos, End: end, NewText: []byte(text)})
}

// text is the source of an expression as written.
func (c *counterRewrite) text(e ast.Expr) string { return analysisutil.Source(c.pass, e) }
