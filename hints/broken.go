package hints

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"
)

// maxStubRounds bounds withoutBrokenFuncs: each round stubs what the last
// type check found broken, and dropping a broken package-level variable can
// break the functions that use it, which the next round stubs.
const maxStubRounds = 4

// withoutBrokenFuncs returns the package's files with the body of every
// function that contains a syntax or type error, or an expression the type
// checker gave up on, replaced by a panic, and with the functions, variables,
// constants and types whose declarations are broken left out; type checked
// again, so that the rest of the package can be analysed. The SSA builder cannot build an
// expression without a type (it panics), so these must not reach it.
func (p *Package) withoutBrokenFuncs() (_ []*ast.File, _ *types.Package, _ *types.Info, left []string) {
	files, info, errs := p.Files, p.Info, p.Errors
	for range maxStubRounds {
		files = stubBroken(files, info, p.errorPositions(errs), &left)
		q := &Package{PkgPath: p.PkgPath, Fset: p.Fset, Sizes: p.Sizes, Module: p.Module, imports: p.imports}
		var tpkg *types.Package
		tpkg, info = q.check(files)
		// An import that cannot be resolved stays an error, and one used only
		// by stubbed functions becomes unused: neither stops the analysis.
		errs = slices.DeleteFunc(q.Errors, func(err error) bool { return inImports(files, errorPos(err)) })
		if len(errs) == 0 && tpkg != nil {
			return files, tpkg, info, left
		}
	}
	// Errors outside function bodies (type declarations, say) leave types
	// that SSA cannot build: analyse nothing rather than crash or mislead.
	return nil, nil, nil, nil
}

func inImports(files []*ast.File, pos token.Pos) bool {
	for _, f := range files {
		for _, imp := range f.Imports {
			if imp.Pos() <= pos && pos < imp.End() {
				return true
			}
		}
	}
	return false
}

func (p *Package) errorPositions(errs []error) []token.Pos {
	var bad []token.Pos
	for _, err := range errs {
		switch e := err.(type) {
		case types.Error:
			bad = append(bad, e.Pos)
		default:
			if pos := p.errorPosition(err); pos.IsValid() {
				bad = append(bad, pos)
			}
		}
	}
	return bad
}

// stubBroken returns copies of files without their broken functions and
// variables (see withoutBrokenFuncs), adding their names to left; info is the
// type information of files.
func stubBroken(files []*ast.File, info *types.Info, bad []token.Pos, left *[]string) []*ast.File {
	out := make([]*ast.File, len(files))
	for i, f := range files {
		nf := *f
		nf.Decls = make([]ast.Decl, 0, len(f.Decls))
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if untyped(info, decl.Type) || containsAny(decl.Type, bad) ||
					decl.Recv != nil && (untyped(info, decl.Recv) || containsAny(decl.Recv, bad)) {
					// A signature with a type that could not be typed
					// (*C.char), or one a previous round left out (a
					// method of a type defined from a C type): the
					// function goes, and its callers fail the next round.
					*left = append(*left, funcName(decl))
					continue
				}
				d := stubFunc(decl, info, bad)
				if d != decl {
					*left = append(*left, funcName(decl))
				}
				nf.Decls = append(nf.Decls, d)
			case *ast.GenDecl:
				if d := withoutBrokenSpecs(decl, info, bad, left); d != nil {
					nf.Decls = append(nf.Decls, d)
				}
			default:
				nf.Decls = append(nf.Decls, decl)
			}
		}
		out[i] = &nf
	}
	return out
}

func stubFunc(fd *ast.FuncDecl, info *types.Info, bad []token.Pos) ast.Decl {
	if fd.Body == nil {
		return fd
	}
	// A body the parser could not close has no valid end: its extent, and
	// so the errors inside it, are unknown.
	unclosed := !fd.Body.Rbrace.IsValid()
	if !unclosed && !containsAny(fd, bad) && !hasBadNode(fd.Body) && !untyped(info, fd.Body) {
		return fd
	}
	rbrace := fd.Body.Rbrace
	if unclosed {
		rbrace = fd.Body.Lbrace + 1
	}
	stub := *fd
	stub.Body = &ast.BlockStmt{Lbrace: fd.Body.Lbrace, Rbrace: rbrace, List: []ast.Stmt{
		&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent("panic"), Args: []ast.Expr{ast.NewIdent("nil")}}},
	}}
	return &stub
}

