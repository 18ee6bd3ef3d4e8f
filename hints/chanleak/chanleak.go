package chanleak

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports channel operations that can block forever.
var Analyzer = &analysis.Analyzer{
	Name:     "chanleak",
	Doc:      analysisutil.MustExtractDoc(doc, "chanleak"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#chanleak",
	Requires: []*analysis.Analyzer{model.Analyzer, explore.Analyzer},
	Run:      run,
}

type checker struct {
	pass     *analysis.Pass
	m        *model.Model
	x        *explore.Explorer
	reported map[*model.Op]bool
	escaping map[*types.Var]bool         // channel fields with users the check cannot see
	chanOf   map[*model.Op][]*model.Chan // the channel instances each operation uses
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	ck := &checker{pass: pass, m: m, x: pass.ResultOf[explore.Analyzer].(*explore.Explorer), reported: make(map[*model.Op]bool)}
	for _, c := range m.Chans {
		if c.Escape != nil || len(c.Uses) == 0 {
			continue
		}
		ch := ck.newChan(c)
		if ch.noCounterpart() {
			continue // the rest follows from it
		}
		ch.orphanedSenders()
		ch.missingSender()
		ch.rangeNeverClosed()
		ch.cancelledSenders()
	}
	ck.fieldCancelledSenders()
	ck.fieldSelfSends()
	ck.ignoredStops()
	ck.checkedCtx()
	ck.explored()
	return nil, nil
}

// explored reports the channel operations that the interleaving engine
// finds waiting forever and no rule above explained: for each function
// that starts goroutines, the scenario of one call of it.
func (ck *checker) explored() {
	opAt := make(map[ssa.Instruction]*model.Op)
	for _, op := range ck.m.Ops {
		switch {
		case op.Kind == model.OpSelect,
			op.Select == nil && (op.Kind == model.OpSend || op.Kind == model.OpRecv || op.Kind == model.OpRange):
			opAt[op.Instr] = op
		}
	}
	roots := make(map[*ssa.Function]bool)
	var order []*ssa.Function
	for _, g := range ck.m.Goroutines {
		r := explore.Outermost(g.Spawn.Func.SSA)
		if !roots[r] && !isMain(r) {
			roots[r] = true
			order = append(order, r)
		}
	}
	for _, r := range order {
		fromTest := false
		if f := ck.m.FuncOf(r); f != nil {
			fromTest = ck.m.TestOnly(f)
		}
		for _, f := range ck.x.Scenario(r).Findings() {
			op := opAt[f.Instr]
			if !f.Certain() || op == nil || ck.reported[op] || fromTest && !ck.m.TestOnly(op.Func) {
				continue // a test's scenario does not judge the package's own code
			}
			// Its steps are the interleaving the message shows; another
			// scenario in which every interleaving completes the
			// operation still silences it, as it does the rules.
			ck.reported[op] = true
			if v, _ := ck.verdict(op); v != explore.Completes {
				ck.emit(op, ck.exploredMessage(op, f), witness(f), nil)
			}
		}
	}
}

func isMain(fn *ssa.Function) bool {
	return fn.Name() == "main" && fn.Signature.Recv() == nil && fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main"
}

// exploredMessage says what waits forever; the witness says how.
func (ck *checker) exploredMessage(op *model.Op, f *explore.Finding) string {
	who := "the goroutine started at line " + fmt.Sprint(ck.line(f.Start))
	if !f.Start.IsValid() {
		who = op.Func.SSA.Name()
	}
	switch op.Kind {
	case model.OpSend:
		return fmt.Sprintf("%s can block forever: in the interleaving shown, %s waits here and no goroutine is left to receive", quote(ck.opText(op)), who)
	case model.OpSelect:
		return fmt.Sprintf("this select can block forever: in the interleaving shown, %s waits here and none of its cases can ever proceed", who)
	}
	return fmt.Sprintf("%s can block forever: in the interleaving shown, %s waits here and no goroutine is left to send on or close the channel", quote(ck.opText(op)), who)
}

// checkedCtx reports a plain send or receive on a channel field, in a
// function that takes a context and checks it first (if ctx.Err() != nil {
// return }): the function means to give up when the context ends, but
// while it waits here it cannot.
func (ck *checker) checkedCtx() {
	for _, f := range ck.m.Funcs {
		var ctxName string
		for _, p := range f.SSA.Params {
			if isContext(p.Type()) {
				ctxName = p.Name()
			}
		}
		if ctxName == "" {
			continue
		}
		edges, _ := cancelEdges(f.SSA)
		var check *ssa.If
		var checkPos token.Pos
		for _, e := range edges {
			iff, ok := e.From.Instrs[len(e.From.Instrs)-1].(*ssa.If)
			if !ok {
				continue
			}
			if bin, isBin := iff.Cond.(*ssa.BinOp); isBin {
				if call, isCall := bin.X.(*ssa.Call); isCall && call.Call.IsInvoke() && call.Call.Method.Name() == "Err" && call.Pos().IsValid() {
					check, checkPos = iff, call.Pos()
				}
			}
		}
		if check == nil {
			continue
		}
		// Sends only: a receive after the check is often a join (waiting
		// for goroutines to exit after cancelling them).
		for _, op := range f.Ops {
			if op.Select != nil || op.Kind != model.OpSend || ck.reported[op] {
				continue
			}
			if !op.Path.Valid() || len(op.Path.Fields) == 0 || op.Path.Elem || !check.Block().Dominates(op.Instr.Block()) {
				continue
			}
			if handsBack(f, op) {
				continue // gives back a token taken from the channel: there is room
			}
			ck.report(op, fmt.Sprintf("%s ignores %s: %s checks %s.Err() at line %d, but while it waits here a cancelled %s cannot stop it. Select on %s.Done() too",
				quote(ck.opText(op)), ctxName, ck.m.FuncName(f), ctxName, ck.line(checkPos), ctxName, ctxName),
				[]analysis.RelatedInformation{{Pos: checkPos, Message: ctxName + " is checked here, once"}}, nil)
		}
	}
}

// handsBack reports whether send op returns a token its function took
// from the same channel before (a receive, plain or in a select, that
// dominates it): the channel has room for it.
func handsBack(f *model.Func, op *model.Op) bool {
	cls := op.Path.Class()
	for _, o := range f.Ops {
		if o.Kind != model.OpRecv || !o.Path.Valid() || o.Path.Class() != cls {
			continue
		}
		if o.Select != nil {
			if e, ok := model.SelectCase(o.Select, o.Case); ok && len(e.To.Preds) == 1 && e.To.Dominates(op.Instr.Block()) {
				return true
			}
			continue
		}
		if o.Instr.Block().Dominates(op.Instr.Block()) {
			return true
		}
	}
	return false
}

// ignoredStops reports a plain send on a channel field made unbuffered,
// in a function that otherwise watches a stop signal: a goroutine loop
// with a select case on ctx.Done() or a quit channel that returns, or a
// function with a context that checks it first. While it waits on the
// send, the stop signal is not watched: once the reader has stopped
// (after Stop, after cancelling), the send blocks forever.
func (ck *checker) ignoredStops() {
	if ck.escaping == nil {
		ck.escaping = ck.escapingFields()
	}
	for _, f := range ck.m.Funcs {
		stop, why := ck.stopSignal(f)
		if stop == nil {
			continue
		}
		for _, op := range f.Ops {
			if op.Kind != model.OpSend || op.Select != nil || op.Object == nil || ck.reported[op] {
				continue
			}
			if !op.Path.Valid() || len(op.Path.Fields) == 0 || op.Path.Elem || !unbufferedField(op.Object) {
				continue
			}
			if !model.Reaches(stop, op.Instr) || !ck.readersStopOn(op.Object, why) {
				continue
			}
			name := op.Path.Name()
			ck.report(op, fmt.Sprintf("%s ignores %s: %s watches it at line %d but blocks here without it, so once the reader of %s has stopped, this send waits forever. Select on it here too",
				quote(ck.opText(op)), why, ck.m.FuncName(f), ck.line(model.InstrPos(stop)), name),
				[]analysis.RelatedInformation{{Pos: model.InstrPos(stop), Message: "the stop signal is watched here"}}, nil)
		}
	}
}

// readersStopOn reports whether the channel field obj has receivers in
// the package, and every one of them leaves its loop on the same stop
// signal: once it fires, nobody receives. (Receivers elsewhere are
// unknown: the check stays silent.)
func (ck *checker) readersStopOn(obj *model.Object, why string) bool {
	n := 0
	for _, op := range obj.Ops {
		if op.Kind != model.OpRecv && op.Kind != model.OpRange {
			continue
		}
		n++
		if _, w := ck.stopSignal(op.Func); w != why {
			return false
		}
	}
	return n > 0 && !ck.escapingField(obj)
}

// escapingField reports whether the channel field of obj has users the
// check cannot see.
func (ck *checker) escapingField(obj *model.Object) bool {
	return !ck.fieldLocal(obj)
}

// stopSignal returns where f watches a stop signal and what it is: a
// select case on ctx.Done() or on a channel field or parameter that
// returns, in a loop.
func (ck *checker) stopSignal(f *model.Func) (ssa.Instruction, string) {
	for _, op := range f.Ops {
		if op.Select == nil || op.Kind != model.OpRecv || op.Case < 0 {
			continue
		}
		if ck.m.LoopOf(op.Instr.Block()) == nil {
			continue
		}
		st := op.Select.States[op.Case]
		what := ""
		if c, ok := st.Chan.(*ssa.Call); ok && c.Call.IsInvoke() && c.Call.Method.Name() == "Done" && isContext(c.Call.Value.Type()) {
			what = "ctx.Done()"
			if p, ok := ck.m.PathOf(c.Call.Value); ok && p.Root.Kind != model.RootParam {
				what = p.Name() + ".Done()"
			}
		} else if op.Path.Valid() && (len(op.Path.Fields) > 0 || op.Path.Root.Kind == model.RootParam) {
			what = op.Path.Name()
		}
		if what == "" {
			continue
		}
		e, ok := model.SelectCase(op.Select, op.Case)
		if !ok {
			continue
		}
		if p, found := ck.m.FindPath(model.PathQuery{Fn: f.SSA, StartEdge: &e}); found {
			if _, isRet := p.End.(*ssa.Return); isRet {
				return op.Instr, "`" + what + "`"
			}
		}
	}
	return nil, ""
}

// unbufferedField reports whether every channel stored in a field object
// is made unbuffered in the package.
func unbufferedField(obj *model.Object) bool {
	makes := 0
	for _, op := range obj.Ops {
		if op.Kind == model.OpMakeChan {
			makes++
			if op.Cap != 0 {
				return false
			}
		}
	}
	return makes > 0
}

// fieldSelfSends reports a send on an unbuffered channel field made by the
// goroutine that alone receives from it: nobody else can take the value.
func (ck *checker) fieldSelfSends() {
	for _, obj := range ck.m.Objects {
		if obj.Kind != model.ObjChan || obj.Class == "" || !ck.fieldLocal(obj) {
			continue
		}
		makes, unbuf := 0, true
		var recvFuncs []*model.Func
		for _, op := range obj.Ops {
			switch op.Kind {
			case model.OpMakeChan:
				makes++
				if op.Cap != 0 {
					unbuf = false
				}
			case model.OpRecv, model.OpRange:
				recvFuncs = append(recvFuncs, op.Func)
			}
		}
		if makes == 0 || !unbuf || len(recvFuncs) == 0 {
			continue
		}
		// One goroutine, started once, runs every receive.
		var g *model.Goroutine
		for _, f := range recvFuncs {
			o := f.Owner()
			if o == nil || g != nil && o != g {
				g = nil
				break
			}
			g = o
		}
		if g == nil {
			continue
		}
		for _, op := range obj.Ops {
			if op.Kind != model.OpSend || op.Select != nil || !g.Runs(op.Func) || op.Func.Owner() != g {
				continue
			}
			name := op.Path.Name()
			ck.report(op, fmt.Sprintf("send on %s blocks forever: it runs in the goroutine started at line %d, the only one that receives from %s, so nothing can take the value",
				unbuffered(name), ck.line(g.Spawn.Pos), name),
				[]analysis.RelatedInformation{{Pos: g.Spawn.Pos, Message: "the only receiver, started here"}}, nil)
		}
	}
}

// cancelEdges returns the ways fn reacts to its context being cancelled:
// the edges of select cases on ctx.Done(), the true edges of "if ctx.Err()
// != nil", and plain receives from ctx.Done() (as instructions).
func cancelEdges(fn *ssa.Function) (edges []model.Edge, recvs []ssa.Instruction) {
	isDone := func(v ssa.Value) bool {
		c, ok := v.(*ssa.Call)
		return ok && c.Call.IsInvoke() && c.Call.Method.Name() == "Done" && isContext(c.Call.Value.Type())
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			switch in := in.(type) {
			case *ssa.Select:
				for i, st := range in.States {
					if st.Dir == types.RecvOnly && isDone(st.Chan) {
						if e, ok := model.SelectCase(in, i); ok {
							edges = append(edges, e)
						}
					}
				}
			case *ssa.UnOp:
				if in.Op == token.ARROW && isDone(in.X) {
					recvs = append(recvs, in)
				}
			case *ssa.If:
				bin, ok := in.Cond.(*ssa.BinOp)
				if !ok || bin.Op != token.NEQ {
					continue
				}
				if c, ok := bin.X.(*ssa.Call); ok && c.Call.IsInvoke() && c.Call.Method.Name() == "Err" && isContext(c.Call.Value.Type()) {
					edges = append(edges, model.Edge{From: b, To: b.Succs[0]})
				}
			}
		}
	}
	return edges, recvs
}

