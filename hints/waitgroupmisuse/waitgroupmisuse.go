package waitgroupmisuse

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports WaitGroup counts that do not match the goroutines.
var Analyzer = &analysis.Analyzer{
	Name:     "waitgroupmisuse",
	Doc:      analysisutil.MustExtractDoc(doc, "waitgroupmisuse"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#waitgroupmisuse",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type checker struct {
	pass     *analysis.Pass
	m        *model.Model
	reported map[token.Pos]bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	ck := &checker{pass: pass, m: m, reported: make(map[token.Pos]bool)}
	for _, g := range m.Goroutines {
		if g.Target == nil {
			continue
		}
		ck.addInside(g)
		if g.Spawn.Kind == model.OpGo {
			ck.doneSkipped(g)
		}
	}
	for _, op := range m.Ops {
		if op.Kind == model.OpWGAdd && op.Object != nil && !op.Deferred {
			ck.addCount(op)
		}
		if op.Kind == model.OpWGWait && op.Object != nil {
			ck.waitInLoop(op)
		}
	}
	return nil, nil
}

func (ck *checker) report(d analysis.Diagnostic) {
	if ck.reported[d.Pos] {
		return
	}
	ck.reported[d.Pos] = true
	d.Category = "waitgroupmisuse"
	ck.pass.Report(d)
}

func (ck *checker) line(pos token.Pos) int { return ck.pass.Fset.Position(pos).Line }

// wgName spells the WaitGroup of op as its call does: wg, s.wg.
func (ck *checker) wgName(op *model.Op) string {
	if call, _ := analysisutil.CallAt(ck.pass, op.Pos); call != nil {
		if recv := analysisutil.Receiver(call); recv != nil {
			return analysisutil.Format(ck.pass.Fset, recv)
		}
	}
	return op.Path.Name()
}

// dones returns the Done operations on obj that goroutine g runs.
func dones(g *model.Goroutine, obj *model.Object) []*model.Op {
	var out []*model.Op
	for _, f := range g.Reaches {
		for _, op := range f.Ops {
			if op.Kind == model.OpWGDone && op.Object == obj {
				out = append(out, op)
			}
		}
	}
	return out
}

// countedBy returns the WaitGroups g marks Done.
func countedBy(g *model.Goroutine) []*model.Object {
	var out []*model.Object
	seen := map[*model.Object]bool{}
	for _, f := range g.Reaches {
		for _, op := range f.Ops {
			if op.Kind == model.OpWGDone && op.Object != nil && !seen[op.Object] {
				seen[op.Object] = true
				out = append(out, op.Object)
			}
		}
	}
	return out
}

func waits(obj *model.Object) []*model.Op {
	var out []*model.Op
	for _, op := range obj.Ops {
		if op.Kind == model.OpWGWait {
			out = append(out, op)
		}
	}
	return out
}

// doneSkipped reports a goroutine that marks a WaitGroup Done on some
// paths but can return without doing so on another.
func (ck *checker) doneSkipped(g *model.Goroutine) {
	t := g.Target
	for _, obj := range countedBy(g) {
		ws := waits(obj)
		if len(ws) == 0 || !ck.addedBeforeSpawn(g.Spawn.Func, g.Spawn, obj) {
			continue // the starter does not count this goroutine
		}
		stop := make(map[ssa.Instruction]bool)
		var direct []*model.Op
		covered := false
		for _, op := range t.Ops {
			if op.Kind == model.OpWGDone && op.Object == obj {
				if op.Deferred || ck.m.LoopOf(op.Instr.Block()) != nil {
					covered = true // or one Done per item, not per goroutine
				}
				stop[op.Instr] = true
				direct = append(direct, op)
			}
			if op.Kind == model.OpWGAdd && op.Object == obj {
				covered = true // it keeps its own count: not this shape
			}
		}
		if covered {
			continue
		}
		// Calls that mark Done, or hand the WaitGroup on.
		for _, cs := range t.Calls {
			if reachesDone(ck.m, cs.Callee, obj) {
				if cs.Defer {
					covered = true
				}
				stop[cs.Instr] = true
			}
		}
		for _, b := range t.SSA.Blocks {
			for _, in := range b.Instrs {
				if call, ok := in.(ssa.CallInstruction); ok && ck.passesWG(call, obj) {
					if _, isDefer := in.(*ssa.Defer); isDefer {
						covered = true
					}
					stop[in] = true
				}
			}
		}
		if covered || len(stop) == 0 {
			continue
		}
		p, found := ck.m.FindPath(model.PathQuery{Fn: t.SSA, Stop: stop})
		if !found {
			continue
		}
		ret := model.InstrPos(p.End)
		if !ret.IsValid() {
			continue
		}
		name := obj.Name
		if len(direct) > 0 {
			name = ck.wgName(direct[0])
		}
		wait := ws[0]
		d := analysis.Diagnostic{
			Pos: g.Spawn.Pos, End: g.Spawn.Pos,
			Message: fmt.Sprintf("the goroutine started here can return %s without calling %s.Done: %s.Wait at line %d then blocks forever", message.ReturnAt(ck.pass, p.End, g.Spawn.Pos), name, name, ck.line(wait.Pos)),
			Related: []analysis.RelatedInformation{
				{Pos: ret, Message: "returns without " + name + ".Done()"},
				{Pos: wait.Pos, Message: "waits for the goroutine"},
			},
		}
		if gs := ck.goStmt(g.Spawn.Pos); gs != nil {
			d.Pos, d.End = gs.Pos(), gs.Call.Lparen
		}
		if fix, ok := ck.deferDoneFix(t, direct, name); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		ck.report(d)
	}
}

// addedBeforeSpawn reports whether f adds to obj before the spawn: the
// goroutine is counted by its starter.
func (ck *checker) addedBeforeSpawn(f *model.Func, spawn *model.Op, obj *model.Object) bool {
	for _, op := range f.Ops {
		if op.Kind == model.OpWGAdd && op.Object == obj && model.Reaches(op.Instr, spawn.Instr) {
			return true
		}
	}
	return false
}

// reachesDone reports whether f or a function it calls marks obj Done.
func reachesDone(m *model.Model, f *model.Func, obj *model.Object) bool {
	for _, g := range m.Reach(f) {
		for _, op := range g.Ops {
			if op.Kind == model.OpWGDone && op.Object == obj {
				return true
			}
		}
	}
	return false
}

// passesWG reports whether the call hands obj to code that may mark it
// Done: an argument (or receiver) that is the WaitGroup, to a function
// whose body the model does not know or to a goroutine.
func (ck *checker) passesWG(call ssa.CallInstruction, obj *model.Object) bool {
	c := call.Common()
	if c.StaticCallee() != nil && ck.m.FuncOf(c.StaticCallee()) != nil {
		if _, isGo := call.(*ssa.Go); !isGo {
			return false // followed through reachesDone
		}
	}
	args := c.Args
	if c.IsInvoke() {
		args = append([]ssa.Value{c.Value}, args...)
	}
	for _, a := range args {
		if p, ok := ck.m.PathOf(a); ok {
			if o := ck.m.ObjectOfPath(p); o == obj {
				return true
			}
		}
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		if f := ck.m.FuncOf(mc.Fn.(*ssa.Function)); f != nil && reachesDone(ck.m, f, obj) {
			return true
		}
	}
	return false
}

func (ck *checker) goStmt(pos token.Pos) *ast.GoStmt {
	for _, n := range analysisutil.Path(ck.pass, pos, pos) {
		if gs, ok := n.(*ast.GoStmt); ok && gs.Pos() == pos {
			return gs
		}
	}
	return nil
}

// deferDoneFix replaces the Done calls of the goroutine's function literal
// by one "defer wg.Done()" at its top, when each Done directly precedes a
// return or ends the body (so moving it to the end changes nothing else).
func (ck *checker) deferDoneFix(t *model.Func, direct []*model.Op, name string) (analysis.SuggestedFix, bool) {
	lit, ok := t.SSA.Syntax().(*ast.FuncLit)
	if !ok || len(direct) == 0 || len(lit.Body.List) == 0 {
		return analysis.SuggestedFix{}, false
	}
	var edits []analysis.TextEdit
	for _, op := range direct {
		if ck.wgName(op) != name {
			return analysis.SuggestedFix{}, false
		}
		_, path := analysisutil.CallAt(ck.pass, op.Pos)
		if len(path) < 3 {
			return analysis.SuggestedFix{}, false
		}
		stmt, ok := path[1].(*ast.ExprStmt)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		next, last := nextStmt(path[2], stmt)
		if _, isRet := next.(*ast.ReturnStmt); !isRet && !(last && path[2] == lit.Body) {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, deleteLine(ck.pass, stmt))
	}
	first := lit.Body.List[0]
	insert := analysis.TextEdit{
		Pos:     lineStart(ck.pass, first.Pos()),
		End:     lineStart(ck.pass, first.Pos()),
		NewText: []byte(indentation(ck.pass, first.Pos()) + "defer " + name + ".Done()\n"),
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Call defer %s.Done() at the top of the goroutine", name),
		TextEdits: append([]analysis.TextEdit{insert}, edits...),
	}, true
}

// nextStmt returns the statement after s in its block, and whether s is
// the block's last statement.
func nextStmt(parent ast.Node, s ast.Stmt) (ast.Stmt, bool) {
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
		if x == s {
			if i+1 < len(list) {
				return list[i+1], false
			}
			return nil, true
		}
	}
	return nil, false
}

