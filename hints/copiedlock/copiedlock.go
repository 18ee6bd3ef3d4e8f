package copiedlock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/synclens/synclens/hints/internal/analysisutil"
)

//go:embed doc.go
var doc string

// Analyzer offers pointer receivers and parameters where a lock is copied.
// Its diagnostics carry only a quick fix: the registry marks the check
// FixOnly, and drivers show the fix as a code action on vet's copylocks
// diagnostic rather than a warning of their own.
var Analyzer = &analysis.Analyzer{
	Name:     "copiedlock",
	Doc:      analysisutil.MustExtractDoc(doc, "copiedlock"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#copiedlock",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil)}, func(n ast.Node) {
		decl := n.(*ast.FuncDecl)
		if decl.Recv != nil && len(decl.Recv.List) == 1 {
			field := decl.Recv.List[0]
			if path := lockPath(pass.TypesInfo.TypeOf(field.Type)); path != "" {
				receiver(pass, decl, field, path)
			}
		}
		if decl.Type.Params == nil {
			return
		}
		for _, field := range decl.Type.Params.List {
			if path := lockPath(pass.TypesInfo.TypeOf(field.Type)); path != "" {
				parameter(pass, decl, field, path)
			}
		}
	})
	return nil, nil
}

// lockPath says which lock a type carries by value ("Counter contains
// sync.Mutex"), or "" (the same rule as vet's copylocks).
func lockPath(t types.Type) string {
	return lockPathSeen(t, make(map[types.Type]bool))
}

func lockPathSeen(t types.Type, seen map[types.Type]bool) string {
	if t == nil || seen[t] {
		return ""
	}
	seen[t] = true
	if _, isTP := types.Unalias(t).(*types.TypeParam); isTP {
		return ""
	}
	for {
		a, ok := t.Underlying().(*types.Array)
		if !ok {
			break
		}
		t = a.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	if types.Implements(types.NewPointer(t), lockerType) && !types.Implements(t, lockerType) {
		return t.String()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "noCopy" {
		return t.String()
	}
	for i := range st.NumFields() {
		if sub := lockPathSeen(st.Field(i).Type(), seen); sub != "" {
			return t.String() + " contains " + sub
		}
	}
	return ""
}

var lockerType = types.NewInterfaceType([]*types.Func{
	types.NewFunc(token.NoPos, nil, "Lock", types.NewSignatureType(nil, nil, nil, nil, nil, false)),
	types.NewFunc(token.NoPos, nil, "Unlock", types.NewSignatureType(nil, nil, nil, nil, nil, false)),
}, nil).Complete()

// interfaceMethods are methods whose value receiver usually serves an
// interface that values of the type are passed as (fmt, encoding): a
// pointer receiver would change what those values print or encode.
var interfaceMethods = map[string]bool{
	"String": true, "Error": true, "GoString": true, "Format": true,
	"MarshalJSON": true, "MarshalText": true, "MarshalBinary": true, "MarshalXML": true,
}

// receiver offers func (r *T) for func (r T).
func receiver(pass *analysis.Pass, decl *ast.FuncDecl, field *ast.Field, path string) {
	fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok || interfaceMethods[fn.Name()] {
		return
	}
	recvT := pass.TypesInfo.TypeOf(field.Type)
	if !callsAddressable(pass, fn) || valueAsInterface(pass, recvT, fn) {
		return
	}
	edits := []analysis.TextEdit{{Pos: field.Type.Pos(), End: field.Type.Pos(), NewText: []byte("*")}}
	if len(field.Names) == 1 && decl.Body != nil {
		if r, ok := pass.TypesInfo.Defs[field.Names[0]].(*types.Var); ok {
			uses, ok := rewriteUses(pass, decl.Body, r)
			if !ok {
				return
			}
			edits = append(edits, uses...)
		}
	}
	typ := analysisutil.Format(pass.Fset, field.Type)
	pass.Report(analysis.Diagnostic{
		Pos:      field.Type.Pos(),
		End:      field.Type.End(),
		Category: "copiedlock",
		Message:  fmt.Sprintf("%s passes lock by value: %s", decl.Name.Name, path),
		SuggestedFixes: []analysis.SuggestedFix{{
			Message:   fmt.Sprintf("Use a pointer receiver (*%s) so that %s does not copy the lock", typ, decl.Name.Name),
			TextEdits: edits,
		}},
	})
}

// callsAddressable reports whether every use of method fn in the package
// is a call on an addressable value or on a pointer (so that x.M() still
// compiles once M has a pointer receiver), and no method expression T.M
// names it.
func callsAddressable(pass *analysis.Pass, fn *types.Func) bool {
	ok := true
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			sel, isSel := n.(*ast.SelectorExpr)
			if !isSel || !ok {
				return ok
			}
			s := pass.TypesInfo.Selections[sel]
			if s == nil || s.Obj() != fn {
				return true
			}
			switch s.Kind() {
			case types.MethodExpr:
				ok = false
			case types.MethodVal:
				if _, isPtr := s.Recv().Underlying().(*types.Pointer); isPtr {
					return true
				}
				if !addressable(pass.TypesInfo, sel.X) {
					ok = false
				}
			}
			return true
		})
	}
	return ok
}