// leavesOnCancel returns a return of fn reached after fn notices its
// context is cancelled, on a path that never runs an instruction of acts
// (before or after noticing), or nil.
func (ck *checker) leavesOnCancel(fn *ssa.Function, acts map[ssa.Instruction]bool) ssa.Instruction {
	edges, recvs := cancelEdges(fn)
	for _, e := range edges {
		if !model.ReachesFromEntry(e.From.Instrs[len(e.From.Instrs)-1], acts) {
			continue
		}
		e := e
		if p, ok := ck.m.FindPath(model.PathQuery{Fn: fn, StartEdge: &e, Stop: acts}); ok {
			if _, isRet := p.End.(*ssa.Return); isRet {
				return p.End
			}
		}
	}
	for _, r := range recvs {
		if !model.ReachesFromEntry(r, acts) {
			continue
		}
		if p, ok := ck.m.FindPath(model.PathQuery{Fn: fn, Start: r, Stop: acts}); ok {
			if _, isRet := p.End.(*ssa.Return); isRet {
				return p.End
			}
		}
	}
	return nil
}

// cancelledSenders reports a plain receive whose every sender (or
// closer) is a goroutine that returns when its context is cancelled
// without sending: the receive then waits forever.
func (ch *chanInfo) cancelledSenders() {
	if len(ch.sends)+len(ch.closes) == 0 {
		return
	}
	byCtx := make(map[*model.ChanCtx]map[ssa.Instruction]bool)
	var order []*model.ChanCtx
	for _, x := range append(append([]*model.ChanUse(nil), ch.sends...), ch.closes...) {
		if x.Deferred {
			return
		}
		if byCtx[x.Ctx] == nil {
			byCtx[x.Ctx] = make(map[ssa.Instruction]bool)
			order = append(order, x.Ctx)
		}
		byCtx[x.Ctx][x.Anchor()] = true
	}
	var leaver *model.ChanCtx
	var ret ssa.Instruction
	for _, c := range order {
		r := ch.leavesOnCancel(c.Root.SSA, byCtx[c])
		if r == nil {
			return
		}
		leaver, ret = c, r
	}
	for _, u := range ch.recvs {
		if !u.Blocking() || byCtx[u.Ctx] != nil || ch.skipCtx(u.Ctx) {
			continue
		}
		what := "sending on"
		if len(ch.sends) == 0 {
			what = "closing"
		}
		ch.report(u.Op, fmt.Sprintf("%s can block forever: when the context is cancelled, %s returns %s without %s %s, and nothing else would. Select on ctx.Done() here too",
			quote(ch.opText(u.Op)), ch.ctxName(leaver), message.ReturnAt(ch.pass, ret, u.Op.Pos), what, ch.name),
			[]analysis.RelatedInformation{{Pos: model.InstrPos(ret), Message: "returns on cancellation without " + what + " " + ch.name}}, nil)
	}
}