func lineStart(pass *analysis.Pass, pos token.Pos) token.Pos {
	tf := pass.Fset.File(pos)
	return tf.LineStart(analysisutil.Line(tf, pos))
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

// addInside reports an Add run by goroutine g on a WaitGroup that another
// goroutine waits on, when g's starter did not count it first: the Wait
// can see a zero counter and return before the Add.
func (ck *checker) addInside(g *model.Goroutine) {
	spawner := g.Spawn.Func
	for _, f := range g.Reaches {
		for _, add := range f.Ops {
			if add.Kind != model.OpWGAdd || add.Object == nil || add.Deferred {
				continue
			}
			obj := add.Object
			var outside []*model.Op
			for _, w := range waits(obj) {
				if !g.Runs(w.Func) {
					outside = append(outside, w)
				}
			}
			if len(outside) == 0 {
				continue // g waits for its own children
			}
			done := afterOwnDone(g, add)
			late := done != nil
			if !late && ck.countedBeforeSpawn(spawner, g.Spawn, obj) {
				continue
			}
			if ck.vetReports(g, add) || !late && ck.countsChild(add) {
				continue
			}
			name := ck.wgName(add)
			where := fmt.Sprintf("in the goroutine started at line %d", ck.line(g.Spawn.Pos))
			if g.Spawn.Kind == model.OpAfterFunc {
				where = fmt.Sprintf("in the time.AfterFunc callback set at line %d", ck.line(g.Spawn.Pos))
			}
			call, _ := analysisutil.CallAt(ck.pass, add.Pos)
			d := analysis.Diagnostic{
				Pos: add.Pos, End: add.Pos,
				Message: fmt.Sprintf("%s.Add runs %s, not before it: %s.Wait at line %d can run first, see a zero count and return while the goroutine is still working. Call %s.Add before starting it",
					name, where, name, ck.line(outside[0].Pos), name),
				Related: []analysis.RelatedInformation{
					{Pos: g.Spawn.Pos, Message: "goroutine started here, before the Add"},
					{Pos: outside[0].Pos, Message: "may return before the Add"},
				},
			}
			if call != nil {
				d.Pos, d.End = call.Pos(), call.End()
			}
			fix, ok := ck.moveAddFix(g, add, name)
			if late {
				fix, ok = ck.addBeforeDoneFix(add, done)
			}
			if ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
			ck.report(d)
		}
	}
}

// afterOwnDone returns the Done by which g marks its own count done before
// add can run, or nil: from then on the count that covered add may be zero.
func afterOwnDone(g *model.Goroutine, add *model.Op) *model.Op {
	for _, d := range dones(g, add.Object) {
		if d.Func == add.Func && !d.Deferred && model.Reaches(d.Instr, add.Instr) {
			return d
		}
	}
	return nil
}

// countedGoroutine reports whether f is the function of a goroutine that
// its starter counted on obj: f's own Done answers that Add.
func (ck *checker) countedGoroutine(f *model.Func, obj *model.Object) bool {
	for _, g := range f.Goroutines {
		if g.Target == f && g.Spawn.Kind == model.OpGo && ck.countedBeforeSpawn(g.Spawn.Func, g.Spawn, obj) {
			return true
		}
	}
	return false
}

// countsChild reports whether add is followed, in its function, by the
// start of a goroutine that marks the same WaitGroup Done: it counts that
// child, the right way round.
func (ck *checker) countsChild(add *model.Op) bool {
	for _, op := range add.Func.Ops {
		switch op.Kind {
		case model.OpGo, model.OpAfterFunc:
		default:
			continue
		}
		if op.Goroutine == nil || !model.Reaches(add.Instr, op.Instr) {
			continue
		}
		if len(dones(op.Goroutine, add.Object)) > 0 {
			return true
		}
	}
	return false
}

// countedBeforeSpawn reports whether the function that starts g adds to
// obj before the spawn (so g's own Adds happen while the count is above
// zero and cannot race with Wait), or runs in a goroutine that is itself
// counted.
func (ck *checker) countedBeforeSpawn(spawner *model.Func, spawn *model.Op, obj *model.Object) bool {
	for _, op := range spawner.Ops {
		if op.Kind == model.OpWGAdd && op.Object == obj && op.Instr.Block() != nil {
			if model.Reaches(op.Instr, spawn.Instr) {
				return true
			}
		}
	}
	// The spawner runs in a goroutine that marks obj Done itself (or that
	// obj.Go started): its own count covers the goroutines it starts.
	for _, g := range spawner.Goroutines {
		if g.Spawn.Kind == model.OpWGGo && g.Spawn.Object == obj {
			return true
		}
		for _, o := range countedBy(g) {
			if o == obj {
				return true
			}
		}
	}
	// A spawner called by a function that adds before the call.
	for _, cs := range spawner.CalledFrom {
		for _, op := range cs.Caller.Ops {
			if op.Kind == model.OpWGAdd && op.Object == obj && model.Reaches(op.Instr, cs.Instr) {
				return true
			}
		}
	}
	return false
}

// vetReports reports whether vet's waitgroup check already reports add:
// the first statement of a function literal started by a go statement.
func (ck *checker) vetReports(g *model.Goroutine, add *model.Op) bool {
	if g.Spawn.Kind != model.OpGo || add.Func != g.Target {
		return false
	}
	lit, ok := g.Target.SSA.Syntax().(*ast.FuncLit)
	if !ok || len(lit.Body.List) == 0 {
		return false
	}
	es, ok := lit.Body.List[0].(*ast.ExprStmt)
	return ok && es.X.Pos() <= add.Pos && add.Pos < es.X.End()
}

// moveAddFix moves a constant Add out of the goroutine's function literal
// to just before the go statement.
func (ck *checker) moveAddFix(g *model.Goroutine, add *model.Op, name string) (analysis.SuggestedFix, bool) {
	if g.Spawn.Kind != model.OpGo || add.Func != g.Target {
		return analysis.SuggestedFix{}, false
	}
	lit, ok := g.Target.SSA.Syntax().(*ast.FuncLit)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	call, path := analysisutil.CallAt(ck.pass, add.Pos)
	if call == nil || len(path) < 3 || len(call.Args) != 1 || path[2] != lit.Body {
		return analysis.SuggestedFix{}, false
	}
	stmt, ok := path[1].(*ast.ExprStmt)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	if tv, ok := ck.pass.TypesInfo.Types[call.Args[0]]; !ok || tv.Value == nil {
		return analysis.SuggestedFix{}, false
	}
	// Every name in the receiver must mean the same outside the literal.
	recv := analysisutil.Receiver(call)
	outside := true
	ast.Inspect(recv, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := ck.pass.TypesInfo.Uses[id]; obj != nil && lit.Pos() <= obj.Pos() && obj.Pos() < lit.End() {
				outside = false
			}
		}
		return true
	})
	gs := ck.goStmt(g.Spawn.Pos)
	if !outside || gs == nil {
		return analysis.SuggestedFix{}, false
	}
	text := analysisutil.Format(ck.pass.Fset, call)
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Move %s before the go statement", text),
		TextEdits: []analysis.TextEdit{
			{Pos: lineStart(ck.pass, gs.Pos()), End: lineStart(ck.pass, gs.Pos()), NewText: []byte(indentation(ck.pass, gs.Pos()) + text + "\n")},
			deleteLine(ck.pass, stmt),
		},
	}, true
}

