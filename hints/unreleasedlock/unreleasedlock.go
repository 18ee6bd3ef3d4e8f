package unreleasedlock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports locks not released on every path out of a function.
var Analyzer = &analysis.Analyzer{
	Name:     "unreleasedlock",
	Doc:      analysisutil.MustExtractDoc(doc, "unreleasedlock"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#unreleasedlock",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	for _, f := range m.Funcs {
		for _, op := range f.Ops {
			if (op.Kind != model.OpLock && op.Kind != model.OpRLock) || op.Deferred || !op.Path.Valid() {
				continue
			}
			checkLock(pass, m, f, op)
		}
	}
	for _, c := range m.Conflicts {
		if c.Loop {
			reportLoop(pass, c)
		}
	}
	return nil, nil
}

// checkLock reports op when some returns of f leave its lock held and
// others do not.
func checkLock(pass *analysis.Pass, m *model.Model, f *model.Func, op *model.Op) {
	// Leaking returns hold the lock on every path to them; clean ones,
	// reached from the Lock, hold it on none. A return reached both ways
	// (the lock kept on purpose under some condition) is neither: the
	// condition may be recorded in a way the analysis does not follow.
	var leaking, clean []*model.Exit
	after := reachable(op.Instr.Block())
	for _, e := range f.Exits {
		switch {
		case heldBy(e.Must, op):
			leaking = append(leaking, e)
		case !heldBy(e.Held, op) && after[e.Return.Block()]:
			clean = append(clean, e)
		}
	}
	if len(leaking) == 0 || len(clean) == 0 {
		// Released everywhere, or a helper that returns with the lock held.
		return
	}
	if leavesLockToCaller(f) || successHoldsLock(leaking, clean) || releasedByClosure(f, op) {
		return
	}
	call, _ := analysisutil.CallAt(pass, op.Pos)
	if call == nil {
		return
	}
	name := lockName(pass, call, op)
	ret := leaking[0].Return
	line := pass.Fset.Position(ret.Pos()).Line
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "unreleasedlock",
		Message:  fmt.Sprintf("%s is locked here but not unlocked on the path that returns at line %d: the next Lock blocks forever", name, line),
	}
	for _, e := range leaking {
		diag.Related = append(diag.Related, analysis.RelatedInformation{
			Pos:     e.Return.Pos(),
			Message: fmt.Sprintf("returns with %s still locked", name),
		})
	}
	if fix, ok := deferFix(pass, f, op, call, name); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(diag)
}

// reachable returns the blocks reachable from b.
func reachable(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{b: true}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range x.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return seen
}

// heldBy reports whether the lock taken by op is among held.
func heldBy(held []*model.Held, op *model.Op) bool {
	for _, h := range held {
		if h.Site == op && len(h.Via) == 0 {
			return true
		}
	}
	return false
}

// leavesLockToCaller reports whether f's name or doc comment says that it
// returns with the lock held for its caller to release.
func leavesLockToCaller(f *model.Func) bool {
	name := strings.ToLower(f.SSA.Name())
	if strings.Contains(name, "lock") || strings.Contains(name, "acquire") {
		return true
	}
	decl, ok := f.SSA.Syntax().(*ast.FuncDecl)
	if !ok || decl.Doc == nil {
		return false
	}
	text := strings.ToLower(decl.Doc.Text())
	return strings.Contains(text, "unlock") || strings.Contains(text, "caller must release") ||
		strings.Contains(text, "with the lock held") || strings.Contains(text, "lock held")
}

// successHoldsLock recognises conditional lock helpers: the lock is held on
// returns that report success (a nil error, true) and released on those that
// report failure (a non-nil error, false), so the caller unlocks on success.
func successHoldsLock(leaking, clean []*model.Exit) bool {
	results := leaking[0].Return.Results
	if len(results) == 0 {
		return false
	}
	last := len(results) - 1
	kind := func(v ssa.Value) string {
		switch {
		case isNilConst(v):
			return "nil"
		case isBoolConst(v, true):
			return "true"
		case isBoolConst(v, false):
			return "false"
		}
		if types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
			return "err"
		}
		return ""
	}
	var want, other string
	switch kind(results[last]) {
	case "nil":
		want, other = "nil", "err"
	case "true":
		want, other = "true", "false"
	default:
		return false
	}
	for _, e := range leaking {
		if kind(e.Return.Results[last]) != want {
			return false
		}
	}
	for _, e := range clean {
		if k := kind(e.Return.Results[last]); k != other && !(other == "err" && k != "nil" && k != "") {
			return false
		}
	}
	return true
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

func isBoolConst(v ssa.Value, b bool) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.Bool && constant.BoolVal(c.Value) == b
}

// releasedByClosure reports whether a function literal in f releases the
// lock: a goroutine that unlocks when done, or an unlock func handed back.
func releasedByClosure(f *model.Func, op *model.Op) bool {
	key := op.Path.Key()
	for _, g := range f.Model.Funcs {
		if g == f || !encloses(f.SSA, g.SSA) {
			continue
		}
		for _, o := range g.Ops {
			if o.Kind.Releases() && o.Path.Valid() && o.Path.Key() == key {
				return true
			}
		}
	}
	return false
}