// fieldCancelledSenders is cancelledSenders for channels kept in struct
// fields that only the package uses.
func (ck *checker) fieldCancelledSenders() {
	for _, obj := range ck.m.Objects {
		if obj.Kind != model.ObjChan || obj.Class == "" || !ck.fieldLocal(obj) {
			continue
		}
		var recvs []*model.Op
		acts := make(map[*model.Func]map[ssa.Instruction]bool)
		var order []*model.Func
		ok := true
		for _, op := range obj.Ops {
			if !op.Path.Valid() || len(op.Path.Fields) == 0 || op.Path.Elem {
				ok = false
				break
			}
			switch op.Kind {
			case model.OpRecv, model.OpRange:
				if op.Select == nil {
					recvs = append(recvs, op)
				}
			case model.OpSend, model.OpClose:
				if op.Deferred {
					ok = false
				}
				if acts[op.Func] == nil {
					acts[op.Func] = make(map[ssa.Instruction]bool)
					order = append(order, op.Func)
				}
				acts[op.Func][op.Instr] = true
			}
		}
		if !ok || len(order) == 0 || len(recvs) == 0 {
			continue
		}
		var leaver *model.Func
		var ret ssa.Instruction
		for _, f := range order {
			// The function must be where its goroutine starts: a
			// helper's return is not the goroutine's.
			if len(f.Goroutines) == 0 || calledSync(f) {
				ok = false
				break
			}
			r := ck.leavesOnCancel(f.SSA, acts[f])
			if r == nil {
				ok = false
				break
			}
			leaver, ret = f, r
		}
		if !ok {
			continue
		}
		what := "sending on"
		for _, op := range obj.Ops {
			if op.Kind == model.OpClose {
				what = "closing"
			}
		}
		for _, u := range recvs {
			if acts[u.Func] != nil {
				continue
			}
			name := u.Path.Name()
			ck.report(u, fmt.Sprintf("%s can block forever: when the context is cancelled, %s returns %s without %s %s, and nothing else would. Select on ctx.Done() here too",
				quote(ck.opText(u)), ck.m.FuncName(leaver), message.ReturnAt(ck.pass, ret, u.Pos), what, name),
				[]analysis.RelatedInformation{{Pos: model.InstrPos(ret), Message: "returns on cancellation without " + what + " " + name}}, nil)
		}
	}
}

// calledSync reports whether f is called other than by go statements.
func calledSync(f *model.Func) bool {
	for _, cs := range f.CalledFrom {
		if !cs.Go {
			return true
		}
	}
	return false
}

// fieldLocal reports whether a channel field is only used by channel
// operations in the package: unexported, never loaded to be returned,
// stored elsewhere or passed on.
func (ck *checker) fieldLocal(obj *model.Object) bool {
	var field *types.Var
	for _, op := range obj.Ops {
		if op.Path.Valid() && len(op.Path.Fields) > 0 {
			field = op.Path.Fields[len(op.Path.Fields)-1]
		}
	}
	if field == nil || field.Exported() {
		return false
	}
	if ck.escaping == nil {
		ck.escaping = ck.escapingFields()
	}
	return !ck.escaping[field.Origin()]
}

// escapingFields finds, in one pass over the package, the channel fields
// whose channel may have users the check cannot see: one stored from
// elsewhere than a make, or loaded and then returned, stored, sent or
// passed on.
func (ck *checker) escapingFields() map[*types.Var]bool {
	esc := make(map[*types.Var]bool)
	for _, f := range ck.m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				var v ssa.Value
				var field *types.Var
				switch in := in.(type) {
				case *ssa.Store:
					fa, ok := in.Addr.(*ssa.FieldAddr)
					if !ok {
						continue
					}
					if _, isChan := in.Val.Type().Underlying().(*types.Chan); !isChan {
						continue
					}
					if _, made := in.Val.(*ssa.MakeChan); made {
						continue
					}
					if c, isConst := in.Val.(*ssa.Const); isConst && c.IsNil() {
						continue
					}
					if fld := structFieldOf(fa.X.Type(), fa.Field); fld != nil {
						esc[fld] = true
					}
					continue
				case *ssa.UnOp:
					if in.Op != token.MUL {
						continue
					}
					fa, ok := in.X.(*ssa.FieldAddr)
					if !ok {
						continue
					}
					if _, isChan := in.Type().Underlying().(*types.Chan); !isChan {
						continue
					}
					v, field = in, structFieldOf(fa.X.Type(), fa.Field)
				case *ssa.Field:
					if _, isChan := in.Type().Underlying().(*types.Chan); !isChan {
						continue
					}
					v, field = in, structFieldOf(in.X.Type(), in.Field)
				default:
					continue
				}
				if field == nil || esc[field] || channelOpsOnly(v) {
					continue
				}
				esc[field] = true
			}
		}
	}
	return esc
}

