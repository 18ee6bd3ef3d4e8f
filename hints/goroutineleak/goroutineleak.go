package goroutineleak

import (
	_ "embed"
	"fmt"
	"go/ast"
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

// Analyzer reports goroutines that can never end.
var Analyzer = &analysis.Analyzer{
	Name:     "goroutineleak",
	Doc:      analysisutil.MustExtractDoc(doc, "goroutineleak"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#goroutineleak",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type checker struct {
	pass       *analysis.Pass
	m          *model.Model
	repeatable map[*model.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	ck := &checker{pass: pass, m: m}
	ck.repeatable = ck.repeatableFuncs()
	for _, g := range m.Goroutines {
		if g.Target == nil {
			continue
		}
		ck.check(g)
	}
	return nil, nil
}

// check reports g if its function can never return.
func (ck *checker) check(g *model.Goroutine) {
	spawner := g.Spawn.Func
	if strings.HasSuffix(ck.pass.Fset.Position(g.Spawn.Pos).Filename, "_test.go") {
		return
	}
	if !ck.repeatable[spawner] && !ck.inEndlessLoop(g.Spawn.Instr) {
		return // runs once for the program: a daemon
	}
	if ck.m.StateGuarded(g.Spawn.Instr) {
		return // started at most once (or a bounded number of times) per program
	}
	loopFn, loop := ck.endless(g.Target, 0, map[*model.Func]bool{})
	if loop == nil {
		return
	}
	if ck.canGoexit(g) {
		return
	}
	ck.report(g, loopFn, loop)
}

// endless returns the loop that keeps f from ever returning, or nil when f
// can return (or stops some other way: a panic, a fatal exit).
func (ck *checker) endless(f *model.Func, depth int, seen map[*model.Func]bool) (*model.Func, *model.Loop) {
	if depth > 4 || seen[f] {
		return nil, nil
	}
	seen[f] = true
	fn := f.SSA
	never := ck.tickerExits(fn)
	if _, found := ck.m.FindPath(model.PathQuery{Fn: fn, StopEdges: never}); found {
		return nil, nil
	}
	// No return: it may still end by panicking (log.Fatal and friends
	// end in a panic in SSA); only a loop makes it run on.
	// A loop reachable from the entry keeps it running.
	var best *model.Loop
	reach := reachable(fn)
	for _, l := range ck.m.Loops(fn) {
		if !reach[l.Header] || loopExits(l, never) {
			continue
		}
		if best == nil || len(l.Blocks) > len(best.Blocks) {
			best = l
		}
	}
	if best != nil {
		return f, best
	}
	// Or a call of a function of the package that never returns.
	for _, cs := range f.Calls {
		if cs.Go || !reach[cs.Instr.Block()] {
			continue
		}
		if lf, l := ck.endless(cs.Callee, depth+1, seen); l != nil {
			return lf, l
		}
	}
	return nil, nil
}

// loopExits reports whether loop l can be left (other than by an edge of
// never) to a block that does not end the function abnormally (the rest of
// the function, not a panic).
func loopExits(l *model.Loop, never map[model.Edge]bool) bool {
	for b := range l.Blocks {
		for _, s := range b.Succs {
			if !l.Blocks[s] && !never[model.Edge{From: b, To: s}] && (strings.HasSuffix(s.Comment, ".done") || !fatal(s)) {
				return true
			}
		}
	}
	return false
}

// fatal reports whether block b ends the program or the goroutine at once:
// a call that never returns (log.Fatal, os.Exit), followed by the panic
// go/ssa puts after it, or a panic.
func fatal(b *ssa.BasicBlock) bool {
	if len(b.Instrs) == 0 {
		return false
	}
	_, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Panic)
	return ok
}

// reachable returns the blocks reachable from fn's entry.
func reachable(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{}
	if len(fn.Blocks) == 0 {
		return seen
	}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		work = append(work, b.Succs...)
	}
	return seen
}

// tickerExits returns the exits of range loops over channels that are never
// closed: time.Tick, a Ticker's or Timer's C.
func (ck *checker) tickerExits(fn *ssa.Function) map[model.Edge]bool {
	out := map[model.Edge]bool{}
	for _, b := range fn.Blocks {
		if b.Comment != "rangechan.loop" {
			continue
		}
		for _, in := range b.Instrs {
			u, ok := in.(*ssa.UnOp)
			if !ok || u.Op != token.ARROW || !neverClosed(u.X) {
				continue
			}
			for _, s := range b.Succs {
				if s.Comment == "rangechan.done" {
					out[model.Edge{From: b, To: s}] = true
				}
			}
		}
	}
	return out
}

// neverClosed reports whether ch is a timer channel: time.Tick(d), or the C
// of a time.Ticker or time.Timer.
func neverClosed(ch ssa.Value) bool {
	switch x := ch.(type) {
	case *ssa.Call:
		if f := x.Call.StaticCallee(); f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "time" && f.Name() == "Tick" {
			return true
		}
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && fa.Field == 0 {
			if n := namedOf(fa.X.Type()); n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" &&
				(n.Obj().Name() == "Ticker" || n.Obj().Name() == "Timer") {
				return true
			}
		}
	}
	return false
}

func namedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// canGoexit reports whether the goroutine can end by runtime.Goexit (or
// a testing FailNow/Skip, which call it).
func (ck *checker) canGoexit(g *model.Goroutine) bool {
	for _, f := range g.Reaches {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				call, ok := in.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil || callee.Pkg == nil {
					if call.Common().IsInvoke() {
						switch call.Common().Method.Name() {
						case "FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf":
							return true
						}
					}
					continue
				}
				switch callee.Pkg.Pkg.Path() + "." + callee.Name() {
				case "runtime.Goexit", "testing.FailNow", "testing.Fatal", "testing.Fatalf",
					"testing.SkipNow", "testing.Skip", "testing.Skipf":
					return true
				}
			}
		}
	}
	return false
}

