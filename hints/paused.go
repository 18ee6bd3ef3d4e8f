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

// funcName is the name of a function declaration as Go writes it in
// messages: Get, or (*Cache).Get.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	return "(" + types.ExprString(fd.Recv.List[0].Type) + ")." + fd.Name.Name
}