// channelOpsOnly reports whether the loaded channel v is only operated on
// (sent to, received from, selected on, closed, measured, compared).
func channelOpsOnly(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef, *ssa.BinOp, *ssa.Select:
		case *ssa.Send:
			if r.X == v {
				return false
			}
		case *ssa.UnOp:
			if r.Op != token.ARROW {
				return false
			}
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			if !ok || b.Name() != "close" && b.Name() != "len" && b.Name() != "cap" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// structFieldOf returns field i of the struct t is or points to.
func structFieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// chanInfo is one channel with its uses sorted by kind.
type chanInfo struct {
	*checker
	// abandon is set while checking a receiver that cancels the context
	// it gave the channel's maker when it stops: every way out of its
	// receive loop then abandons the senders.
	abandon bool
	c       *model.Chan
	name    string // as the make site's variable is spelled
	main    *model.ChanCtx
	inMain  bool // made by main.main: goroutines end with the program
	// inTest is set for a channel made by test code: it tells nothing
	// about the package's own code that it reaches, whose contract with
	// its callers (receive what you asked for) the test may not keep.
	inTest bool
	sends  []*model.ChanUse
	recvs  []*model.ChanUse
	closes []*model.ChanUse
}

func (ck *checker) newChan(c *model.Chan) *chanInfo {
	ch := &chanInfo{checker: ck, c: c, main: c.Ctxs[0], name: c.Name()}
	fn := c.Func.SSA
	ch.inMain = fn.Name() == "main" && fn.Parent() == nil && fn.Signature.Recv() == nil && ck.pass.Pkg.Name() == "main"
	ch.inTest = ck.m.TestOnly(c.Func)
	for _, u := range c.Uses {
		switch u.Op.Kind {
		case model.OpSend:
			ch.sends = append(ch.sends, u)
		case model.OpRecv, model.OpRange:
			ch.recvs = append(ch.recvs, u)
		case model.OpClose:
			ch.closes = append(ch.closes, u)
		}
	}
	return ch
}

// report reports op, unless the channel was made by test code and op is
// in the package's own code: test callers do not change verdicts there.
func (ch *chanInfo) report(op *model.Op, msg string, related []analysis.RelatedInformation, fixes []analysis.SuggestedFix) {
	if ch.inTest && !ch.m.TestOnly(op.Func) {
		return
	}
	ch.checker.report(op, msg, related, fixes)
}

// noCounterpart reports blocking operations that no other goroutine can
// complete: a receive with no sender or close anywhere, an unbuffered send
// with no receiver in another goroutine.
func (ch *chanInfo) noCounterpart() (reported bool) {
	for _, u := range ch.recvs {
		if !u.Blocking() || len(ch.sends) > 0 || len(ch.closes) > 0 || ch.skipCtx(u.Ctx) {
			continue
		}
		if x, ok := u.Op.Instr.(*ssa.UnOp); ok && x.X == ssa.Value(ch.c.Make.Instr.(*ssa.MakeChan)) {
			continue // <-make(chan T): blocking forever on purpose
		}
		verb := "receive from"
		if u.Op.Kind == model.OpRange {
			verb = "range over"
		}
		ch.report(u.Op, fmt.Sprintf("%s %s blocks forever: nothing sends on or closes %s", verb, ch.name, ch.name), nil, nil)
		reported = true
	}
	for _, u := range ch.recvs {
		if u.Blocking() && !ch.skipCtx(u.Ctx) && len(ch.sends)+len(ch.closes) > 0 {
			reported = ch.startedTooLate(u, append(append([]*model.ChanUse(nil), ch.sends...), ch.closes...), "sends on") || reported
		}
	}
	if ch.c.Cap != 0 {
		return reported
	}
	for _, u := range ch.sends {
		if !u.Blocking() || ch.skipCtx(u.Ctx) || ch.mayBeClosedBefore(u) {
			continue // a send after a close panics rather than blocks
		}
		other := false
		for _, r := range ch.recvs {
			if r.Ctx != u.Ctx || r.Ctx.ManyBelow(ch.main) {
				other = true
			}
		}
		if other {
			reported = ch.startedTooLate(u, ch.recvs, "receives from") || reported
			continue
		}
		msg := fmt.Sprintf("send on %s blocks forever: nothing receives from %s", unbuffered(ch.name), ch.name)
		if len(ch.recvs) > 0 {
			msg = fmt.Sprintf("send on %s blocks forever: only the sending goroutine receives from %s", unbuffered(ch.name), ch.name)
		}
		ch.report(u.Op, msg, nil, nil)
		reported = true
	}
	return reported
}

// unbuffered qualifies a channel's name: "unbuffered jobs", and for a
// described channel, "the unbuffered channel from Go()".
func unbuffered(name string) string {
	if rest, ok := strings.CutPrefix(name, "the channel "); ok {
		return "the unbuffered channel " + rest
	}
	if strings.HasPrefix(name, "channel ") {
		return "the unbuffered " + name
	}
	return "unbuffered " + name
}

// startedTooLate reports a blocking operation u whose counterparts (the
// uses others) all run in goroutines that u's own goroutine starts only
// after u: "results <- 1; go func() { <-results }()".
func (ch *chanInfo) startedTooLate(u *model.ChanUse, others []*model.ChanUse, verb string) bool {
	if u.Deferred {
		return false // runs when the function returns, after the goroutines start
	}
	x := u.Ctx
	spawns := make(map[ssa.Instruction]bool)
	var first *model.ChanCtx
	for _, o := range others {
		if o.Ctx == x || !o.Ctx.Descends(x) || o.Ctx.ManyBelow(x) {
			return false
		}
		a := o.Ctx.Anchor(x)
		if a == nil || ch.m.LoopOf(a.Block()) != nil {
			return false
		}
		spawns[a] = true
		if first == nil || o.Ctx.Spawn.Pos < first.Spawn.Pos {
			first = o.Ctx
		}
	}
	if first == nil || !model.ReachesFromEntry(u.Anchor(), spawns) {
		return false
	}
	msg := fmt.Sprintf("%s blocks forever: the goroutine that %s %s is started only at line %d, after it", quote(ch.opText(u.Op)), verb, ch.name, ch.line(first.Spawn.Pos))
	ch.report(u.Op, msg, []analysis.RelatedInformation{{Pos: first.Spawn.Pos, Message: "started here, too late"}}, nil)
	return true
}

// mayBeClosedBefore reports whether the channel can be closed before the
// send u: by another goroutine, or earlier in u's own.
func (ch *chanInfo) mayBeClosedBefore(u *model.ChanUse) bool {
	for _, c := range ch.closes {
		if c.Ctx != u.Ctx || c.Deferred {
			if c.Ctx != u.Ctx {
				return true
			}
			continue
		}
		if model.Reaches(c.Anchor(), u.Anchor()) {
			return true
		}
	}
	return false
}

// skipCtx reports whether a goroutine blocked forever in ctx does not
// matter: it was started for main.main, so it ends with the program.
func (ch *chanInfo) skipCtx(ctx *model.ChanCtx) bool {
	return ch.inMain && ctx != ch.main
}

// receivers returns the goroutine all receives happen in, or nil when they
// happen in several, or some are deferred.
func (ch *chanInfo) receivers() *model.ChanCtx {
	var r *model.ChanCtx
	for _, u := range ch.recvs {
		if u.Deferred {
			return nil
		}
		if r == nil {
			r = u.Ctx
		} else if r != u.Ctx {
			return nil
		}
	}
	if r == nil || r.ManyBelow(ch.main) {
		return nil
	}
	return r
}

// completions returns where the receiving function completes a receive:
// instructions (plain receives, ranges, calls that receive) and select
// case edges. ok is false when a receive cannot be placed.
func (ch *chanInfo) completions(r *model.ChanCtx) (stop map[ssa.Instruction]bool, edges map[model.Edge]bool, ok bool) {
	stop = make(map[ssa.Instruction]bool)
	edges = make(map[model.Edge]bool)
	for _, u := range ch.recvs {
		if u.Ctx != r {
			continue
		}
		if u.Op.Select != nil && len(u.Via) == 0 {
			e, found := model.SelectCase(u.Op.Select, u.Op.Case)
			if !found {
				return nil, nil, false
			}
			edges[e] = true
			continue
		}
		stop[u.Anchor()] = true
	}
	return stop, edges, true
}

// sendGroup is the plain sends of one goroutine.
type sendGroup struct {
	ctx   *model.ChanCtx
	sends []*model.ChanUse
}

func (ch *chanInfo) senderGroups(r *model.ChanCtx) []*sendGroup {
	var out []*sendGroup
	idx := make(map[*model.ChanCtx]*sendGroup)
	for _, u := range ch.sends {
		if !u.Blocking() || u.Ctx == r || u.Ctx.Spawn == nil || ch.skipCtx(u.Ctx) {
			continue
		}
		g := idx[u.Ctx]
		if g == nil {
			g = &sendGroup{ctx: u.Ctx}
			idx[u.Ctx] = g
			out = append(out, g)
		}
		g.sends = append(g.sends, u)
	}
	return out
}

// unbounded reports whether a goroutine of g can send more than once: a
// send in a loop, or several send sites on one path.
func (ch *chanInfo) unbounded(g *sendGroup) bool {
	for _, u := range g.sends {
		if model.Reaches(u.Op.Instr, u.Op.Instr) {
			return true
		}
		for _, in := range u.Via {
			if model.Reaches(in, in) {
				return true
			}
		}
	}
	for i, a := range g.sends {
		for j, b := range g.sends {
			if i != j && model.Reaches(a.Anchor(), b.Anchor()) {
				return true
			}
		}
	}
	return false
}

// orphanedSenders reports goroutines whose plain send can outlive every
// receive: the receiving function returns without receiving, takes only one
// of several values, or stops receiving from a producer early.
func (ch *chanInfo) orphanedSenders() {
	if ch.c.Cap < 0 {
		return
	}
	r := ch.receivers()
	if r == nil {
		return
	}

	stop, edges, ok := ch.completions(r)
	if !ok {
		return
	}
	fn := r.Root.SSA
	ch.abandon = ch.cancelsMaker(r)
	defer func() { ch.abandon = false }()
	// A receive loop left by its condition, a count or the channel being
	// closed has received what it was meant to: not a way out.
	for e := range ch.naturalExits(fn, stop, edges) {
		edges[e] = true
	}
	until := map[ssa.Instruction]bool{}
	if r == ch.main && ch.m.LoopOf(ch.c.Origin.Block()) != nil {
		until[ch.c.Origin] = true // made again: this one is dropped
	}
	groups := ch.senderGroups(r)
	for _, g := range groups {
		if ch.closedElsewhere(g.ctx) {
			continue // a blocked send panics when the channel is closed: closedchan's business
		}
		var start ssa.Instruction
		if g.ctx.Descends(r) {
			start = g.ctx.Anchor(r)
		}
		many := g.ctx.ManyBelow(r)
		if !g.ctx.Descends(r) {
			many = g.ctx.ManyBelow(ch.main)
		}
		unbounded := ch.unbounded(g)
		facts := ch.m.NilFacts(ch.c, fn)
		if start != nil {
			for k, v := range ch.m.Facts(start) {
				facts[k] = v
			}
		}
		if len(g.sends) == 1 && len(g.sends[0].Via) == 0 {
			for k, v := range ch.m.Facts(g.sends[0].Op.Instr) {
				if old, ok := facts[k]; ok && old != v {
					facts = nil // the send never happens when the goroutine is started
					break
				}
				facts[k] = v
			}
			if facts == nil {
				continue
			}
		}
		if ch.c.Cap > 0 {
			continue
		}
		// A path that returns without receiving at all: preferably one
		// that leaves through another case of a select on the channel (a
		// timeout, a cancellation), the reason the select is there.
		q := model.PathQuery{Fn: fn, Start: start, Stop: stop, StopEdges: edges, Until: until, Facts: facts}
		if p, found := ch.m.FindPath(q); found {
			if sp, reason, ok := ch.viaOtherCase(r, q); ok {
				ch.reportOrphan(r, g, sp, reason, nil)
				continue
			}
			ch.reportOrphan(r, g, p, "", nil)
			continue
		}
		if !many && !unbounded {
			continue
		}
		// Several values but one receive.
		if !unbounded && ch.receivesOnce(r, stop, edges) {
			ch.reportFirstWins(r, g)
			continue
		}
		// A receive loop left early.
		ch.earlyExits(r, g, stop, edges, until, start)
	}
}

// closedElsewhere reports whether a goroutine other than ctx closes the
// channel.
func (ch *chanInfo) closedElsewhere(ctx *model.ChanCtx) bool {
	for _, u := range ch.closes {
		if u.Ctx != ctx {
			return true
		}
	}
	return false
}

// cancelsMaker reports whether the receiving goroutine r made the channel
// by calling a function with a context, and cancels a context when it
// returns (defer cancel()): it means to tell the senders to stop.
func (ch *chanInfo) cancelsMaker(r *model.ChanCtx) bool {
	call, ok := ch.c.Origin.(*ssa.Call)
	if !ok || r != ch.main {
		return false
	}
	takesCtx := false
	for _, a := range call.Call.Args {
		if isContext(a.Type()) {
			takesCtx = true
		}
	}
	if !takesCtx {
		return false
	}
	for _, op := range r.Root.Ops {
		if op.Kind == model.OpCancel && op.Deferred {
			return true
		}
	}
	return false
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// viaOtherCase looks for a path answering q that takes a case (or the
// default) of a select in r's function that also receives from the
// channel, and returns it with the case as the reason.
func (ch *chanInfo) viaOtherCase(r *model.ChanCtx, q model.PathQuery) (model.PathResult, string, bool) {
	for _, u := range ch.recvs {
		if u.Ctx != r || u.Op.Select == nil || len(u.Via) > 0 {
			continue
		}
		sel := u.Op.Select
		for i := -1; i < len(sel.States); i++ {
			if i >= 0 && ch.isChanCase(sel, i) {
				continue
			}
			e, ok := model.SelectCase(sel, i)
			if !ok {
				continue
			}
			// The case must be reachable without receiving.
			if !model.ReachesFromEntry(e.From.Instrs[len(e.From.Instrs)-1], q.Stop) {
				continue
			}
			from := q
			from.Start, from.StartEdge = nil, &e
			if p, found := ch.m.FindPath(from); found {
				return p, caseReason(ch.pass, sel, i), true
			}
		}
	}
	return model.PathResult{}, "", false
}

// receivesOnce reports whether the receiving function receives at most one
// value on any path: one receive site, not in a loop.
func (ch *chanInfo) receivesOnce(r *model.ChanCtx, stop map[ssa.Instruction]bool, edges map[model.Edge]bool) bool {
	if len(stop)+len(edges) != 1 {
		return false
	}
	for in := range stop {
		if ch.m.LoopOf(in.Block()) != nil {
			return false
		}
		for _, u := range ch.recvs {
			if u.Ctx == r && u.Anchor() == in && (u.Op.Kind == model.OpRange || len(u.Via) > 0) {
				return false
			}
		}
	}
	for e := range edges {
		if ch.m.LoopOf(e.From) != nil {
			return false
		}
	}
	return true
}

// earlyExits finds loops of the receiving function that receive from the
// channel and can be left before the senders are done: on a select case
// other than the channel's, or a branch that does not count iterations or
// test for the channel being closed.
func (ch *chanInfo) earlyExits(r *model.ChanCtx, g *sendGroup, stop map[ssa.Instruction]bool, edges map[model.Edge]bool, until map[ssa.Instruction]bool, start ssa.Instruction) {
	fn := r.Root.SSA
	for _, l := range ch.m.Loops(fn) {
		receives := false
		for in := range stop {
			if l.Blocks[in.Block()] {
				receives = true
			}
		}
		for e := range edges {
			if l.Blocks[e.From] {
				receives = true
			}
		}
		if !receives {
			continue
		}
		for b := range l.Blocks {
			for _, s := range b.Succs {
				if l.Blocks[s] {
					continue
				}
				e := model.Edge{From: b, To: s}
				why, early := ch.earlyExit(l, e)
				if !early {
					continue
				}
				if start != nil && !model.Reaches(start, b.Instrs[len(b.Instrs)-1]) && start.Block() != b {
					continue
				}
				p, found := ch.m.FindPath(model.PathQuery{Fn: fn, StartEdge: &e, Stop: stop, StopEdges: edges, Until: until})
				if !found {
					continue
				}
				ch.reportOrphan(r, g, p, why, &e)
				return
			}
		}
	}
}

// naturalExits returns the exits of the loops of fn that receive from the
// channel which are not early (see earlyExit).
func (ch *chanInfo) naturalExits(fn *ssa.Function, stop map[ssa.Instruction]bool, edges map[model.Edge]bool) map[model.Edge]bool {
	out := make(map[model.Edge]bool)
	for _, l := range ch.m.Loops(fn) {
		if !receivesIn(l, stop, edges) {
			continue
		}
		for b := range l.Blocks {
			for _, s := range b.Succs {
				if l.Blocks[s] {
					continue
				}
				e := model.Edge{From: b, To: s}
				if _, early := ch.earlyExit(l, e); !early {
					out[e] = true
					// A rotated loop (range over an int) is guarded by
					// a test before it that skips it altogether.
					for _, g := range l.Header.Preds {
						if l.Blocks[g] || len(g.Succs) != 2 {
							continue
						}
						if g.Succs[0] == l.Header && g.Succs[1] == s {
							out[model.Edge{From: g, To: s}] = true
						}
					}
				}
			}
		}
	}
	return out
}

// receivesIn reports whether loop l completes a receive.
func receivesIn(l *model.Loop, stop map[ssa.Instruction]bool, edges map[model.Edge]bool) bool {
	for in := range stop {
		if l.Blocks[in.Block()] {
			return true
		}
	}
	for e := range edges {
		if l.Blocks[e.From] {
			return true
		}
	}
	return false
}

// earlyExit classifies the loop exit e: natural (the loop condition, a
// count, the channel closed) or early, with the reason.
func (ch *chanInfo) earlyExit(l *model.Loop, e model.Edge) (string, bool) {
	// Find the branch that decides the exit: e itself, or the nearest
	// branch dominating e.From.
	from, to := e.From, e.To
	for range 32 {
		if len(from.Instrs) == 0 {
			return "", false
		}
		switch last := from.Instrs[len(from.Instrs)-1].(type) {
		case *ssa.If:
			if from == l.Header {
				return "", false // the loop condition
			}
			if sel, i := selectOf(last, to); sel != nil {
				if ch.isChanCase(sel, i) {
					return "", false
				}
				return caseReason(ch.pass, sel, i), true
			}
			// Only an error check is surely an early exit; a loop left on
			// some value may be following a protocol ("end" comes last).
			if ch.dependsOnHeaderPhi(last.Cond, l, 0) || ch.testsClosed(last.Cond) {
				return "", false
			}
			if !isErrCheck(last.Cond) && !ch.abandon {
				return "", false
			}
			return "", true
		}
		d := from.Idom()
		if d == nil || !l.Blocks[d] {
			return "", false
		}
		to, from = from, d
	}
	return "", false
}

// isErrCheck reports whether v compares an error with nil.
func isErrCheck(v ssa.Value) bool {
	bin, ok := v.(*ssa.BinOp)
	if !ok || bin.Op != token.EQL && bin.Op != token.NEQ {
		return false
	}
	for _, x := range []ssa.Value{bin.X, bin.Y} {
		if types.Identical(x.Type(), errorType) {
			return true
		}
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

// selectOf returns the select and case index when the If ending a block is
// the lowering of a select choosing the case that leads to succ.
func selectOf(iff *ssa.If, succ *ssa.BasicBlock) (*ssa.Select, int) {
	bin, ok := iff.Cond.(*ssa.BinOp)
	if !ok || bin.Op != token.EQL {
		return nil, 0
	}
	ext, ok := bin.X.(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return nil, 0
	}
	sel, ok := ext.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0
	}
	k, ok := bin.Y.(*ssa.Const)
	if !ok {
		return nil, 0
	}
	i := int(k.Int64())
	if iff.Block().Succs[0] == succ {
		return sel, i
	}
	if i == len(sel.States)-1 && !sel.Blocking {
		return sel, -1
	}
	return nil, 0
}

// isChanCase reports whether case i of sel operates on this channel.
func (ch *chanInfo) isChanCase(sel *ssa.Select, i int) bool {
	for _, u := range ch.c.Uses {
		if u.Op.Select == sel && u.Op.Case == i {
			return true
		}
	}
	return false
}

// dependsOnHeaderPhi reports whether v is computed from a phi of the loop
// header (a counter or a flag the loop updates).
func (ch *chanInfo) dependsOnHeaderPhi(v ssa.Value, l *model.Loop, depth int) bool {
	if depth > 8 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Phi:
		return l.Blocks[v.Block()]
	case *ssa.BinOp:
		return ch.dependsOnHeaderPhi(v.X, l, depth+1) || ch.dependsOnHeaderPhi(v.Y, l, depth+1)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			// A counter kept in a variable captured by a closure.
			if a, ok := v.X.(*ssa.Alloc); ok {
				if refs := a.Referrers(); refs != nil {
					for _, r := range *refs {
						if st, ok := r.(*ssa.Store); ok && l.Blocks[st.Block()] {
							return true
						}
					}
				}
			}
			return false
		}
		return ch.dependsOnHeaderPhi(v.X, l, depth+1)
	case *ssa.Convert:
		return ch.dependsOnHeaderPhi(v.X, l, depth+1)
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(v.Call.Args) == 1 {
			return ch.dependsOnHeaderPhi(v.Call.Args[0], l, depth+1)
		}
	}
	return false
}

// testsClosed reports whether v is the ok result of a receive from this
// channel (v, ok := <-ch; if !ok).
func (ch *chanInfo) testsClosed(v ssa.Value) bool {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.NOT {
		v = u.X
	}
	ext, ok := v.(*ssa.Extract)
	if !ok || ext.Index != 1 {
		return false
	}
	switch t := ext.Tuple.(type) {
	case *ssa.UnOp:
		for _, u := range ch.recvs {
			if u.Op.Instr == t {
				return true
			}
		}
	case *ssa.Select:
		for _, u := range ch.recvs {
			if u.Op.Select == t {
				return true
			}
		}
	}
	return false
}

// caseReason describes the select case i (-1: default) of sel.
func caseReason(pass *analysis.Pass, sel *ssa.Select, i int) string {
	if i < 0 {
		return "through the default case"
	}
	st := sel.States[i]
	if text := commText(pass, st.Pos); text != "" {
		return "on " + quote(text)
	}
	return "on another select case"
}

// commText returns the source of the select case communication at pos.
func commText(pass *analysis.Pass, pos token.Pos) string {
	for _, n := range analysisutil.Path(pass, pos, pos) {
		if cc, ok := n.(*ast.CommClause); ok && cc.Comm != nil {
			switch s := cc.Comm.(type) {
			case *ast.ExprStmt:
				return analysisutil.Format(pass.Fset, s.X)
			case *ast.AssignStmt:
				if len(s.Rhs) == 1 {
					return analysisutil.Format(pass.Fset, s.Rhs[0])
				}
			case *ast.SendStmt:
				return analysisutil.Format(pass.Fset, s)
			}
		}
	}
	return ""
}

func quote(s string) string { return "`" + s + "`" }

// opText returns the source of a channel operation: "results <- r",
// "<-done", "range jobs".
func (ck *checker) opText(op *model.Op) string {
	path := analysisutil.Path(ck.pass, op.Pos, op.Pos)
	for _, n := range path {
		switch n := n.(type) {
		case *ast.SendStmt:
			return analysisutil.Format(ck.pass.Fset, n)
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				return analysisutil.Format(ck.pass.Fset, n)
			}
		case *ast.RangeStmt:
			return "range " + analysisutil.Format(ck.pass.Fset, n.X)
		case *ast.CallExpr:
			return analysisutil.Format(ck.pass.Fset, n)
		case ast.Stmt:
			return ""
		}
	}
	return ""
}

