package datarace

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

// The quick fix that guards a race with the lock its struct already has:
// both statements become mu.Lock(); stmt; mu.Unlock(). It is offered only
// when that cannot fail to build or deadlock: the field's struct has
// exactly one mutex field (unexported, so no caller outside can hold it),
// each statement is a simple one (an assignment or x++ without calls,
// which could take the lock themselves, or channel operations, which could
// block under it), and nothing holds a lock there, its function takes
// none of the mutex, and no call of the function in the package holds a
// lock; and no code of the package waits (on a channel, a WaitGroup)
// holding the mutex, which could wait for the statement now made to wait
// for the mutex.

// lockSide is one statement the fix wraps.
type lockSide struct {
	stmt ast.Stmt
	recv string // the struct as the statement spells it (c in c.hits)
	lock string // the mutex field's name
}

// lockFix guards both accesses of race r with the struct's mutex, or
// reports false.
func lockFix(pass *analysis.Pass, own *owners, r *explore.Race, exprs [2]ast.Expr) (analysis.SuggestedFix, bool) {
	var sides []lockSide
	for i, a := range []explore.Access{r.First, r.Second} {
		if i == 1 && r.Second.Instr == r.First.Instr {
			break
		}
		side, ok := lockable(pass, own, a.Instr, exprs[i])
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		if len(sides) == 1 && sides[0].stmt == side.stmt {
			break
		}
		if len(sides) == 1 && sides[0].lock != side.lock {
			return analysis.SuggestedFix{}, false
		}
		sides = append(sides, side)
	}
	var edits []analysis.TextEdit
	for _, s := range sides {
		edits = append(edits, wrap(pass, s)...)
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Guard the accesses with %s.%s", sides[0].recv, sides[0].lock),
		TextEdits: formatted(pass, edits),
	}, true
}

// lockable finds the statement of access in (expression e) and the mutex
// to wrap it in.
func lockable(pass *analysis.Pass, own *owners, in ssa.Instruction, e ast.Expr) (lockSide, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || !stable(sel.X) {
		return lockSide{}, false
	}
	s := pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
		return lockSide{}, false
	}
	mu := onlyMutex(s.Recv())
	if mu == nil {
		return lockSide{}, false
	}
	stmt, ok := simpleStmt(pass, sel)
	if !ok || !unlocked(own, in, mu) {
		return lockSide{}, false
	}
	return lockSide{stmt: stmt, recv: analysisutil.Format(pass.Fset, sel.X), lock: mu.Name()}, true
}

// stable reports whether e names the same value each time it is
// evaluated: a variable or a chain of field selections from one.
func stable(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return stable(e.X)
	case *ast.ParenExpr:
		return stable(e.X)
	}
	return false
}

// onlyMutex is the one sync.Mutex or sync.RWMutex field of the struct t
// (or *t) points to, when it has exactly one and it is unexported and not
// embedded.
func onlyMutex(t types.Type) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var mu *types.Var
	n := 0
	for i := range st.NumFields() {
		f := st.Field(i)
		named, ok := f.Type().(*types.Named)
		if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "sync" {
			continue
		}
		if name := named.Obj().Name(); name == "Mutex" || name == "RWMutex" {
			n++
			mu = f
		}
	}
	if n != 1 || mu.Exported() || mu.Embedded() {
		return nil
	}
	return mu
}

// simpleStmt is the statement holding e, when it is an assignment or an
// increment in a list of statements that calls nothing but built-ins and
// conversions and neither sends nor receives.
func simpleStmt(pass *analysis.Pass, e ast.Expr) (ast.Stmt, bool) {
	path := analysisutil.Path(pass, e.Pos(), e.End())
	for i, n := range path {
		stmt, ok := n.(ast.Stmt)
		if !ok {
			continue
		}
		switch stmt.(type) {
		case *ast.AssignStmt, *ast.IncDecStmt:
		default:
			return nil, false
		}
		if i+1 >= len(path) {
			return nil, false
		}
		switch path[i+1].(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		default:
			return nil, false // the init of an if, the post of a for
		}
		return stmt, pure(pass, stmt)
	}
	return nil, false
}

// pure reports whether stmt calls no function but built-ins and
// conversions, makes no function literal and does no channel operation.
func pure(pass *analysis.Pass, stmt ast.Stmt) bool {
	ok := true
	ast.Inspect(stmt, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			tv := pass.TypesInfo.Types[n.Fun]
			if !tv.IsType() && !tv.IsBuiltin() {
				ok = false
			}
		case *ast.FuncLit:
			ok = false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// unlocked reports whether wrapping access in in Lock of mu can neither
// lock it twice nor take it under another lock: nothing is held there,
// its function takes no lock of mu's field, and no call of the function
// in the package holds a lock.
func unlocked(own *owners, in ssa.Instruction, mu *types.Var) bool {
	for _, a := range own.byInstr[in] {
		if len(a.Held) > 0 {
			return false
		}
	}
	f := own.m.FuncOf(in.Parent())
	if f == nil {
		return false
	}
	for _, cs := range f.CalledFrom {
		if len(cs.Held) > 0 {
			return false
		}
	}
	obj := own.m.ObjectOfField(mu)
	if obj == nil {
		return true // never locked: nothing else can hold it
	}
	for _, op := range obj.Ops {
		if op.Func == f && (op.Kind == model.OpLock || op.Kind == model.OpRLock) {
			return false
		}
	}
	for _, op := range own.m.Ops {
		switch op.Kind {
		case model.OpSend, model.OpRecv, model.OpRange, model.OpSelect, model.OpWGWait, model.OpGroupWait, model.OpSemAcquire, model.OpOnceDo:
		default:
			continue
		}
		for _, h := range op.Held {
			if h.Site != nil && h.Site.Object == obj {
				return false
			}
		}
	}
	return true
}

// wrap puts s.stmt between s.recv.lock.Lock() and Unlock(): on lines of
// their own when the statement has its line, or beside it.
func wrap(pass *analysis.Pass, s lockSide) []analysis.TextEdit {
	mu := s.recv + "." + s.lock
	before, after := mu+".Lock(); ", "; "+mu+".Unlock()"
	if indent, own := lineIndent(pass, s.stmt.Pos()); own {
		before, after = mu+".Lock()\n"+indent, "\n"+indent+mu+".Unlock()"
	}
	return []analysis.TextEdit{
		{Pos: s.stmt.Pos(), End: s.stmt.Pos(), NewText: []byte(before)},
		{Pos: s.stmt.End(), End: s.stmt.End(), NewText: []byte(after)},
	}
}

// lineIndent is the white space before pos on its line, and whether only
// white space precedes pos there.
func lineIndent(pass *analysis.Pass, pos token.Pos) (string, bool) {
	tf := pass.Fset.File(pos)
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	start := tf.Offset(tf.LineStart(analysisutil.Line(tf, pos)))
	prefix := string(content[start:tf.Offset(pos)])
	for _, r := range prefix {
		if r != ' ' && r != '\t' {
			return "", false
		}
	}
	return prefix, true
}