// addBeforeDoneFix moves a constant Add that runs after its goroutine's own
// Done to just before that Done in the same block, where the goroutine's
// count still covers it. Moving it out of the goroutine instead would count
// a grandchild at the outer go statement, and the goroutine's other Adds
// would then look short of the goroutines it starts.
func (ck *checker) addBeforeDoneFix(add, done *model.Op) (analysis.SuggestedFix, bool) {
	call, path := analysisutil.CallAt(ck.pass, add.Pos)
	dcall, dpath := analysisutil.CallAt(ck.pass, done.Pos)
	if call == nil || dcall == nil || len(path) < 3 || len(dpath) < 3 || path[2] != dpath[2] || len(call.Args) != 1 {
		return analysis.SuggestedFix{}, false
	}
	stmt, ok := path[1].(*ast.ExprStmt)
	dstmt, dok := dpath[1].(*ast.ExprStmt)
	if !ok || !dok || dstmt.Pos() >= stmt.Pos() {
		return analysis.SuggestedFix{}, false
	}
	if tv, ok := ck.pass.TypesInfo.Types[call.Args[0]]; !ok || tv.Value == nil {
		return analysis.SuggestedFix{}, false
	}
	// Every name in the receiver must be declared before the Done.
	early := true
	ast.Inspect(analysisutil.Receiver(call), func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := ck.pass.TypesInfo.Uses[id]; obj != nil && dstmt.Pos() <= obj.Pos() && obj.Pos() < stmt.Pos() {
				early = false
			}
		}
		return true
	})
	if !early {
		return analysis.SuggestedFix{}, false
	}
	text := analysisutil.Format(ck.pass.Fset, call)
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Move %s before %s", text, analysisutil.Format(ck.pass.Fset, dcall)),
		TextEdits: []analysis.TextEdit{
			{Pos: lineStart(ck.pass, dstmt.Pos()), End: lineStart(ck.pass, dstmt.Pos()), NewText: []byte(indentation(ck.pass, dstmt.Pos()) + text + "\n")},
			deleteLine(ck.pass, stmt),
		},
	}, true
}