func (ck *checker) line(pos token.Pos) int { return ck.pass.Fset.Position(pos).Line }

// exitReason explains how a path found in the receiving function leaves
// without receiving: the select case it takes, or nothing special.
func (ch *chanInfo) exitReason(r *model.ChanCtx, p model.PathResult) (string, token.Pos) {
	for i := 0; i+1 < len(p.Blocks); i++ {
		b, s := p.Blocks[i], p.Blocks[i+1]
		if len(b.Instrs) == 0 {
			continue
		}
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		sel, idx := selectOf(iff, s)
		if sel == nil || ch.isChanCase(sel, idx) {
			continue
		}
		has := false
		for j := range sel.States {
			if ch.isChanCase(sel, j) {
				has = true
			}
		}
		if !has {
			continue
		}
		pos := sel.Pos()
		if idx >= 0 {
			pos = sel.States[idx].Pos
		}
		return caseReason(ch.pass, sel, idx), pos
	}
	return "", token.NoPos
}

// reportOrphan reports the plain sends of g, orphaned by path p of the
// receiving goroutine r. exit is the loop exit the path starts with, when
// the receiving function leaves a receive loop early (why: its select case).
func (ch *chanInfo) reportOrphan(r *model.ChanCtx, g *sendGroup, p model.PathResult, why string, exit *model.Edge) {
	recvName := ch.ctxName(r)
	who, blocks := ch.ctxName(g.ctx), "blocks"
	if g.ctx.ManyBelow(r) {
		who, blocks = fmt.Sprintf("the goroutines started at line %d", ch.line(g.ctx.Spawn.Pos)), "block"
	}
	var when string
	if _, ok := p.End.(*ssa.Return); ok {
		when = fmt.Sprintf("when %s returns %s", recvName, message.ReturnAt(ch.pass, p.End, g.sends[0].Op.Pos))
	} else {
		when = fmt.Sprintf("when %s makes a new %s at line %d", recvName, ch.name, ch.line(model.InstrPos(p.End)))
	}
	reason, reasonPos := why, token.NoPos
	switch {
	case exit != nil && ch.unbounded(g):
		when = strings.Replace(when, "when "+recvName+" ", "when "+recvName+" stops receiving and ", 1)
	case exit != nil:
		when += " before receiving every value"
	case reason == "":
		reason, reasonPos = ch.exitReason(r, p)
		if reason == "" {
			reason = "without receiving from " + ch.name
		}
	}
	var related []analysis.RelatedInformation
	if g.ctx.Spawn != nil {
		related = append(related, analysis.RelatedInformation{Pos: g.ctx.Spawn.Pos, Message: "goroutine started here"})
	}
	if model.InstrPos(p.End).IsValid() {
		related = append(related, analysis.RelatedInformation{Pos: model.InstrPos(p.End), Message: fmt.Sprintf("%s leaves here without receiving from %s", recvName, ch.name)})
	}
	if reasonPos.IsValid() {
		related = append(related, analysis.RelatedInformation{Pos: reasonPos, Message: "by this case"})
	}
	var fixes []analysis.SuggestedFix
	if fix, ok := ch.bufferFix(r, g); ok {
		fixes = []analysis.SuggestedFix{fix}
	}
	for _, u := range g.sends {
		msg := fmt.Sprintf("%s %s forever on %s %s", who, blocks, quote(ch.opText(u.Op)), when)
		if reason != "" {
			msg += " " + reason
		}
		ch.report(u.Op, msg, related, fixes)
	}
}

