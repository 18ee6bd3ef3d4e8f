package closedchan

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports sends on closed channels and double closes.
var Analyzer = &analysis.Analyzer{
	Name:     "closedchan",
	Doc:      analysisutil.MustExtractDoc(doc, "closedchan"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#closedchan",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type checker struct {
	pass     *analysis.Pass
	m        *model.Model
	reported map[*model.Op]bool
	onceFns  map[*model.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	ck := &checker{pass: pass, m: m, reported: make(map[*model.Op]bool), onceFns: make(map[*model.Func]bool)}
	for _, op := range m.Ops {
		if (op.Kind == model.OpOnceDo || op.Kind == model.OpOnceFunc) && op.Target != nil {
			for _, f := range m.Reach(op.Target) {
				ck.onceFns[f] = true
			}
		}
	}
	for _, c := range m.Chans {
		if c.Escape == nil {
			ck.local(c)
		}
	}
	ck.fields()
	return nil, nil
}

// guarded reports whether the close op (reached through the calls via)
// runs only under a guard: a sync.Once, a lock, kept state, or the default
// case of a select that first tries to receive from the channel.
func (ck *checker) guarded(op *model.Op, via []ssa.Instruction) bool {
	if ck.onceFns[op.Func] || len(op.Held) > 0 || len(op.Func.Requires) > 0 {
		return true
	}
	for _, in := range via {
		for _, o := range ck.m.OpsAt(ssaPos(in)) {
			if o.Instr == in && (o.Kind == model.OpOnceDo || o.Kind == model.OpOnceFunc) {
				return true
			}
		}
		if cs := ck.callSite(in); cs != nil && len(cs.Held) > 0 {
			return true
		}
		if ck.m.StateGuarded(in) {
			return true
		}
	}
	if ck.m.StateGuarded(op.Instr) || ck.selectGuarded(op) || ck.okGuarded(op) {
		return true
	}
	return false
}

func ssaPos(in ssa.Instruction) token.Pos {
	if c, ok := in.(ssa.CallInstruction); ok && c.Common().Pos().IsValid() {
		return c.Common().Pos()
	}
	return in.Pos()
}

func (ck *checker) callSite(in ssa.Instruction) *model.CallSite {
	f := ck.m.FuncOf(in.Parent())
	if f == nil {
		return nil
	}
	for _, cs := range f.Calls {
		if cs.Instr == in {
			return cs
		}
	}
	return nil
}

// selectGuarded reports whether op is in the default case of a select that
// has a receive case on the same channel: "select { case <-done: default:
// close(done) }".
func (ck *checker) selectGuarded(op *model.Op) bool {
	call, path := analysisutil.CallAt(ck.pass, op.Pos)
	if call == nil || len(call.Args) != 1 {
		return false
	}
	want := analysisutil.Format(ck.pass.Fset, call.Args[0])
	for i, n := range path {
		cc, ok := n.(*ast.CommClause)
		if !ok {
			continue
		}
		if cc.Comm != nil || i+2 >= len(path) {
			return false // not the default case
		}
		sel, ok := path[i+2].(*ast.SelectStmt)
		if !ok {
			return false
		}
		for _, c := range sel.Body.List {
			comm := c.(*ast.CommClause).Comm
			var x ast.Expr
			switch comm := comm.(type) {
			case *ast.ExprStmt:
				x = comm.X
			case *ast.AssignStmt:
				if len(comm.Rhs) == 1 {
					x = comm.Rhs[0]
				}
			}
			if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.ARROW && analysisutil.Format(ck.pass.Fset, u.X) == want {
				return true
			}
		}
		return false
	}
	return false
}

// okGuarded reports whether op is dominated by a test of a receive's ok
// from the same channel ("if _, ok := <-ch; ok { close(ch) }" is odd, but
// a select with a receive case whose body closes is the usual form).
func (ck *checker) okGuarded(op *model.Op) bool {
	if !op.Path.Valid() {
		return false
	}
	key := op.Path.Key()
	for _, o := range op.Func.Ops {
		if o.Kind != model.OpRecv || !o.Path.Valid() || o.Path.Key() != key {
			continue
		}
		b := o.Instr.Block()
		if o.Select != nil {
			e, ok := model.SelectCase(o.Select, o.Case)
			if !ok {
				continue
			}
			b = e.To
		}
		if b.Dominates(op.Instr.Block()) {
			return true
		}
	}
	return false
}

// local checks a channel made in the package whose uses are all known.
func (ck *checker) local(c *model.Chan) {
	var closes, sends []*model.ChanUse
	for _, u := range c.Uses {
		switch u.Op.Kind {
		case model.OpClose:
			if !ck.guarded(u.Op, u.Via) {
				closes = append(closes, u)
			}
		case model.OpSend:
			sends = append(sends, u)
		}
	}
	// A close followed by receiving from the channel in the same goroutine
	// ("close(queue); for t := range queue { ... }") is made on a path where
	// nothing more is sent: what the loop does after it is not on that path
	// (an empty queue), however the code looks.
	kept := closes[:0]
	for _, x := range closes {
		drained := false
		for _, u := range c.Uses {
			if (u.Op.Kind == model.OpRecv || u.Op.Kind == model.OpRange) && u.Ctx == x.Ctx && !x.Deferred && ck.reachesIn(c, x, u) {
				drained = true
			}
		}
		if !drained {
			kept = append(kept, x)
		}
	}
	closes = kept
	if len(closes) == 0 {
		return
	}
	name := c.Name()
	main := c.Ctxs[0]
	// Closed twice.
	for i, a := range closes {
		if ck.inLoopOf(a, c) {
			ck.report(a.Op, fmt.Sprintf("close(%s) is in a loop: the next iteration closes %s again and panics", name, name), nil)
			continue
		}
		for j, b := range closes {
			if i == j || ck.reported[b.Op] {
				continue
			}
			if a.Ctx == b.Ctx && !a.Ctx.ManyBelow(main) {
				switch {
				case a.Deferred && !b.Deferred:
					ck.report(b.Op, fmt.Sprintf("close(%s) here and the deferred close(%s) at line %d both run: the second close panics", name, name, ck.line(a.Op.Pos)),
						[]analysis.RelatedInformation{{Pos: a.Op.Pos, Message: "closes " + name + " again when the function returns"}})
				case !a.Deferred && !b.Deferred && ck.reachesIn(c, a, b) && !ck.m.Distinct(closed(a), closed(b), b.Op.Instr):
					ck.report(b.Op, fmt.Sprintf("close(%s) can run after close(%s) at line %d: the second close panics", name, name, ck.line(a.Op.Pos)),
						[]analysis.RelatedInformation{{Pos: a.Op.Pos, Message: "first close"}})
				}
				continue
			}
			if i > j || model.ExclusiveUses(c, a, b) {
				continue
			}
			// Two goroutines (or two instances of one) close it.
			who := ck.ctxName(b.Ctx)
			if a.Ctx == b.Ctx {
				who = "another instance of this goroutine"
			}
			related := []analysis.RelatedInformation{{Pos: b.Op.Pos, Message: "also closes " + name}}
			ck.report(a.Op, fmt.Sprintf("close(%s) here and close(%s) at line %d in %s can both run: the second close panics", name, name, ck.line(b.Op.Pos), who), related)
			ck.report(b.Op, fmt.Sprintf("close(%s) here and close(%s) at line %d in %s can both run: the second close panics", name, name, ck.line(a.Op.Pos), ck.ctxName(a.Ctx)),
				[]analysis.RelatedInformation{{Pos: a.Op.Pos, Message: "also closes " + name}})
		}
	}
	// Sends that can follow the close.
	for _, x := range closes {
		if ck.reported[x.Op] {
			continue
		}
		var late []*model.ChanUse
		for _, s := range sends {
			if s.Ctx == x.Ctx && !x.Ctx.ManyBelow(main) {
				if !x.Deferred && ck.reachesIn(c, x, s) && model.ReachesPastNil(x.Anchor(), s.Anchor()) && !ck.guardedSend(s) {
					ck.report(s.Op, fmt.Sprintf("send on %s can run after close(%s) at line %d and panics", name, name, ck.line(x.Op.Pos)),
						[]analysis.RelatedInformation{{Pos: x.Op.Pos, Message: "closed here"}})
				}
				continue
			}
			if !s.Ctx.Descends(x.Ctx) && x.Ctx != main {
				continue // the closer is not the senders' parent: order unknown
			}
			if !s.Ctx.Descends(x.Ctx) {
				continue
			}
			// The same function both sending and closing, in different
			// goroutines, is a protocol among its instances ("the last
			// one closes") that the check cannot count.
			if s.Op.Func == x.Op.Func || model.ExclusiveUses(c, x, s) || ck.joinedBefore(c, x, s) || ck.waitsBetween(c, x, s) {
				continue
			}
			late = append(late, s)
		}
		if len(late) == 0 {
			continue
		}
		var related []analysis.RelatedInformation
		for _, s := range late {
			related = append(related, analysis.RelatedInformation{Pos: s.Op.Pos, Message: "may still send on " + name})
		}
		first := late[0]
		ck.report(x.Op, fmt.Sprintf("close(%s) while %s may still send on it: the late `%s` panics", name, ck.ctxName(first.Ctx), ck.text(first.Op)), related)
	}
}

// reachesIn reports whether use b can run after use a in their goroutine,
// without the channel being made anew in between.
func (ck *checker) reachesIn(c *model.Chan, a, b *model.ChanUse) bool {
	from, to := a.Anchor(), b.Anchor()
	if a.Ctx != c.Ctxs[0] || c.Origin.Parent() != from.Parent() {
		return model.Reaches(from, to)
	}
	// Search from a to b without passing the channel's origin.
	if from.Block() == to.Block() {
		after := false
		for _, in := range from.Block().Instrs {
			if in == from {
				after = true
			} else if after && in == c.Origin {
				break
			} else if after && in == to {
				return true
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), from.Block().Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		for _, in := range x.Instrs {
			if in == to {
				return true
			}
			if in == c.Origin {
				goto next
			}
		}
		work = append(work, x.Succs...)
	next:
	}
	return false
}

// closed returns the channel value a close use closes.
func closed(u *model.ChanUse) ssa.Value {
	c, ok := u.Op.Instr.(ssa.CallInstruction)
	if !ok || len(c.Common().Args) != 1 {
		return nil
	}
	return c.Common().Args[0]
}

// guardedSend reports whether a send is guarded against a close before it
// by state its function keeps.
func (ck *checker) guardedSend(s *model.ChanUse) bool {
	return ck.m.StateGuarded(s.Op.Instr) || len(s.Op.Held) > 0
}

// inLoopOf reports whether close use u runs again on the same channel: its
// anchor is in a loop of its goroutine that does not make the channel anew.
func (ck *checker) inLoopOf(u *model.ChanUse, c *model.Chan) bool {
	a := u.Anchor()
	if u.Deferred || !model.Reaches(a, a) {
		return false
	}
	l := ck.m.LoopOf(a.Block())
	if l == nil {
		return false
	}
	if u.Ctx == c.Ctxs[0] && l.Blocks[c.Origin.Block()] {
		return false
	}
	return ck.everyIteration(l, a)
}

// everyIteration reports whether in runs on every trip around loop l: no
// path from its header back to it avoids in. A close under a condition
// ("if accepted == max { close(done) }") may run once.
func (ck *checker) everyIteration(l *model.Loop, in ssa.Instruction) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{l.Header}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if x == in.Block() {
			continue
		}
		for _, s := range x.Succs {
			if s == l.Header {
				return false // around the loop without in
			}
			if l.Blocks[s] {
				work = append(work, s)
			}
		}
	}
	return true
}

// joinedBefore reports whether the goroutine closing the channel (x) waits
// for the sender s's goroutine before closing: a join of it (WaitGroup
// Wait, errgroup Wait, a receive of its done signal) dominates the close,
// or, for the channel's own values, a receive loop over it ends before.
func (ck *checker) joinedBefore(c *model.Chan, x, s *model.ChanUse) bool {
	anchor := x.Anchor()
	for g := s.Ctx; g != nil && g != x.Ctx; g = g.Parent {
		if g.Spawn == nil || g.Spawn.Goroutine == nil {
			continue
		}
		for _, j := range g.Spawn.Goroutine.Joins {
			if ck.isUseOf(c, j) {
				continue // receives of the channel itself: see below
			}
			if j.Select != nil {
				if e, ok := model.SelectCase(j.Select, j.Case); ok && e.To.Parent() == anchor.Parent() && len(e.To.Preds) == 1 && e.To.Dominates(anchor.Block()) {
					return true
				}
				continue
			}
			if model.Dominates(j.Instr, anchor) {
				return true
			}
		}
	}
	// Any Wait (WaitGroup or errgroup) before the close, when the sender
	// marks a WaitGroup Done or runs in an errgroup: the groups may be
	// the same one handed around (returned, stored) in ways the model does
	// not follow.
	if ck.signalsDone(s.Ctx, x.Ctx) && ck.waitsBefore(anchor) {
		return true
	}
	// The closer received from the channel before closing, and the close
	// is not inside a loop that receives (a timeout case of a receive loop
	// would close with senders outstanding).
	for _, u := range c.Uses {
		if u.Ctx != x.Ctx || (u.Op.Kind != model.OpRecv && u.Op.Kind != model.OpRange) {
			continue
		}
		ra := u.Anchor()
		if l := ck.m.LoopOf(ra.Block()); l != nil {
			// A receive loop that ends before the close, by its own
			// condition (not a break or a timeout case).
			if l.Blocks[anchor.Block()] || !l.Header.Dominates(anchor.Block()) || !onlyNaturalExitsTo(l, anchor) {
				continue
			}
		} else if u.Op.Select != nil || !model.Dominates(ra, anchor) {
			continue
		}
		if s.Ctx.ManyBelow(x.Ctx) && ck.m.LoopOf(ra.Block()) == nil && u.Op.Kind != model.OpRange {
			continue // one receive for many senders
		}
		return true
	}
	return false
}

// waitsBetween reports whether the closing goroutine can wait for
// something other than c, a timer or a context between starting the
// sender's goroutine and closing: a receive from another channel, a
// WaitGroup, errgroup or Cond Wait, or a call of a function that does. That
// may be the sender telling it that it is done, in a way the model does not
// follow (a done channel kept in a field, a Kill method that waits), so the
// check stays silent.
func (ck *checker) waitsBetween(c *model.Chan, x, s *model.ChanUse) bool {
	anchor := x.Anchor()
	var from ssa.Instruction
	if s.Ctx.Descends(x.Ctx) {
		from = s.Ctx.Anchor(x.Ctx)
	}
	f := ck.m.FuncOf(anchor.Parent())
	if f == nil {
		return true
	}
	on := func(in ssa.Instruction) bool {
		if from != nil && !model.Reaches(from, in) && from != in {
			return false
		}
		return x.Deferred || model.Reaches(in, anchor)
	}
	for _, op := range f.Ops {
		if !ck.isWait(c, op) || !on(op.Instr) {
			continue
		}
		return true
	}
	for _, cs := range f.Calls {
		if cs.Go || !on(cs.Instr) {
			continue
		}
		for _, g := range ck.m.Reach(cs.Callee) {
			for _, op := range g.Ops {
				if ck.isWait(c, op) {
					return true
				}
			}
		}
	}
	return false
}

// isWait reports whether op can wait for another goroutine: a receive
// (plain or in a select) from a channel other than c, timers and
// contexts, or a Wait.
func (ck *checker) isWait(c *model.Chan, op *model.Op) bool {
	switch op.Kind {
	case model.OpWGWait, model.OpGroupWait, model.OpCondWait, model.OpSemAcquire:
		return true
	case model.OpRecv, model.OpRange:
		if ck.isUseOf(c, op) || op.Instr == nil {
			return false
		}
		var ch ssa.Value
		switch in := op.Instr.(type) {
		case *ssa.UnOp:
			ch = in.X
		case *ssa.Select:
			if op.Case >= 0 && op.Case < len(in.States) {
				ch = in.States[op.Case].Chan
			}
		}
		return ch != nil && !isTimerOrCtx(ch)
	}
	return false
}

// isTimerOrCtx reports whether ch is a timer channel or ctx.Done().
func isTimerOrCtx(ch ssa.Value) bool {
	switch x := ch.(type) {
	case *ssa.Call:
		if x.Call.IsInvoke() && x.Call.Method.Name() == "Done" {
			return true
		}
		if f := x.Call.StaticCallee(); f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "time" {
			return true
		}
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			if t, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
				if n, ok := t.Elem().(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" {
					return true
				}
			}
		}
	}
	return false
}