// repeatable returns the functions that can run any number of times: those
// callable from other packages (exported, outside package main), those used
// as values (handlers, callbacks), and those they call, in loops or not. What
// only main, init, a sync.Once body or the runtime's own entry points call
// runs once per program.
func (ck *checker) repeatableFuncs() map[*model.Func]bool {
	isMain := ck.pass.Pkg.Name() == "main"
	once := make(map[*model.Func]bool)
	for _, op := range ck.m.Ops {
		if (op.Kind == model.OpOnceDo || op.Kind == model.OpOnceFunc) && op.Target != nil {
			once[op.Target] = true
		}
	}
	r := make(map[*model.Func]bool)
	for _, f := range ck.m.Funcs {
		if once[f] {
			continue
		}
		if f.Exported && !isMain || f.ValueUses > 0 && !isOnceArg(ck.m, f) {
			r[f] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, f := range ck.m.Funcs {
			if r[f] || once[f] {
				continue
			}
			for _, cs := range f.CalledFrom {
				if r[cs.Caller] || ck.m.LoopOf(cs.Instr.Block()) != nil {
					r[f] = true
					changed = true
					break
				}
			}
		}
	}
	return r
}

// isOnceArg reports whether f's only value uses are as the function of a
// sync.Once (or OnceFunc): it runs once.
func isOnceArg(m *model.Model, f *model.Func) bool {
	for _, op := range m.Ops {
		if (op.Kind == model.OpOnceDo || op.Kind == model.OpOnceFunc) && op.Target == f {
			return true
		}
	}
	return false
}

// inEndlessLoop reports whether in is in a loop of its function that has
// no exit: a goroutine started there is started again and again.
func (ck *checker) inEndlessLoop(in ssa.Instruction) bool {
	for _, l := range ck.m.Loops(in.Parent()) {
		if !l.Blocks[in.Block()] {
			continue
		}
		exits := false
		for b := range l.Blocks {
			for _, s := range b.Succs {
				if !l.Blocks[s] {
					exits = true
				}
			}
		}
		if !exits {
			return true
		}
	}
	return false
}

// report describes the endless loop of g and what would stop it.
func (ck *checker) report(g *model.Goroutine, loopFn *model.Func, l *model.Loop) {
	line := ck.pass.Fset.Position(loopPos(ck.pass, l)).Line
	where := fmt.Sprintf("the loop at line %d", line)
	if loopFn != g.Target {
		where = fmt.Sprintf("the loop at line %d in %s", line, ck.m.FuncName(loopFn))
	}
	waits := ck.waitsOn(loopFn, l)
	spawner := ck.m.FuncName(g.Spawn.Func)
	count := "one goroutine"
	if g.Many {
		count = "a goroutine per iteration"
	}
	msg := fmt.Sprintf("this goroutine never ends: %s has no way out (no return, no ctx.Done() case, no closed channel, no stop signal)%s; each call of %s leaks %s. %s",
		where, waits, spawner, count, ck.remedy(g, loopFn, l))
	pos, end := g.Spawn.Pos, g.Spawn.Pos
	if gs := ck.goStmt(g.Spawn.Pos); gs != nil {
		pos, end = gs.Pos(), gs.Call.Lparen
	}
	ck.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: "goroutineleak", Message: msg,
		Related: []analysis.RelatedInformation{{Pos: loopPos(ck.pass, l), Message: "this loop never ends"}},
	})
}