// ctxName names a goroutine: "the goroutine started at line N", or the
// making function for its own goroutine.
func (ch *chanInfo) ctxName(c *model.ChanCtx) string {
	if c.Spawn == nil {
		return ch.m.FuncName(c.Root)
	}
	return fmt.Sprintf("the goroutine started at line %d", ch.line(c.Spawn.Pos))
}

// reportFirstWins reports sends of many goroutines of which only the first
// value is received.
func (ch *chanInfo) reportFirstWins(r *model.ChanCtx, g *sendGroup) {
	recvName := ch.m.FuncName(r.Root)
	var recvPos token.Pos
	for _, u := range ch.recvs {
		if u.Ctx == r {
			recvPos = u.Op.Pos
		}
	}
	for _, u := range g.sends {
		msg := fmt.Sprintf("the goroutines started at line %d block forever on %s: %s receives only one value from %s, at line %d", ch.line(g.ctx.Spawn.Pos), quote(ch.opText(u.Op)), recvName, ch.name, ch.line(recvPos))
		related := []analysis.RelatedInformation{
			{Pos: g.ctx.Spawn.Pos, Message: "goroutines started here, in a loop"},
			{Pos: recvPos, Message: "the only receive"},
		}
		var fixes []analysis.SuggestedFix
		if fix, ok := ch.bufferFix(r, g); ok {
			fixes = []analysis.SuggestedFix{fix}
		}
		ch.report(u.Op, msg, related, fixes)
	}
}