// spawnsDoneOnce returns the goroutine started by op when it marks obj Done
// exactly once on every path (one deferred Done, or one Done site), or
// nil.
func (ck *checker) spawnsDoneOnce(op *model.Op, obj *model.Object) *model.Goroutine {
	g := op.Goroutine
	if g == nil || g.Target == nil || op.Kind != model.OpGo {
		return nil
	}
	ds := dones(g, obj)
	if len(ds) != 1 {
		return nil
	}
	d := ds[0]
	if d.Func != g.Target {
		return nil
	}
	if d.Deferred {
		return g
	}
	// An unconditional Done: on every path to a return.
	if _, found := ck.m.FindPath(model.PathQuery{Fn: g.Target.SSA, Stop: map[ssa.Instruction]bool{d.Instr: true}}); found {
		return nil
	}
	return g
}

// addCount reports an Add whose count differs from the goroutines started
// after it: a constant Add(n) before a different number of go statements
// whose goroutines mark the WaitGroup Done, or Add(len(xs)) before a loop
// over xs that can skip its go statement.
func (ck *checker) addCount(add *model.Op) {
	obj := add.Object
	if len(waits(obj)) == 0 {
		return
	}
	call, _ := analysisutil.CallAt(ck.pass, add.Pos)
	if call == nil || len(call.Args) != 1 {
		return
	}
	tv := ck.pass.TypesInfo.Types[call.Args[0]]
	if tv.Value != nil {
		ck.constCount(add, call, tv.Value)
		return
	}
	ck.lenCount(add, call)
}