// addressable reports whether e is addressable (a variable, a field of an
// addressable struct or of a pointer, a slice element, a dereference).
func addressable(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		_, isVar := info.Uses[e].(*types.Var)
		return isVar
	case *ast.SelectorExpr:
		if s := info.Selections[e]; s != nil && s.Kind() == types.FieldVal {
			if _, isPtr := info.TypeOf(e.X).Underlying().(*types.Pointer); isPtr {
				return true
			}
			return addressable(info, e.X)
		}
		// A package-qualified variable.
		_, isVar := info.Uses[e.Sel].(*types.Var)
		return isVar
	case *ast.IndexExpr:
		switch info.TypeOf(e.X).Underlying().(type) {
		case *types.Slice:
			return true
		case *types.Array:
			return addressable(info, e.X)
		case *types.Pointer:
			return true
		}
	case *ast.StarExpr:
		return true
	}
	return false
}

// valueAsInterface reports whether a value of type t (not a pointer) is
// converted, in the package, to an interface that has method fn: with a
// pointer receiver it would no longer implement it.
func valueAsInterface(pass *analysis.Pass, t types.Type, fn *types.Func) bool {
	found := false
	check := func(e ast.Expr, target types.Type) {
		if found || e == nil || target == nil {
			return
		}
		iface, ok := target.Underlying().(*types.Interface)
		if !ok || !types.Identical(pass.TypesInfo.TypeOf(e), t) {
			return
		}
		for i := range iface.NumMethods() {
			if iface.Method(i).Name() == fn.Name() {
				found = true
			}
		}
		if iface.NumMethods() == 0 {
			return
		}
	}
	for _, f := range pass.Files {
		var results []*types.Tuple
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if sig, ok := pass.TypesInfo.TypeOf(n.Name).(*types.Signature); ok {
					results = append(results[:0], sig.Results())
				}
			case *ast.CallExpr:
				if sig, ok := pass.TypesInfo.TypeOf(n.Fun).Underlying().(*types.Signature); ok {
					for i, a := range n.Args {
						if p := paramType(sig, i); p != nil {
							check(a, p)
						}
					}
				} else if tv, ok := pass.TypesInfo.Types[n.Fun]; ok && tv.IsType() && len(n.Args) == 1 {
					check(n.Args[0], tv.Type) // a conversion
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						check(n.Rhs[i], pass.TypesInfo.TypeOf(n.Lhs[i]))
					}
				}
			case *ast.ValueSpec:
				if n.Type != nil {
					for _, v := range n.Values {
						check(v, pass.TypesInfo.TypeOf(n.Type))
					}
				}
			case *ast.ReturnStmt:
				if len(results) > 0 && results[0] != nil && results[0].Len() == len(n.Results) {
					for i, r := range n.Results {
						check(r, results[0].At(i).Type())
					}
				}
			case *ast.CompositeLit:
				ct := pass.TypesInfo.TypeOf(n)
				if ct == nil {
					return true
				}
				for i, el := range n.Elts {
					switch u := ct.Underlying().(type) {
					case *types.Slice:
						check(valueOf(el), u.Elem())
					case *types.Array:
						check(valueOf(el), u.Elem())
					case *types.Map:
						check(valueOf(el), u.Elem())
					case *types.Struct:
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if id, ok := kv.Key.(*ast.Ident); ok {
								if fv, ok := pass.TypesInfo.Uses[id].(*types.Var); ok {
									check(kv.Value, fv.Type())
								}
							}
						} else if i < u.NumFields() {
							check(el, u.Field(i).Type())
						}
					}
				}
			}
			return !found
		})
	}
	return found
}

func valueOf(e ast.Expr) ast.Expr {
	if kv, ok := e.(*ast.KeyValueExpr); ok {
		return kv.Value
	}
	return e
}

func paramType(sig *types.Signature, i int) types.Type {
	n := sig.Params().Len()
	if n == 0 {
		return nil
	}
	if sig.Variadic() && i >= n-1 {
		if s, ok := sig.Params().At(n - 1).Type().(*types.Slice); ok {
			return s.Elem()
		}
		return nil
	}
	if i < n {
		return sig.Params().At(i).Type()
	}
	return nil
}