// releasedIn reports whether f itself releases the lock of op somewhere.
func releasedIn(f *model.Func, op *model.Op) bool {
	key := op.Path.Key()
	for _, o := range f.Ops {
		if o.Kind.Releases() && o.Path.Valid() && o.Path.Key() == key {
			return true
		}
	}
	return false
}

func encloses(outer, fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if fn == outer {
			return true
		}
	}
	return false
}

// reportLoop reports a lock that a path through a loop leaves held when it
// comes back to the Lock.
func reportLoop(pass *analysis.Pass, c *model.LockConflict) {
	call, _ := analysisutil.CallAt(pass, c.Second.Pos)
	if call == nil || releasedByClosure(c.Func, c.Second) || !releasedIn(c.Func, c.Second) {
		// A lock never released in its function is handed to other code
		// on purpose (unlocked by another goroutine or a later call).
		return
	}
	name := lockName(pass, call, c.Second)
	pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "unreleasedlock",
		Message:  fmt.Sprintf("%s is locked in a loop but a path through the loop body does not unlock it: the next iteration's %s blocks forever", name, c.Second.Kind),
	})
}

// lockName is the lock as the source spells it at the call: s.mu, or s for
// an embedded mutex.
func lockName(pass *analysis.Pass, call *ast.CallExpr, op *model.Op) string {
	if recv := analysisutil.Receiver(call); recv != nil {
		if s := analysisutil.Format(pass.Fset, recv); s != "" {
			return s
		}
	}
	return op.Path.Name()
}

// deferFix offers "defer mu.Unlock()" right after the Lock, removing the
// Unlock calls that directly precede returns, when that keeps behaviour.
func deferFix(pass *analysis.Pass, f *model.Func, op *model.Op, call *ast.CallExpr, name string) (analysis.SuggestedFix, bool) {
	_, path := analysisutil.CallAt(pass, op.Pos)
	if len(path) < 3 {
		return analysis.SuggestedFix{}, false
	}
	stmt, ok := path[1].(*ast.ExprStmt)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	for _, n := range path[2:] {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return analysis.SuggestedFix{}, false // the defer would run once per loop, or in the wrong function
		}
	}
	unlock := "Unlock"
	if op.Kind == model.OpRLock {
		unlock = "RUnlock"
	}
	key := op.Path.Key()
	var edits []analysis.TextEdit
	for _, o := range f.Ops {
		if !o.Path.Valid() || o.Path.Key() != key || o == op {
			continue
		}
		if o.Kind.Acquires() && o.Pos > op.Pos {
			return analysis.SuggestedFix{}, false // locked again later: the defer would unlock twice
		}
		if !o.Kind.Releases() || o.Deferred {
			continue
		}
		// An Unlock that directly precedes a return with simple results can
		// go: the deferred Unlock runs at that return.
		_, upath := analysisutil.CallAt(pass, o.Pos)
		if len(upath) < 3 {
			return analysis.SuggestedFix{}, false
		}
		ustmt, ok := upath[1].(*ast.ExprStmt)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		next := nextStmt(upath[2], ustmt)
		ret, ok := next.(*ast.ReturnStmt)
		if !ok || !simpleResults(ret) {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, deleteLine(pass, ustmt))
	}
	// Insert on a line of its own after the Lock's line, so that a comment
	// trailing the Lock stays with it.
	tf := pass.Fset.File(stmt.Pos())
	line := tf.Line(stmt.End())
	if line >= tf.LineCount() {
		return analysis.SuggestedFix{}, false
	}
	next := tf.LineStart(line + 1)
	insert := analysis.TextEdit{
		Pos:     next,
		End:     next,
		NewText: []byte(indentation(pass, stmt.Pos()) + "defer " + name + "." + unlock + "()\n"),
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Defer %s.%s() right after the lock", name, unlock),
		TextEdits: append([]analysis.TextEdit{insert}, edits...),
	}, true
}

// nextStmt returns the statement after s in its enclosing block, or nil.
func nextStmt(parent ast.Node, s ast.Stmt) ast.Stmt {
	var list []ast.Stmt
	switch p := parent.(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	}
	for i, x := range list {
		if x == s && i+1 < len(list) {
			return list[i+1]
		}
	}
	return nil
}

// simpleResults reports whether evaluating the return's results cannot call
// anything (which would then run with the lock held).
func simpleResults(ret *ast.ReturnStmt) bool {
	ok := true
	for _, r := range ret.Results {
		ast.Inspect(r, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.CallExpr, *ast.FuncLit, *ast.UnaryExpr:
				ok = false
			}
			return ok
		})
	}
	return ok
}

// deleteLine removes a statement with its line.
func deleteLine(pass *analysis.Pass, s ast.Stmt) analysis.TextEdit {
	tf := pass.Fset.File(s.Pos())
	line := tf.Line(s.Pos())
	start := tf.LineStart(line)
	end := s.End()
	if line < tf.LineCount() && tf.Line(s.End()) == line {
		end = tf.LineStart(line + 1)
	}
	return analysis.TextEdit{Pos: start, End: end}
}

// indentation returns the leading white space of pos's line.
func indentation(pass *analysis.Pass, pos token.Pos) string {
	tf := pass.Fset.File(pos)
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return "\t"
	}
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	end := start
	for end < len(content) && (content[end] == ' ' || content[end] == '\t') {
		end++
	}
	return string(content[start:end])
}