// withoutBrokenSpecs returns decl without the specs that are broken: a
// variable or constant whose type or value, or a type whose definition, has
// an error or an expression without a type (a cgo type, say). It returns nil
// if none is left. Their uses then fail to type-check, and the next round
// leaves those out.
func withoutBrokenSpecs(decl *ast.GenDecl, info *types.Info, bad []token.Pos, left *[]string) ast.Decl {
	if decl.Tok == token.IMPORT {
		return decl
	}
	broken := func(n ast.Node) bool {
		return n != nil && !reflect.ValueOf(n).IsNil() && (containsAny(n, bad) || hasBadNode(n) || untyped(info, n))
	}
	var keep []ast.Spec
	for _, spec := range decl.Specs {
		switch s := spec.(type) {
		case *ast.ValueSpec:
			bad := broken(s.Type)
			for _, v := range s.Values {
				bad = bad || broken(v)
			}
			if !bad {
				keep = append(keep, spec)
				continue
			}
			for _, n := range s.Names {
				*left = append(*left, n.Name)
			}
		case *ast.TypeSpec:
			if !broken(s.Type) && !broken(s.TypeParams) {
				keep = append(keep, spec)
				continue
			}
			*left = append(*left, s.Name.Name)
		default:
			keep = append(keep, spec)
		}
	}
	switch {
	case len(keep) == len(decl.Specs):
		return decl
	case len(keep) == 0:
		return nil
	}
	nd := *decl
	nd.Specs = keep
	if len(keep) > 1 && !nd.Lparen.IsValid() {
		nd.Lparen = decl.Pos()
	}
	return &nd
}

// funcName names a function as the source does: F, or T.M for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

func (p *Package) errorPosition(err error) token.Pos {
	msg := err.Error()
	// Parse errors and go/packages errors carry "file:line:col: msg".
	for i, name := range p.Filenames {
		if !strings.HasPrefix(msg, name+":") {
			continue
		}
		var line, col int
		if _, e := fmt.Sscanf(msg[len(name)+1:], "%d:%d", &line, &col); e != nil {
			continue
		}
		tf := p.Fset.File(p.Files[i].FileStart)
		if tf == nil || line < 1 || line > tf.LineCount() {
			continue
		}
		return tf.LineStart(line)
	}
	return token.NoPos
}

func containsAny(n ast.Node, positions []token.Pos) bool {
	for _, pos := range positions {
		if n.Pos() <= pos && pos < n.End() {
			return true
		}
	}
	return false
}

// untyped reports whether the type checker gave up on an expression of n.
// go/types records a type for every valid expression and omits invalid ones,
// except for identifiers (they are in Defs or Uses) and a few nodes that are
// not expressions with a value. An import it cannot resolve is reported once,
// and every use of that package's names afterwards silently has no type.
func untyped(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch e := n.(type) {
		case *ast.Ident, *ast.FuncType, *ast.KeyValueExpr, *ast.Ellipsis:
		case *ast.TypeAssertExpr:
			// x.(type) in a type switch has no type of its own.
			found = e.Type != nil && !hasType(info, e)
		case ast.Expr:
			found = !hasType(info, e)
		}
		return !found
	})
	return found
}

func hasType(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Type != types.Typ[types.Invalid]
}

func hasBadNode(n ast.Node) bool {
	bad := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.BadExpr, *ast.BadStmt, *ast.BadDecl:
			bad = true
		}
		return !bad
	})
	return bad
}

// UsesCgo reports whether a file of the package imports "C".
func (p *Package) UsesCgo() bool { return importsC(p.Files) }

func importsC(files []*ast.File) bool {
	for _, f := range files {
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}