// missingSender reports a receive that waits for one goroutine which can
// return without sending (or, for a range, without closing).
func (ch *chanInfo) missingSender() {
	r := ch.receivers()
	if r == nil {
		return
	}
	var plain []*model.ChanUse
	for _, u := range ch.recvs {
		if !u.Blocking() {
			return
		}
		plain = append(plain, u)
	}
	if len(plain) != 1 {
		return
	}
	u := plain[0]
	if ch.m.LoopOf(u.Anchor().Block()) != nil && u.Op.Kind != model.OpRange {
		return
	}
	for _, in := range u.Via {
		if ch.m.LoopOf(in.Block()) != nil {
			return
		}
	}
	// One sending goroutine, started once.
	var s *model.ChanCtx
	var acts []*model.ChanUse
	for _, x := range append(append([]*model.ChanUse(nil), ch.sends...), ch.closes...) {
		if u.Op.Kind == model.OpRange && x.Op.Kind == model.OpSend {
			continue // a range waits for the close
		}
		if x.Ctx == r || x.Deferred {
			return
		}
		if s == nil {
			s = x.Ctx
		} else if s != x.Ctx {
			return
		}
		acts = append(acts, x)
	}
	if s == nil || s.ManyBelow(ch.main) || ch.skipCtx(r) {
		return
	}
	if u.Op.Kind == model.OpRange {
		for _, x := range ch.sends {
			if x.Ctx != s {
				return // other senders: the range may have other ways to end
			}
		}
	}
	stop := make(map[ssa.Instruction]bool)
	for _, x := range acts {
		if x.Op.Select != nil {
			return
		}
		stop[x.Anchor()] = true
	}
	q := model.PathQuery{Fn: s.Root.SSA, Stop: stop, StopEdges: signalCases(s.Root.SSA), Facts: ch.m.NilFacts(ch.c, s.Root.SSA)}
	if s.Spawn == nil {
		// The maker sends: it must not return once the receiving
		// goroutine is started.
		if !r.Descends(s) {
			return
		}
		q.Start = r.Anchor(s)
	}
	p, found := ch.m.FindPath(q)
	if !found || !model.InstrPos(p.End).IsValid() {
		return
	}
	ret, retAt := model.InstrPos(p.End), message.ReturnAt(ch.pass, p.End, u.Op.Pos)
	what, verb := "closing", "receive "+quote(ch.opText(u.Op))
	for _, x := range acts {
		if x.Op.Kind == model.OpSend {
			what = "sending on"
		}
	}
	if u.Op.Kind == model.OpRange {
		what, verb = "closing", quote(ch.opText(u.Op))
	}
	var msg string
	var related []analysis.RelatedInformation
	if s.Spawn == nil {
		msg = fmt.Sprintf("%s in the goroutine started at line %d blocks forever when %s returns %s without %s %s", verb, ch.line(r.Spawn.Pos), ch.m.FuncName(s.Root), retAt, what, ch.name)
		related = []analysis.RelatedInformation{
			{Pos: r.Spawn.Pos, Message: "goroutine started here"},
			{Pos: ret, Message: fmt.Sprintf("returns here without %s %s", what, ch.name)},
		}
	} else {
		msg = fmt.Sprintf("%s blocks forever when the goroutine started at line %d returns %s without %s %s", verb, ch.line(s.Spawn.Pos), retAt, what, ch.name)
		related = []analysis.RelatedInformation{
			{Pos: s.Spawn.Pos, Message: "goroutine started here"},
			{Pos: ret, Message: fmt.Sprintf("returns here without %s %s", what, ch.name)},
		}
	}
	ch.report(u.Op, msg, related, nil)
}

// signalCases returns the edges of the receive cases of every select in
// fn: a path that waits for a signal before giving up is coordinated with
// whoever sends it, so it is not evidence of a forgotten send.
func signalCases(fn *ssa.Function) map[model.Edge]bool {
	out := make(map[model.Edge]bool)
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			sel, ok := in.(*ssa.Select)
			if !ok {
				continue
			}
			for i, st := range sel.States {
				if st.Dir != types.RecvOnly {
					continue
				}
				if e, ok := model.SelectCase(sel, i); ok {
					out[e] = true
				}
			}
		}
	}
	return out
}

// rangeNeverClosed reports a range over a channel that nothing closes,
// when every sender can finish: the loop then waits forever.
func (ch *chanInfo) rangeNeverClosed() {
	if len(ch.closes) > 0 || len(ch.sends) == 0 {
		return
	}
	for _, u := range ch.recvs {
		if u.Op.Kind != model.OpRange || ch.skipCtx(u.Ctx) {
			continue
		}
		// The loop must have no other way out.
		l := ch.m.LoopOf(u.Op.Instr.Block())
		if l == nil || otherExits(l) {
			continue
		}
		// Every sender must be able to finish.
		finite := true
		for _, s := range ch.sends {
			if s.Ctx == u.Ctx || len(s.Ctx.Root.Exits) == 0 {
				finite = false
			}
		}
		if !finite {
			continue
		}
		who := "the goroutines that send"
		for _, s := range ch.sends {
			if s.Ctx.Spawn != nil {
				who = fmt.Sprintf("the goroutine started at line %d", ch.line(s.Ctx.Spawn.Pos))
				break
			}
		}
		msg := fmt.Sprintf("%s never ends: nothing closes %s, so once %s finishes sending, this loop blocks forever", quote(ch.opText(u.Op)), ch.name, who)
		var related []analysis.RelatedInformation
		for _, s := range ch.sends {
			related = append(related, analysis.RelatedInformation{Pos: s.Op.Pos, Message: "sends here but never closes " + ch.name})
		}
		ch.report(u.Op, msg, related, nil)
	}
}

// otherExits reports whether loop l can be left other than by its header
// (the range ending).
func otherExits(l *model.Loop) bool {
	for b := range l.Blocks {
		if b == l.Header {
			continue
		}
		for _, s := range b.Succs {
			if !l.Blocks[s] {
				return true
			}
		}
		if len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				return true
			}
		}
	}
	return false
}

func (ck *checker) report(op *model.Op, msg string, related []analysis.RelatedInformation, fixes []analysis.SuggestedFix) {
	if ck.reported[op] {
		return
	}
	ck.reported[op] = true
	switch v, f := ck.verdict(op); v {
	case explore.Completes:
		// Every interleaving of the goroutines that use the channel
		// completes the operation: what the rule saw cannot happen (the
		// other side took another path, or the branches that would
		// leave it waiting exclude each other).
		return
	case explore.Blocks:
		related = append(related, witness(f)...)
	}
	ck.emit(op, msg, related, fixes)
}

// emit reports op, with the span of its statement.
func (ck *checker) emit(op *model.Op, msg string, related []analysis.RelatedInformation, fixes []analysis.SuggestedFix) {
	pos, end := op.Pos, op.Pos
	for _, n := range analysisutil.Path(ck.pass, op.Pos, op.Pos) {
		switch n := n.(type) {
		case *ast.SendStmt, *ast.UnaryExpr:
			pos, end = n.Pos(), n.End()
		case *ast.RangeStmt:
			pos, end = n.For, n.X.End()
		default:
			continue
		}
		break
	}
	ck.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: "chanleak", Message: msg,
		Related: related, SuggestedFixes: fixes,
	})
}