// onlyNaturalExitsTo reports whether every exit of loop l from which
// anchor can be reached leaves from the loop header (its condition).
func onlyNaturalExitsTo(l *model.Loop, anchor ssa.Instruction) bool {
	for b := range l.Blocks {
		if b == l.Header {
			continue
		}
		for _, s := range b.Succs {
			if l.Blocks[s] {
				continue
			}
			if s == anchor.Block() || model.BlockReaches(s, anchor.Block()) {
				return false
			}
		}
	}
	return true
}

// signalsDone reports whether the goroutine c (or one between it and the
// closer's goroutine top) marks a WaitGroup Done or is an errgroup or
// WaitGroup.Go goroutine.
func (ck *checker) signalsDone(c, top *model.ChanCtx) bool {
	for g := c; g != nil && g != top; g = g.Parent {
		if g.Spawn == nil {
			continue
		}
		if g.Spawn.Kind == model.OpGroupGo || g.Spawn.Kind == model.OpWGGo {
			return true
		}
		for _, f := range ck.m.Reach(g.Root) {
			for _, op := range f.Ops {
				if op.Kind == model.OpWGDone {
					return true
				}
			}
		}
	}
	return false
}

// waitsBefore reports whether a WaitGroup or errgroup Wait (in anchor's
// function or a function it calls) runs before anchor on every path.
func (ck *checker) waitsBefore(anchor ssa.Instruction) bool {
	f := ck.m.FuncOf(anchor.Parent())
	if f == nil {
		return false
	}
	for _, op := range f.Ops {
		if (op.Kind == model.OpWGWait || op.Kind == model.OpGroupWait) && model.Dominates(op.Instr, anchor) {
			return true
		}
	}
	for _, cs := range f.Calls {
		if cs.Go || !model.Dominates(cs.Instr, anchor) {
			continue
		}
		for _, g := range ck.m.Reach(cs.Callee) {
			for _, op := range g.Ops {
				if op.Kind == model.OpWGWait || op.Kind == model.OpGroupWait {
					return true
				}
			}
		}
	}
	return false
}