func (ck *checker) goStmt(pos token.Pos) *ast.GoStmt {
	for _, n := range analysisutil.Path(ck.pass, pos, pos) {
		if gs, ok := n.(*ast.GoStmt); ok && gs.Pos() == pos {
			return gs
		}
	}
	return nil
}

// loopPos returns the position of the for statement of loop l.
func loopPos(pass *analysis.Pass, l *model.Loop) token.Pos {
	var first token.Pos
	for b := range l.Blocks {
		for _, in := range b.Instrs {
			if p := in.Pos(); p.IsValid() && (!first.IsValid() || p < first) {
				first = p
			}
		}
	}
	for _, n := range analysisutil.Path(pass, first, first) {
		switch n := n.(type) {
		case *ast.ForStmt:
			return n.For
		case *ast.RangeStmt:
			return n.For
		}
	}
	return first
}

// waitsOn describes what the loop blocks on: ", it waits on `<-s.reqs`".
func (ck *checker) waitsOn(f *model.Func, l *model.Loop) string {
	var parts []string
	seen := map[string]bool{}
	for _, op := range f.Ops {
		if !l.Blocks[op.Instr.Block()] {
			continue
		}
		var s string
		switch op.Kind {
		case model.OpRecv, model.OpRange, model.OpSend:
			if op.Select != nil && op.Case < 0 {
				continue
			}
			s = analysisutil.Format(ck.pass.Fset, ck.opNode(op))
		case model.OpSleep:
			s = "time.Sleep"
		}
		if s != "" && !seen[s] {
			seen[s] = true
			parts = append(parts, "`"+s+"`")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 3 {
		parts = append(parts[:3], "…")
	}
	return "; it waits on " + strings.Join(parts, ", ")
}

// opNode returns the syntax of a channel operation.
func (ck *checker) opNode(op *model.Op) ast.Node {
	for _, n := range analysisutil.Path(ck.pass, op.Pos, op.Pos) {
		switch n := n.(type) {
		case *ast.SendStmt:
			return n
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				return n
			}
		case *ast.RangeStmt:
			return &ast.UnaryExpr{Op: token.ARROW, X: n.X}
		}
	}
	return &ast.Ident{Name: "?"}
}

// remedy says what would stop the goroutine.
func (ck *checker) remedy(g *model.Goroutine, f *model.Func, l *model.Loop) string {
	ctxName := ""
	for _, p := range g.Spawn.Func.SSA.Params {
		if isContext(p.Type()) {
			ctxName = p.Name()
		}
	}
	stopper := ""
	if recv := g.Spawn.Func.SSA.Signature.Recv(); recv != nil {
		if n := namedOf(recv.Type()); n != nil {
			for _, name := range []string{"Close", "Stop", "Shutdown"} {
				if obj, _, _ := types.LookupFieldOrMethod(recv.Type(), true, n.Obj().Pkg(), name); obj != nil {
					stopper = name
					break
				}
			}
		}
	}
	hasSelect := false
	for _, op := range f.Ops {
		if op.Kind == model.OpSelect && l.Blocks[op.Instr.Block()] {
			hasSelect = true
		}
	}
	signal := "a quit channel"
	if stopper != "" {
		signal = "a quit channel that " + stopper + " closes"
	}
	if ctxName != "" {
		signal = ctxName + ".Done()"
	}
	if hasSelect {
		return fmt.Sprintf("Add a case on %s that returns", signal)
	}
	return fmt.Sprintf("Select on %s and return when it fires", signal)
}

func isContext(t types.Type) bool {
	n := namedOf(t)
	return n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}