// constCount checks a constant Add: every path from it to the Wait (or to
// the end of its loop iteration) must start as many counted goroutines.
func (ck *checker) constCount(add *model.Op, call *ast.CallExpr, v constant.Value) {
	n, exact := constant.Int64Val(v)
	if !exact || n <= 0 {
		return
	}
	f := add.Func
	obj := add.Object
	// Every Done on obj must come from goroutines started in f (or f).
	spawnOf := make(map[ssa.Instruction]bool)
	for _, op := range f.Ops {
		if op.Kind == model.OpGo && op.Goroutine != nil {
			if len(dones(op.Goroutine, obj)) > 0 {
				if ck.spawnsDoneOnce(op, obj) == nil {
					return
				}
				spawnOf[op.Instr] = true
			}
		}
	}
	for _, op := range obj.Ops {
		if op.Kind != model.OpWGDone {
			continue
		}
		mine := op.Func == f
		for _, g := range ck.m.Goroutines {
			if g.Spawn.Func == f && spawnOf[g.Spawn.Instr] && g.Runs(op.Func) {
				mine = true
			}
		}
		if !mine {
			return // Done elsewhere: cannot count
		}
	}
	selfDone := make(map[ssa.Instruction]bool)
	for _, op := range f.Ops {
		if op.Kind == model.OpWGDone && op.Object == obj {
			if op.Deferred {
				return
			}
			selfDone[op.Instr] = true
		}
	}
	if ck.countedGoroutine(f, obj) {
		// The goroutine's own Done pays for the Add of whoever started
		// it, not for the goroutines it counts itself.
		clear(selfDone)
	}
	// Calls that may start counted goroutines or mark Done: unknown.
	for _, cs := range f.Calls {
		if !cs.Go && reachesDone(ck.m, cs.Callee, obj) {
			return
		}
	}
	loop := ck.m.LoopOf(add.Instr.Block())
	counts := map[int64]bool{}
	ok := ck.walkCount(add, loop, spawnOf, selfDone, counts)
	if !ok || len(counts) != 1 {
		return
	}
	var got int64
	for c := range counts {
		got = c
	}
	if got == n || got == 0 {
		return
	}
	name := ck.wgName(add)
	consequence := fmt.Sprintf("the count never reaches zero, so %s.Wait blocks forever", name)
	if got > n {
		consequence = fmt.Sprintf("%s.Wait can return while a goroutine still runs, and the last Done drives the count negative and panics", name)
	}
	ck.report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Message: fmt.Sprintf("%s adds %d but %s after it: %s",
			analysisutil.Format(ck.pass.Fset, call), n, startedCount(got, name), consequence),
	})
}