// isUseOf reports whether op operates on channel c.
func (ck *checker) isUseOf(c *model.Chan, op *model.Op) bool {
	for _, u := range c.Uses {
		if u.Op == op {
			return true
		}
	}
	return false
}

func (ck *checker) ctxName(c *model.ChanCtx) string {
	if c.Spawn == nil {
		return ck.m.FuncName(c.Root)
	}
	return fmt.Sprintf("the goroutine started at line %d", ck.line(c.Spawn.Pos))
}

func (ck *checker) line(pos token.Pos) int { return ck.pass.Fset.Position(pos).Line }

// text returns the source of the statement at op.
func (ck *checker) text(op *model.Op) string {
	for _, n := range analysisutil.Path(ck.pass, op.Pos, op.Pos) {
		switch n := n.(type) {
		case *ast.SendStmt:
			return analysisutil.Format(ck.pass.Fset, n)
		case *ast.CallExpr:
			return analysisutil.Format(ck.pass.Fset, n)
		case ast.Stmt:
			return ""
		}
	}
	return ""
}

func (ck *checker) report(op *model.Op, msg string, related []analysis.RelatedInformation) {
	if ck.reported[op] {
		return
	}
	ck.reported[op] = true
	pos, end := op.Pos, op.Pos
	for _, n := range analysisutil.Path(ck.pass, op.Pos, op.Pos) {
		if s, ok := n.(*ast.SendStmt); ok {
			pos, end = s.Pos(), s.End()
			break
		}
		if call, ok := n.(*ast.CallExpr); ok && call.Lparen == op.Pos {
			pos, end = call.Pos(), call.End()
			break
		}
	}
	ck.pass.Report(analysis.Diagnostic{Pos: pos, End: end, Category: "closedchan", Message: msg, Related: related})
}

