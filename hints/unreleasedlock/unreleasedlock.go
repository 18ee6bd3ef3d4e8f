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
	"github.com/synclens/synclens/hints/internal/message"
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
			if !checkLock(pass, m, f, op) {
				checkBreak(pass, m, f, op)
			}
		}
		for _, cs := range f.Calls {
			if !cs.Go && !cs.Defer && len(cs.Callee.Summary.Returns) > 0 {
				checkHelper(pass, f, cs)
			}
		}
		checkLockedHelper(pass, f)
	}
	for _, c := range m.Conflicts {
		if c.Loop {
			reportLoop(pass, c)
		}
	}
	return nil, nil
}

// checkLock reports op when some returns of f leave its lock held and
// others do not, and says whether it did.
func checkLock(pass *analysis.Pass, m *model.Model, f *model.Func, op *model.Op) bool {
	// Leaking returns hold the lock on every path to them; clean ones,
	// reached from the Lock, hold it on none. A return reached both ways
	// (the lock kept on purpose under some condition) is neither: the
	// condition may be recorded in a way the analysis does not follow.
	leaking, clean := f.ExitsHolding(op)
	if len(leaking) == 0 || len(clean) == 0 {
		// Released everywhere, or a helper that returns with the lock held.
		return false
	}
	if leavesLockToCaller(f) || successHoldsLock(leaking, clean) || releasedByClosure(f, op) || testFailure(leaking) {
		return false
	}
	call, _ := analysisutil.CallAt(pass, op.Pos)
	if call == nil {
		return false
	}
	name := lockName(pass, call, op)
	ret := leaking[0].Return
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "unreleasedlock",
		Message:  fmt.Sprintf("%s is locked here but not unlocked on the path that returns %s: the next Lock blocks forever", name, message.ReturnAt(pass, ret, op.Pos)),
	}
	for _, e := range leaking {
		diag.Related = append(diag.Related, analysis.RelatedInformation{
			Pos:     model.InstrPos(e.Return),
			Message: fmt.Sprintf("returns with %s still locked", name),
		})
	}
	if fix, ok := deferFix(pass, f, op, call, name); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(diag)
	return true
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
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "unreleasedlock",
		Message:  fmt.Sprintf("%s is locked in a loop but a path through the loop body does not unlock it: the next iteration's %s blocks forever", name, c.Second.Kind),
	}
	if p, stop, ok := keeper(pass.ResultOf[model.Analyzer].(*model.Model), c.Func, c.Second, true); ok {
		if how, pos := branchOf(pass, p, stop, c.Second.Instr.Block()); how != "" {
			diag.Message = fmt.Sprintf("%s is locked in a loop but %s goes around without unlocking it: the next iteration's %s blocks forever", name, how, c.Second.Kind)
			diag.Related = []analysis.RelatedInformation{{Pos: pos, Message: "goes around holding " + name}}
		}
	}
	pass.Report(diag)
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
	line := analysisutil.Line(tf, stmt.End())
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
	line := analysisutil.Line(tf, s.Pos())
	start := tf.LineStart(line)
	end := s.End()
	if line < tf.LineCount() && analysisutil.Line(tf, s.End()) == line {
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
	start := tf.Offset(tf.LineStart(analysisutil.Line(tf, pos)))
	end := start
	for end < len(content) && (content[end] == ' ' || content[end] == '\t') {
		end++
	}
	return string(content[start:end])
}

// checkHelper reports a call of a lock helper (a function of the package
// that returns with a lock held, for its caller to release) when some
// returns of the caller leave that lock held and others do not.
func checkHelper(pass *analysis.Pass, f *model.Func, cs *model.CallSite) {
	var leaking, clean []*model.Exit
	after := model.ReachableFrom(cs.Instr.Block())
	for _, e := range f.Exits {
		switch {
		case heldVia(e.Must, cs):
			leaking = append(leaking, e)
		case !heldVia(e.Held, cs) && after[e.Return.Block()]:
			clean = append(clean, e)
		}
	}
	if len(leaking) == 0 || len(clean) == 0 || leavesLockToCaller(f) || successHoldsLock(leaking, clean) || testFailure(leaking) {
		return
	}
	var h *model.Held
	for _, x := range leaking[0].Must {
		if len(x.Via) > 0 && x.Via[0] == cs {
			h = x
		}
	}
	if h == nil || h.Site != nil && releasedByClosure(f, &model.Op{Path: h.Path}) {
		return
	}
	call, _ := analysisutil.CallAt(pass, cs.Pos)
	if call == nil {
		return
	}
	name := h.Path.Name()
	ret := leaking[0].Return
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "unreleasedlock",
		Message: fmt.Sprintf("%s locks %s here but it is not unlocked on the path that returns %s: the next Lock blocks forever",
			analysisutil.Format(pass.Fset, call.Fun), name, message.ReturnAt(pass, ret, cs.Pos)),
	}
	if h.Site != nil {
		diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: h.Site.Pos, Message: fmt.Sprintf("%s takes the lock here and returns with it held", h.Site.Func.DisplayName())})
	}
	for _, e := range leaking {
		diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: model.InstrPos(e.Return), Message: fmt.Sprintf("returns with %s still locked", name)})
	}
	pass.Report(diag)
}

// heldVia reports whether a lock taken by the call cs is among held.
func heldVia(held []*model.Held, cs *model.CallSite) bool {
	for _, h := range held {
		if len(h.Via) > 0 && h.Via[0] == cs {
			return true
		}
	}
	return false
}