// walkCount enumerates the acyclic paths from add to a Wait, the next Add,
// the end of add's loop iteration or a return, counting counted spawns and
// Done calls; it fails on paths through another loop.
func (ck *checker) walkCount(add *model.Op, loop *model.Loop, spawn, self map[ssa.Instruction]bool, counts map[int64]bool) bool {
	obj := add.Object
	budget := 2000
	var walk func(b *ssa.BasicBlock, idx int, c int64, onPath map[*ssa.BasicBlock]bool) bool
	walk = func(b *ssa.BasicBlock, idx int, c int64, onPath map[*ssa.BasicBlock]bool) bool {
		if budget--; budget < 0 {
			return false
		}
		for _, in := range b.Instrs[idx:] {
			if spawn[in] {
				c++
			}
			if self[in] {
				c++
			}
			for _, op := range ck.m.OpsAt(opPos(in)) {
				if op.Instr == in && op.Object == obj && (op.Kind == model.OpWGWait || op.Kind == model.OpWGAdd) && op != add {
					counts[c] = true
					return true
				}
			}
			if _, ok := in.(*ssa.Return); ok {
				counts[c] = true
				return true
			}
			if _, ok := in.(*ssa.Panic); ok {
				return true
			}
		}
		for _, s := range b.Succs {
			if loop != nil && s == loop.Header {
				counts[c] = true // end of the iteration
				continue
			}
			if onPath[s] {
				return false // another loop
			}
			onPath[s] = true
			ok := walk(s, 0, c, onPath)
			delete(onPath, s)
			if !ok {
				return false
			}
		}
		return true
	}
	b := add.Instr.Block()
	idx := 0
	for i, in := range b.Instrs {
		if in == add.Instr {
			idx = i + 1
		}
	}
	return walk(b, idx, 0, map[*ssa.BasicBlock]bool{b: true})
}

func opPos(in ssa.Instruction) token.Pos {
	if c, ok := in.(ssa.CallInstruction); ok && c.Common().Pos().IsValid() {
		return c.Common().Pos()
	}
	return in.Pos()
}