// fields checks channels kept in struct fields, by field (every instance
// of T.f together): closes at two sites, closes in loops, and sends in
// other methods with no lock in common.
func (ck *checker) fields() {
	for _, obj := range ck.m.Objects {
		if obj.Kind != model.ObjChan || obj.Class == "" {
			continue
		}
		var closes, sends []*model.Op
		for _, op := range obj.Ops {
			if !op.Path.Valid() || len(op.Path.Fields) == 0 || op.Path.Elem {
				continue
			}
			switch op.Kind {
			case model.OpClose:
				if !ck.guarded(op, nil) && !ck.remade(op) {
					closes = append(closes, op)
				}
			case model.OpSend:
				sends = append(sends, op)
			}
		}
		if len(closes) == 0 {
			continue
		}
		// Each site is named as its own code spells the channel (s.stopCh
		// in one method, p.stopCh in another), not by the object's name.
		name := func(op *model.Op) string {
			if op.Path.Valid() {
				return op.Path.Name()
			}
			return obj.Name
		}
		sort.Slice(closes, func(i, j int) bool { return closes[i].Pos < closes[j].Pos })
		for _, op := range closes {
			if l := ck.m.LoopOf(op.Instr.Block()); l != nil && model.Reaches(op.Instr, op.Instr) && !ck.storedInLoop(op) && !model.PerIteration(op.Path, l) && ck.everyIteration(l, op.Instr) {
				ck.report(op, fmt.Sprintf("close(%s) is in a loop: the next iteration closes %s again and panics", name(op), name(op)), nil)
			}
		}
		// Two sites in different functions.
		for _, a := range closes {
			for _, b := range closes {
				if a == b || a.Func == b.Func || ck.sameOwner(a.Func, b.Func) && !a.Deferred && !b.Deferred || ck.m.ExclusiveSites(a, b) {
					continue
				}
				// Each closes the object it was handed (one receive per
				// fresh value sent): never the same one.
				if ck.m.HandedOver(a.Path) && ck.m.HandedOver(b.Path) {
					continue
				}
				// Test code that drives or mocks the package's internals
				// closes what the library closes in a run of its own: the
				// two do not make each other wrong.
				if ck.m.TestOnly(a.Func) != ck.m.TestOnly(b.Func) {
					continue
				}
				ck.report(a, fmt.Sprintf("close(%s) here and close(%s) at line %d in %s can both run on one %s: the second close panics",
					name(a), name(b), ck.line(b.Pos), ck.m.FuncName(b.Func), ownerName(ck.m, a)),
					[]analysis.RelatedInformation{{Pos: b.Pos, Message: "also closes " + name(b)}})
			}
		}
		// Sends in other functions, when the package itself runs them in
		// goroutines: a method that other packages call is usually under
		// a contract ("do not Publish after Close") that the check cannot
		// read.
		for _, s := range sends {
			if ck.reported[s] || len(s.Func.Goroutines) == 0 {
				continue
			}
			for _, x := range closes {
				if x.Func == s.Func || ck.sameOwner(x.Func, s.Func) || commonLock(x, s) || ck.guardedSend(&model.ChanUse{Op: s}) || ck.tokenSend(s, x) {
					continue
				}
				ck.report(s, fmt.Sprintf("send on %s can run after %s closes it at line %d, and panics: no lock is held by both", name(s), ck.m.FuncName(x.Func), ck.line(x.Pos)),
					[]analysis.RelatedInformation{{Pos: x.Pos, Message: "closed here"}})
				break
			}
		}
	}
}

