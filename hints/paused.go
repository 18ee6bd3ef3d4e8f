package hints

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Paused is a function left out of the analysis because it does not
// type-check, typically while it is being edited: its warnings are not
// reported until it compiles again. Editors say so rather than let the
// warnings vanish without a word.
type Paused struct {
	Func     string         // "Get", or "(*Cache).Get" for a method
	Pos, End token.Position // its name
}

// concurrencyPackages are the packages whose use makes a function one that
// synclens checks.
var concurrencyPackages = map[string]bool{
	"sync":                           true,
	"sync/atomic":                    true,
	"context":                        true,
	"golang.org/x/sync/errgroup":     true,
	"golang.org/x/sync/semaphore":    true,
	"golang.org/x/sync/singleflight": true,
}

// usesConcurrency reports whether body starts goroutines, uses channels or
// select, or names something of the sync, atomic, context or x/sync
// packages, judged from the types the checker could still give it.
func usesConcurrency(body *ast.BlockStmt, info *types.Info) bool {
	if info == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt, *ast.SelectStmt, *ast.SendStmt, *ast.ChanType:
			found = true
		case *ast.UnaryExpr:
			found = n.Op == token.ARROW
		case *ast.Ident:
			if obj := info.Uses[n]; obj != nil && obj.Pkg() != nil && concurrencyPackages[obj.Pkg().Path()] {
				found = true
			}
		case ast.Expr:
			if tv, ok := info.Types[n]; ok && tv.Type != nil {
				_, found = tv.Type.Underlying().(*types.Chan)
			}
		}
		return !found
	})
	return found
}

// paused lists the functions of the package that use concurrency and
// that withoutBrokenFuncs stubbed out in files (their bodies became a
// panic).
func (p *Package) paused(files []*ast.File) []Paused {
	var out []Paused
	for i, f := range p.Files {
		if i >= len(files) || files == nil {
			break
		}
		stubbed := map[token.Pos]bool{}
		for _, d := range files[i].Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && len(fd.Body.List) == 1 && isPanicNil(fd.Body.List[0]) {
				stubbed[fd.Name.Pos()] = true
			}
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !usesConcurrency(fd.Body, p.Info) {
				continue
			}
			if stubbed[fd.Name.Pos()] && !isStub(fd) {
				out = append(out, Paused{Func: goName(fd), Pos: p.Fset.Position(fd.Name.Pos()), End: p.Fset.Position(fd.Name.End())})
			}
		}
	}
	return out
}

func isStub(fd *ast.FuncDecl) bool { return len(fd.Body.List) == 1 && isPanicNil(fd.Body.List[0]) }

func isPanicNil(s ast.Stmt) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	fn, ok1 := call.Fun.(*ast.Ident)
	arg, ok2 := call.Args[0].(*ast.Ident)
	return ok1 && ok2 && fn.Name == "panic" && arg.Name == "nil"
}

// goName is the name of a function declaration as Go writes it in
// messages: Get, or (*Cache).Get.
func goName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	return "(" + types.ExprString(fd.Recv.List[0].Type) + ")." + fd.Name.Name
}