// lenCount checks Add(len(xs)) before "for ... range xs": every iteration
// must start one counted goroutine (or call Done itself).
func (ck *checker) lenCount(add *model.Op, call *ast.CallExpr) {
	lc, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr)
	if !ok || len(lc.Args) != 1 {
		return
	}
	if id, ok := lc.Fun.(*ast.Ident); !ok || id.Name != "len" {
		return
	}
	want := analysisutil.Format(ck.pass.Fset, lc.Args[0])
	// The range statement over the same expression that follows the Add.
	_, path := analysisutil.CallAt(ck.pass, add.Pos)
	if len(path) < 3 {
		return
	}
	stmt, _ := path[1].(*ast.ExprStmt)
	next, _ := nextStmt(path[2], stmt)
	rs, ok := next.(*ast.RangeStmt)
	if !ok || analysisutil.Format(ck.pass.Fset, rs.X) != want {
		return
	}
	f := add.Func
	obj := add.Object
	// The go statements of the loop body whose goroutines mark Done.
	var spawns []*model.Op
	var self []*model.Op
	for _, op := range f.Ops {
		if op.Pos < rs.Body.Pos() || op.Pos >= rs.Body.End() {
			continue
		}
		switch {
		case op.Kind == model.OpGo && op.Goroutine != nil && len(dones(op.Goroutine, obj)) > 0:
			spawns = append(spawns, op)
		case op.Kind == model.OpWGDone && op.Object == obj:
			self = append(self, op)
		case op.Kind == model.OpWGAdd && op.Object == obj:
			return
		}
	}
	if len(spawns) != 1 || len(self) > 0 {
		return
	}
	for _, cs := range f.Calls {
		if cs.Pos >= rs.Body.Pos() && cs.Pos < rs.Body.End() && !cs.Go && reachesDone(ck.m, cs.Callee, obj) {
			return
		}
	}
	sp := spawns[0]
	if ck.spawnsDoneOnce(sp, obj) == nil {
		return
	}
	l := ck.m.LoopOf(sp.Instr.Block())
	if l == nil {
		return
	}
	// An iteration that goes around without the go statement.
	skip := ck.skipsSpawn(l, sp.Instr)
	if skip == nil {
		return
	}
	related := []analysis.RelatedInformation{{Pos: sp.Pos, Message: "the only go statement of the loop"}}
	if skip.Pos().IsValid() {
		related = append(related, analysis.RelatedInformation{Pos: skip.Pos(), Message: "an iteration that skips it"})
	}
	name := ck.wgName(add)
	msg := fmt.Sprintf("%s counts every element of %s, but the loop can skip the go statement at line %d: the count never reaches zero, so %s.Wait blocks forever. Call %s.Done() where an element is skipped, or Add inside the loop",
		analysisutil.Format(ck.pass.Fset, call), want, ck.line(sp.Pos), name, name)
	ck.report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Message: msg,
		Related: related,
	})
}

// skipsSpawn returns a branch of loop l that goes back to the header
// without running spawn, or nil.
func (ck *checker) skipsSpawn(l *model.Loop, spawn ssa.Instruction) ssa.Instruction {
	for b := range l.Blocks {
		for _, s := range b.Succs {
			if s != l.Header {
				continue
			}
			// Can the latch b be reached from the header without spawn?
			if path := ck.pathAvoiding(l, spawn.Block(), b); path != nil {
				return path
			}
		}
	}
	return nil
}

// pathAvoiding returns the last branch instruction on a path from l's
// header to latch inside l that does not pass block avoid, or nil.
func (ck *checker) pathAvoiding(l *model.Loop, avoid, latch *ssa.BasicBlock) ssa.Instruction {
	if avoid == l.Header || latch == avoid {
		return nil
	}
	if len(latch.Succs) > 1 {
		// The latch itself decides to go around (if cond { continue }).
		if dfsReaches(l, avoid, latch) {
			return branchAt(latch)
		}
		return nil
	}
	seen := map[*ssa.BasicBlock]bool{}
	var branch ssa.Instruction
	var dfs func(x *ssa.BasicBlock) bool
	dfs = func(x *ssa.BasicBlock) bool {
		if x == latch {
			return true
		}
		seen[x] = true
		for _, s := range x.Succs {
			if s == avoid || !l.Blocks[s] || s == l.Header || seen[s] {
				continue
			}
			if dfs(s) {
				if branch == nil && len(x.Succs) > 1 && x != l.Header {
					branch = branchAt(x)
				}
				return true
			}
		}
		return false
	}
	if dfs(l.Header) {
		if branch == nil {
			branch = firstPos(latch)
		}
		return branch
	}
	return nil
}

// dfsReaches reports whether latch is reached from l's header inside l
// without passing avoid.
func dfsReaches(l *model.Loop, avoid, latch *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	var dfs func(x *ssa.BasicBlock) bool
	dfs = func(x *ssa.BasicBlock) bool {
		if x == latch {
			return true
		}
		seen[x] = true
		for _, s := range x.Succs {
			if s != avoid && l.Blocks[s] && s != l.Header && !seen[s] && dfs(s) {
				return true
			}
		}
		return false
	}
	return dfs(l.Header)
}

// branchAt returns the instruction that stands for the branch ending b: the
// computation of its condition (an If has no position of its own).
func branchAt(b *ssa.BasicBlock) ssa.Instruction {
	if iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
		if in, ok := iff.Cond.(ssa.Instruction); ok && in.Pos().IsValid() {
			return in
		}
	}
	return firstPos(b)
}