func ownerName(m *model.Model, op *model.Op) string {
	f := op.Path.Fields[len(op.Path.Fields)-1]
	if tn := m.Owner(f); tn != nil {
		return tn.Name()
	}
	return "value"
}

// remade reports whether the function that closes op's channel (or one
// enclosing it) also stores to the field: it swaps in a new channel or
// nil ("ch := s.ch; s.ch = nil; close(ch)"), so later code that loads the
// field does not see the closed channel.
func (ck *checker) remade(op *model.Op) bool {
	cls := op.Path.Class()
	for fn := op.Instr.Parent(); fn != nil; fn = fn.Parent() {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				st, ok := in.(*ssa.Store)
				if !ok {
					continue
				}
				if p, ok := ck.m.PathOf(st.Addr); ok && p.Class() == cls {
					return true
				}
			}
		}
	}
	return false
}

// storedInLoop reports whether the loop around op stores to op's path.
func (ck *checker) storedInLoop(op *model.Op) bool {
	l := ck.m.LoopOf(op.Instr.Block())
	if l == nil {
		return false
	}
	key := op.Path.Key()
	for b := range l.Blocks {
		for _, in := range b.Instrs {
			if st, ok := in.(*ssa.Store); ok {
				if p, ok := ck.m.PathOf(st.Addr); ok && p.Key() == key {
					return true
				}
			}
		}
	}
	return false
}