// bufferFix gives the channel a buffer for every send of g that can be
// orphaned: 1 for a single goroutine, len(xs) for one goroutine per element
// of xs. It requires each send to be the goroutine's last act.
func (ch *chanInfo) bufferFix(r *model.ChanCtx, g *sendGroup) (analysis.SuggestedFix, bool) {
	if ch.c.Cap != 0 || ch.unbounded(g) {
		return analysis.SuggestedFix{}, false
	}
	// All plain senders must be in g: another goroutine sending would need
	// room too.
	for _, u := range ch.sends {
		if u.Ctx != g.ctx && u.Ctx != r {
			return analysis.SuggestedFix{}, false
		}
	}
	for _, u := range g.sends {
		if !lastAct(u.Op.Instr) {
			return analysis.SuggestedFix{}, false
		}
	}
	call, _ := analysisutil.CallAt(ch.pass, lparenOf(ch.pass, ch.c.Make.Pos))
	if call == nil || len(call.Args) < 1 || len(call.Args) > 2 {
		return analysis.SuggestedFix{}, false
	}
	size := "1"
	if g.ctx.ManyBelow(r) {
		var ok bool
		size, ok = ch.loopCount(g, call)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
	}
	var edit analysis.TextEdit
	if len(call.Args) == 1 {
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + size)}
	} else {
		edit = analysis.TextEdit{Pos: call.Args[1].Pos(), End: call.Args[1].End(), NewText: []byte(size)}
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Give %s a buffer of %s so that the send never blocks", ch.name, size),
		TextEdits: []analysis.TextEdit{edit},
	}, true
}

// lparenOf maps the position go/ssa records for make (the call's Lparen)
// to itself; kept as a function for clarity.
func lparenOf(_ *analysis.Pass, pos token.Pos) token.Pos { return pos }

// lastAct reports whether nothing but returning (and deferred calls)
// follows instruction in in its function.
func lastAct(in ssa.Instruction) bool {
	b := in.Block()
	seen := map[*ssa.BasicBlock]bool{}
	idx := 0
	for i, x := range b.Instrs {
		if x == in {
			idx = i + 1
		}
	}
	for {
		for _, x := range b.Instrs[idx:] {
			switch x.(type) {
			case *ssa.Jump, *ssa.Return, *ssa.RunDefers, *ssa.DebugRef, *ssa.Phi:
			default:
				return false
			}
		}
		if len(b.Succs) != 1 || seen[b] {
			return len(b.Succs) == 0
		}
		seen[b] = true
		b, idx = b.Succs[0], 0
	}
}

// loopCount returns the expression counting the iterations of the loop
// that starts the goroutines of g, as it can be written at the make call:
// len(xs) for "for ... range xs" over a slice, array or map, n for
// "for i := 0; i < n; i++".
func (ch *chanInfo) loopCount(g *sendGroup, makeCall *ast.CallExpr) (string, bool) {
	spawn := g.ctx.Spawn
	if spawn.Func.SSA != ch.c.Func.SSA || len(g.ctx.Via) != 1 {
		return "", false
	}
	path := analysisutil.Path(ch.pass, spawn.Pos, spawn.Pos)
	var loop ast.Node
	for _, n := range path {
		switch n.(type) {
		case *ast.RangeStmt, *ast.ForStmt:
			if loop == nil {
				loop = n
			}
		case *ast.FuncLit:
			if loop == nil {
				return "", false
			}
		}
	}
	if loop == nil || loop.Pos() < makeCall.End() {
		return "", false
	}
	// The loop must be directly in the function (not nested in another).
	outer := 0
	for _, n := range path {
		switch n.(type) {
		case *ast.RangeStmt, *ast.ForStmt:
			outer++
		}
	}
	if outer != 1 {
		return "", false
	}
	var expr ast.Expr
	switch l := loop.(type) {
	case *ast.RangeStmt:
		t := ch.pass.TypesInfo.TypeOf(l.X)
		if t == nil {
			return "", false
		}
		switch t.Underlying().(type) {
		case *types.Slice, *types.Map, *types.Array:
		default:
			return "", false
		}
		expr = l.X
		if !ch.stableAt(expr, makeCall.Pos(), loop.Pos()) {
			return "", false
		}
		return "len(" + analysisutil.Format(ch.pass.Fset, expr) + ")", true
	case *ast.ForStmt:
		cond, ok := l.Cond.(*ast.BinaryExpr)
		if !ok || cond.Op != token.LSS {
			return "", false
		}
		init, ok := l.Init.(*ast.AssignStmt)
		if !ok || len(init.Rhs) != 1 {
			return "", false
		}
		if lit, ok := init.Rhs[0].(*ast.BasicLit); !ok || lit.Value != "0" {
			return "", false
		}
		if !ch.stableAt(cond.Y, makeCall.Pos(), loop.Pos()) {
			return "", false
		}
		return analysisutil.Format(ch.pass.Fset, cond.Y), true
	}
	return "", false
}

// stableAt reports whether expression e (identifiers, selections, len
// calls) denotes at pos what it denotes at the loop: every variable it uses
// is declared before pos and not assigned between pos and the loop.
func (ch *chanInfo) stableAt(e ast.Expr, pos, loop token.Pos) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil:
		case *ast.Ident:
			obj := ch.pass.TypesInfo.Uses[n]
			switch obj := obj.(type) {
			case *types.Var:
				if obj.Pos() >= pos && obj.Parent() != nil && obj.Parent() != types.Universe {
					if !obj.IsField() {
						ok = false
					}
				}
				if !obj.IsField() && ch.assignedBetween(obj, pos, loop) {
					ok = false
				}
			case *types.Const, *types.Builtin, *types.PkgName, *types.Nil:
			case *types.Func:
				ok = false
			case nil:
			default:
				ok = false
			}
		case *ast.CallExpr:
			if id, isID := n.Fun.(*ast.Ident); !isID || id.Name != "len" {
				ok = false
			}
		case *ast.SelectorExpr, *ast.BasicLit, *ast.ParenExpr, *ast.BinaryExpr:
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// assignedBetween reports whether v is assigned in [from, to).
func (ch *chanInfo) assignedBetween(v *types.Var, from, to token.Pos) bool {
	found := false
	for _, f := range ch.pass.Files {
		if f.FileStart > from || f.FileEnd < from {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found || n == nil || n.End() < from || n.Pos() > to {
				return !found && (n == nil || n.End() >= from && n.Pos() <= to)
			}
			if as, ok := n.(*ast.AssignStmt); ok && as.Pos() >= from && as.Pos() < to {
				for _, lhs := range as.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && (ch.pass.TypesInfo.Uses[id] == v || ch.pass.TypesInfo.Defs[id] == v) {
						found = true
					}
				}
			}
			return true
		})
	}
	return found
}

// verdict asks the interleaving engine about op, in the scenario of each
// function that makes an instance of its channel (a channel a function
// returns has one instance per caller): it blocks if it blocks in one,
// and completes if it completes in all.
func (ck *checker) verdict(op *model.Op) (explore.Verdict, *explore.Finding) {
	if ck.chanOf == nil {
		ck.chanOf = make(map[*model.Op][]*model.Chan)
		for _, c := range ck.m.Chans {
			for _, u := range c.Uses {
				ck.chanOf[u.Op] = append(ck.chanOf[u.Op], c)
			}
		}
	}
	cs := ck.chanOf[op]
	if len(cs) == 0 {
		return explore.Unknown, nil
	}
	all := explore.Completes
	for _, c := range cs {
		switch v, f := ck.x.Scenario(explore.Outermost(c.Func.SSA)).Verdict(op.Instr); v {
		case explore.Blocks:
			return v, f
		case explore.Unknown:
			all = explore.Unknown
		}
	}
	return all, nil
}

// witness turns the interleaving that leaves an operation waiting into
// numbered related information, oldest step first.
func witness(f *explore.Finding) []analysis.RelatedInformation {
	var out []analysis.RelatedInformation
	for i, s := range f.Steps {
		out = append(out, analysis.RelatedInformation{Pos: s.Pos, Message: fmt.Sprintf("%d. %s", i+1, s.Text)})
	}
	return out
}