// firstPos returns an instruction of b with a position.
func firstPos(b *ssa.BasicBlock) ssa.Instruction {
	for _, in := range b.Instrs {
		if in.Pos().IsValid() {
			return in
		}
	}
	if len(b.Instrs) > 0 {
		return b.Instrs[0]
	}
	return nil
}

// waitInLoop reports a Wait inside the loop that starts the goroutines it
// waits for, when the goroutine cannot finish before code after the loop
// runs: it sends on an unbuffered channel that is received only after the
// loop, so the first Wait never returns.
func (ck *checker) waitInLoop(w *model.Op) {
	l := ck.m.LoopOf(w.Instr.Block())
	if l == nil {
		return
	}
	var spawns []*model.Op
	for _, op := range w.Func.Ops {
		if op.Kind != model.OpGo || op.Goroutine == nil || ck.m.LoopOf(op.Instr.Block()) != l {
			continue
		}
		spawns = append(spawns, op)
	}
	if len(spawns) != 1 {
		return
	}
	sp := spawns[0]
	if len(dones(sp.Goroutine, w.Object)) == 0 || !model.Reaches(sp.Instr, w.Instr) {
		return
	}
	// The Wait runs in every iteration that starts the goroutine.
	if ck.skipsAfter(l, sp.Instr, w.Instr) {
		return
	}
	send, recv := ck.blockedUntilAfter(l, sp, w.Func)
	if send == nil {
		return
	}
	name := ck.wgName(w)
	call, _ := analysisutil.CallAt(ck.pass, w.Pos)
	d := analysis.Diagnostic{
		Pos: w.Pos, End: w.Pos,
		Message: fmt.Sprintf("%s.Wait inside the loop waits for the goroutine started at line %d, which blocks on `%s` until the receive after the loop at line %d: %s.Wait never returns. Move %s.Wait after the loop",
			name, ck.line(sp.Pos), ck.text(send), ck.line(recv.Pos), name, name),
		Related: []analysis.RelatedInformation{
			{Pos: sp.Pos, Message: "goroutine started here, in the same loop"},
			{Pos: send.Pos, Message: "blocks until the loop is over"},
			{Pos: recv.Pos, Message: "the only receive, after the loop"},
		},
	}
	if call != nil {
		d.Pos, d.End = call.Pos(), call.End()
	}
	ck.report(d)
}

// skipsAfter reports whether a path from a goes around loop l (back to its
// header) without running b.
func (ck *checker) skipsAfter(l *model.Loop, a, b ssa.Instruction) bool {
	_, found := ck.m.FindPath(model.PathQuery{Fn: a.Parent(), Start: a, Stop: map[ssa.Instruction]bool{b: true}, Until: map[ssa.Instruction]bool{l.Header.Instrs[0]: true}})
	return found
}

// blockedUntilAfter finds a plain send of the goroutine started by sp on an
// unbuffered channel made in f whose receives in f are all outside loop l.
func (ck *checker) blockedUntilAfter(l *model.Loop, sp *model.Op, f *model.Func) (send, recv *model.Op) {
	for _, c := range ck.m.Chans {
		if c.Escape != nil || c.Cap != 0 || c.Func != f {
			continue
		}
		var s, r *model.Op
		ok := true
		for _, u := range c.Uses {
			switch {
			case u.Op.Kind == model.OpSend && u.Ctx.Spawn == sp && u.Blocking():
				s = u.Op
			case u.Op.Kind == model.OpRecv || u.Op.Kind == model.OpRange:
				if u.Ctx != c.Ctxs[0] || l.Blocks[u.Anchor().Block()] {
					ok = false
				}
				r = u.Op
			}
		}
		if ok && s != nil && r != nil {
			return s, r
		}
	}
	return nil, nil
}

// text returns the source of the statement at op.
func (ck *checker) text(op *model.Op) string {
	for _, n := range analysisutil.Path(ck.pass, op.Pos, op.Pos) {
		if s, ok := n.(*ast.SendStmt); ok {
			return analysisutil.Format(ck.pass.Fset, s)
		}
	}
	return "?"
}

// startedCount says how many goroutines that call Done are started: "1
// goroutine that calls wg.Done is started", "3 goroutines that call wg.Done
// are started".
func startedCount(n int64, wg string) string {
	if n == 1 {
		return "1 goroutine that calls " + wg + ".Done is started"
	}
	return fmt.Sprintf("%d goroutines that call %s.Done are started", n, wg)
}