// checkLockedHelper reports a function entered with a lock held (every
// caller in the package holds it, or its name ends in Locked) that releases
// the lock on some paths and returns with it held on others: on the first
// kind, the caller goes on without the lock it believes it holds, and its
// Unlock is a fatal "unlock of unlocked mutex".
func checkLockedHelper(pass *analysis.Pass, f *model.Func) {
	if len(f.Exits) < 2 {
		return
	}
	for _, p := range entryLocks(f) {
		key := p.Key()
		var released, kept []*model.Exit
		for _, e := range f.Exits {
			if hasPath(e.Released, key) {
				released = append(released, e)
			} else {
				kept = append(kept, e)
			}
		}
		if len(released) == 0 || len(kept) == 0 {
			continue
		}
		if (successHoldsLock(kept, released) || successHoldsLock(released, kept)) && !callerDefersUnlock(f, p) {
			continue // the result tells the caller whether the lock is still held
		}
		unlock := unlockBefore(f, key, released[0].Return)
		if unlock == nil {
			continue
		}
		call, _ := analysisutil.CallAt(pass, unlock.Pos)
		if call == nil {
			continue
		}
		name := lockName(pass, call, unlock)
		diag := analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "unreleasedlock",
			Message: fmt.Sprintf("%s is unlocked here and not locked again on the path that returns %s, but %s is called with %s held and returns with it held on other paths: its caller's Unlock is then a fatal unlock of an unlocked mutex",
				name, message.ReturnAt(pass, released[0].Return, unlock.Pos), f.DisplayName(), name),
		}
		for _, e := range released {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: model.InstrPos(e.Return), Message: fmt.Sprintf("returns without %s", name)})
		}
		for _, e := range kept {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: model.InstrPos(e.Return), Message: fmt.Sprintf("returns with %s held", name)})
			break
		}
		pass.Report(diag)
	}
}

// entryLocks lists the locks f is entered with: those every caller in the
// package holds, or, for a function named ...Locked, those it releases
// without taking first.
func entryLocks(f *model.Func) []model.Path {
	var out []model.Path
	seen := make(map[model.Key]bool)
	for _, h := range f.Requires {
		if !seen[h.Path.Key()] && !h.Read {
			seen[h.Path.Key()] = true
			out = append(out, h.Path)
		}
	}
	if strings.HasSuffix(f.SSA.Name(), "Locked") {
		for _, e := range f.Exits {
			for _, p := range e.Released {
				if !seen[p.Key()] {
					seen[p.Key()] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func hasPath(ps []model.Path, k model.Key) bool {
	for _, p := range ps {
		if p.Key() == k {
			return true
		}
	}
	return false
}

// unlockBefore returns an Unlock of lock key in f, not deferred, from which
// ret can be reached without taking the lock again.
func unlockBefore(f *model.Func, key model.Key, ret *ssa.Return) *model.Op {
	relock := make(map[ssa.Instruction]bool)
	for _, op := range f.Ops {
		if op.Kind.Acquires() && op.Path.Valid() && op.Path.Key() == key {
			relock[op.Instr] = true
		}
	}
	for _, cs := range f.Calls {
		for _, a := range f.AcquiredAt(cs.Instr) {
			if a.Path.Key() == key {
				relock[cs.Instr] = true // a helper that locks it again
			}
		}
	}
	for _, op := range f.Ops {
		if op.Kind.Releases() && !op.Deferred && op.Path.Valid() && op.Path.Key() == key && model.ReachesAvoiding(op.Instr, ret, relock) {
			return op
		}
	}
	return nil
}

// callerDefersUnlock reports whether a caller of f has deferred the release
// of lock p (in f's frame) before calling f: it unlocks after f returns,
// whatever f reports.
func callerDefersUnlock(f *model.Func, p model.Path) bool {
	for _, cs := range f.CalledFrom {
		cp, ok := f.Model.Substitute(p, cs)
		if !ok {
			continue
		}
		for _, op := range cs.Caller.Ops {
			if !op.Deferred || !op.Kind.Releases() || !op.Path.Valid() || op.Path.Key() != cp.Key() {
				continue
			}
			db, cb := op.Instr.Block(), cs.Instr.Block()
			if db != cb && db.Dominates(cb) || db == cb && op.Pos < cs.Pos {
				return true
			}
		}
	}
	return false
}

// testFailure reports whether every leaking return comes right after a test
// reported failure (t.Error, t.Errorf, t.Fail): the test is over, and what
// it locked is not used again.
func testFailure(leaking []*model.Exit) bool {
	for _, e := range leaking {
		if !failsTest(e.Return.Block()) {
			return false
		}
	}
	return true
}

func failsTest(b *ssa.BasicBlock) bool {
	for range 4 {
		for _, in := range b.Instrs {
			c, ok := in.(ssa.CallInstruction)
			if !ok {
				continue
			}
			var fn *types.Func
			if c.Common().IsInvoke() {
				fn = c.Common().Method
			} else if sf := c.Common().StaticCallee(); sf != nil {
				fn, _ = sf.Object().(*types.Func)
			}
			if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "testing" {
				switch fn.Name() {
				case "Error", "Errorf", "Fail":
					return true
				}
			}
		}
		if len(b.Preds) != 1 {
			return false
		}
		b = b.Preds[0]
	}
	return false
}