// tokenSend reports whether send s and close x each happen only after a
// receive from the same channel: the channel is used as a token (receive
// to take it, send to give it back), so the two cannot overlap. The token
// may be the closed channel itself ("n := <-l.active; l.active <- n+1").
func (ck *checker) tokenSend(s, x *model.Op) bool {
	before := func(op *model.Op) map[model.ClassKey]bool {
		out := map[model.ClassKey]bool{}
		for _, o := range op.Func.Ops {
			if o.Kind != model.OpRecv || !o.Path.Valid() || o.Path.Class() == "" {
				continue
			}
			if o.Select != nil {
				if e, ok := model.SelectCase(o.Select, o.Case); ok && len(e.To.Preds) == 1 && e.To.Dominates(op.Instr.Block()) {
					out[o.Path.Class()] = true
				}
				continue
			}
			if model.Dominates(o.Instr, op.Instr) {
				out[o.Path.Class()] = true
			}
		}
		return out
	}
	bs := before(s)
	if bs[s.Path.Class()] {
		return true
	}
	for k := range before(x) {
		if bs[k] {
			return true
		}
	}
	return false
}

// sameOwner reports whether f and g run only in one goroutine, which then
// orders them.
func (ck *checker) sameOwner(f, g *model.Func) bool {
	a, b := f.Owner(), g.Owner()
	return a != nil && a == b
}

// commonLock reports whether a lock is held at both operations.
func commonLock(a, b *model.Op) bool {
	held := func(op *model.Op) []*model.Held {
		return append(append([]*model.Held(nil), op.Held...), op.Func.Requires...)
	}
	for _, x := range held(a) {
		for _, y := range held(b) {
			if x.Path.Class() != "" && x.Path.Class() == y.Path.Class() {
				return true
			}
		}
	}
	return false
}