// rewriteUses rewrites the uses of v in body for v becoming a pointer:
// selectors (v.f, v.M()) work through it; &v becomes v; anything else
// would need *v and stops the fix.
func rewriteUses(pass *analysis.Pass, body *ast.BlockStmt, v *types.Var) ([]analysis.TextEdit, bool) {
	var edits []analysis.TextEdit
	ok := true
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !isID || pass.TypesInfo.Uses[id] != v {
			return true
		}
		if len(stack) < 2 {
			ok = false
			return true
		}
		switch parent := stack[len(stack)-2].(type) {
		case *ast.SelectorExpr:
			if parent.X != id {
				ok = false
			}
		case *ast.UnaryExpr:
			if parent.Op == token.AND {
				edits = append(edits, analysis.TextEdit{Pos: parent.Pos(), End: id.Pos()})
			} else {
				ok = false
			}
		default:
			ok = false
		}
		return true
	})
	return edits, ok
}

// parameter offers f(p *T) for f(p T) on unexported plain functions, with
// the uses of p and the calls of f rewritten.
func parameter(pass *analysis.Pass, decl *ast.FuncDecl, field *ast.Field, path string) {
	fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok || decl.Recv != nil || fn.Exported() || decl.Body == nil || len(field.Names) != 1 {
		return
	}
	p, ok := pass.TypesInfo.Defs[field.Names[0]].(*types.Var)
	if !ok || p.Name() == "_" {
		return
	}
	index := paramIndex(decl, field)
	edits := []analysis.TextEdit{{Pos: field.Type.Pos(), End: field.Type.Pos(), NewText: []byte("*")}}
	uses, okUses := rewriteUses(pass, decl.Body, p)
	if !okUses {
		return
	}
	edits = append(edits, uses...)
	// Calls: f(x) becomes f(&x); f(*q) becomes f(q); any other use of f
	// (a function value) keeps the old signature and stops the fix.
	okCalls := true
	for _, file := range pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if id := calleeIdent(n.Fun); id != nil && pass.TypesInfo.Uses[id] == fn {
					if index >= len(n.Args) {
						okCalls = false
						return true
					}
					arg := ast.Unparen(n.Args[index])
					switch {
					case isStar(arg):
						star := arg.(*ast.StarExpr)
						edits = append(edits, analysis.TextEdit{Pos: star.Pos(), End: star.X.Pos()})
					case addressable(pass.TypesInfo, arg):
						edits = append(edits, analysis.TextEdit{Pos: arg.Pos(), End: arg.Pos(), NewText: []byte("&")})
					case isCompositeLit(arg):
						edits = append(edits, analysis.TextEdit{Pos: arg.Pos(), End: arg.Pos(), NewText: []byte("&")})
					default:
						okCalls = false
					}
					for _, a := range n.Args {
						ast.Inspect(a, func(x ast.Node) bool { return visitUse(pass, fn, x, &okCalls) })
					}
					return false
				}
			case *ast.Ident:
				if pass.TypesInfo.Uses[n] == fn {
					okCalls = false // used as a value
				}
			}
			return okCalls
		})
	}
	if !okCalls {
		return
	}
	typ := analysisutil.Format(pass.Fset, field.Type)
	pass.Report(analysis.Diagnostic{
		Pos:      field.Type.Pos(),
		End:      field.Type.End(),
		Category: "copiedlock",
		Message:  fmt.Sprintf("%s passes lock by value: %s", decl.Name.Name, path),
		SuggestedFixes: []analysis.SuggestedFix{{
			Message:   fmt.Sprintf("Pass %s as *%s so that %s uses the caller's lock", p.Name(), typ, decl.Name.Name),
			TextEdits: edits,
		}},
	})
}

func visitUse(pass *analysis.Pass, fn *types.Func, n ast.Node, ok *bool) bool {
	if id, isID := n.(*ast.Ident); isID && pass.TypesInfo.Uses[id] == fn {
		*ok = false
	}
	return *ok
}

func paramIndex(decl *ast.FuncDecl, field *ast.Field) int {
	i := 0
	for _, f := range decl.Type.Params.List {
		if f == field {
			return i
		}
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		i += n
	}
	return -1
}

func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.IndexExpr: // f[T](x)
		return calleeIdent(e.X)
	case *ast.IndexListExpr:
		return calleeIdent(e.X)
	}
	return nil
}

func isStar(e ast.Expr) bool {
	_, ok := e.(*ast.StarExpr)
	return ok
}

func isCompositeLit(e ast.Expr) bool {
	_, ok := e.(*ast.CompositeLit)
	return ok
}
