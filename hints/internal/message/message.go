// Package message renders the parts that the checks' messages share: where
// a position is relative to the report, the name of a lock or callee as the
// source spells it, call chains, counts and returns.
package message

import (
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

// ChainText renders a call chain as "load (line 40) → get (line 52)", for a
// message reported at pos.
func ChainText(pass *analysis.Pass, chain []*model.CallSite, at token.Pos) string {
	parts := make([]string, len(chain))
	for i, cs := range chain {
		parts[i] = fmt.Sprintf("%s (%s)", CallName(pass, cs), Where(pass, cs.Pos, at))
	}
	return strings.Join(parts, " → ")
}

// Where renders pos for a message reported at at: "line 40" in the same
// file, "cache.go:40" in another.
func Where(pass *analysis.Pass, pos, at token.Pos) string {
	p, a := pass.Fset.Position(pos), pass.Fset.Position(at)
	if p.Filename == a.Filename {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// CallName names the function a call site calls, as the source spells it
// (s.load, report, fn).
func CallName(pass *analysis.Pass, cs *model.CallSite) string {
	if call, _ := analysisutil.CallAt(pass, cs.Pos); call != nil {
		fun := ast.Unparen(call.Fun)
		if ix, ok := fun.(*ast.IndexExpr); ok {
			fun = ix.X
		} else if ix, ok := fun.(*ast.IndexListExpr); ok {
			fun = ix.X
		}
		if _, lit := fun.(*ast.FuncLit); lit {
			return "a func literal"
		}
		if s := analysisutil.Format(pass.Fset, fun); s != "" && len(s) <= 40 {
			return s
		}
	}
	return cs.Callee.SSA.Name()
}

// LockName is the lock of op as the source spells it at the call (s.mu, or
// s for an embedded mutex).
func LockName(pass *analysis.Pass, op *model.Op) string {
	if call, _ := analysisutil.CallAt(pass, op.Pos); call != nil {
		if recv := analysisutil.Receiver(call); recv != nil {
			if s := analysisutil.Format(pass.Fset, recv); s != "" && len(s) <= 40 {
				return s
			}
		}
	}
	return op.Path.Name()
}

// ReturnAt says where return instruction ret is, for a message reported at
// at, to follow "returns": "at line 22" for a return statement, and for a
// path that falls off the end of its function, "at the end of the function
// (line 120)", since that line holds only the closing brace.
func ReturnAt(pass *analysis.Pass, ret ssa.Instruction, at token.Pos) string {
	pos := model.InstrPos(ret)
	where := Where(pass, pos, at)
	if model.ImplicitReturn(ret) {
		return "at the end of the function (" + where + ")"
	}
	return "at " + where
}
