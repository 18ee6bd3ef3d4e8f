package lostcancel

import (
	_ "embed"
	"fmt"
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

// Analyzer reports cancel funcs that are never called, beyond vet.
var Analyzer = &analysis.Analyzer{
	Name:     "lostcancel",
	Doc:      analysisutil.MustExtractDoc(doc, "lostcancel"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#lostcancel",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type checker struct {
	pass *analysis.Pass
	m    *model.Model
	// uses caches, per storage class, whether a loaded cancel func is used.
	uses map[model.ClassKey]bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	ck := &checker{pass: pass, m: m, uses: make(map[model.ClassKey]bool)}
	for _, op := range m.Ops {
		if op.Kind == model.OpWithCancel {
			ck.stored(op)
		}
	}
	for _, f := range m.Funcs {
		ck.returned(f)
	}
	for _, g := range m.Goroutines {
		if g.Target != nil && g.Spawn.Kind != model.OpAfterFunc {
			ck.ignoresCtx(g)
		}
	}
	return nil, nil
}

func (ck *checker) line(pos token.Pos) int { return ck.pass.Fset.Position(pos).Line }

// callExpr returns the syntax of the call at op.
func (ck *checker) callRange(pos token.Pos) (token.Pos, token.Pos) {
	if call, _ := analysisutil.CallAt(ck.pass, pos); call != nil {
		return call.Pos(), call.End()
	}
	return pos, pos
}

// storage returns where the cancel func of op is kept beyond the function:
// a field or package variable (its path), or the map it is put in (map
// set). ok is false when it stays in a local variable (vet's business). It
// reads where the model says the cancel func goes (Op.Flows), as the hover
// card of the cancel func does.
func (ck *checker) storage(op *model.Op) (p model.Path, isMap, ok bool) {
	if op.Path.Valid() && (len(op.Path.Fields) > 0 || op.Path.Root.Kind == model.RootGlobal) {
		return op.Path, false, true
	}
	for _, fl := range op.Flows() {
		if fl.Kind == model.FlowStored && fl.Path.Valid() && (len(fl.Path.Fields) > 0 || fl.Path.Root.Kind == model.RootGlobal) {
			return fl.Path, fl.InMap, true
		}
	}
	return model.Path{}, false, false
}

// exported reports whether code of other packages can reach the storage.
func (ck *checker) exported(p model.Path) bool {
	if n := len(p.Fields); n > 0 {
		f := p.Fields[n-1]
		tn := ck.m.Owner(f)
		return f.Exported() && (tn == nil || tn.Exported())
	}
	if p.Root.Kind == model.RootGlobal {
		return p.Root.Global.Object().Exported()
	}
	return true
}

// stored reports a cancel func kept in a field, a package variable or a
// map that nothing ever calls or hands on, and one that a restarting
// method overwrites without calling.
func (ck *checker) stored(op *model.Op) {
	p, isMap, ok := ck.storage(op)
	if !ok || ck.exported(p) {
		return
	}
	cls := p.Class()
	if cls == "" {
		return
	}
	pos, end := ck.callRange(op.Pos)
	where := p.Name()
	if a, ok := p.Root.Value.(*ssa.Alloc); ok && a.Comment == "complit" && len(p.Fields) > 0 {
		where = ck.m.FieldName(p.Fields[len(p.Fields)-1])
	}
	if isMap {
		where = "the map " + p.Name()
	}
	if !ck.used(cls, storageType(p), isMap) {
		ck.pass.Report(analysis.Diagnostic{
			Pos: pos, End: end, Category: "lostcancel",
			Message: fmt.Sprintf("the cancel func is stored in %s but nothing calls it: %s until its parent is cancelled. Call it when the work is done (in Close or Stop, or before deleting the entry)", where, lives(op)),
		})
		return
	}
	ck.overwritten(op, p, cls, pos, end)
}

// restartNames are method name prefixes that say the method runs again
// over existing state.
var restartNames = []string{"Restart", "Reset", "Reconnect", "Reload", "Renew", "Refresh", "Reopen", "Resubscribe", "Restart"}

// overwritten reports a method that restarts something by storing a new
// cancel func over the previous one without calling it first.
func (ck *checker) overwritten(op *model.Op, p model.Path, cls model.ClassKey, pos, end token.Pos) {
	f := op.Func
	top := f
	for top.SSA.Parent() != nil {
		if g := ck.m.FuncOf(top.SSA.Parent()); g != nil {
			top = g
		} else {
			break
		}
	}
	name := top.SSA.Name()
	restart := false
	for _, r := range restartNames {
		if strings.HasPrefix(name, r) || strings.HasPrefix(name, strings.ToLower(r)) {
			restart = true
		}
	}
	if !restart || len(p.Fields) == 0 || p.Root.Kind != model.RootParam {
		return
	}
	// Does the method read the old cancel func before storing the new one?
	for _, b := range f.SSA.Blocks {
		for _, in := range b.Instrs {
			if ck.loadsClass(in, cls) {
				return
			}
		}
	}
	ck.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: "lostcancel",
		Message: fmt.Sprintf("%s stores a new cancel func in %s without calling the one it replaces: the context of the previous run is never cancelled, and what runs under it keeps running. Call the old %s first", ck.m.FuncName(top), p.Name(), p.Name()),
	})
}

// loadsClass reports whether in loads a value of storage class cls.
func (ck *checker) loadsClass(in ssa.Instruction, cls model.ClassKey) bool {
	switch in := in.(type) {
	case *ssa.UnOp:
		if in.Op == token.MUL {
			if p, ok := ck.m.PathOf(in.X); ok && p.Class() == cls {
				return true
			}
		}
	case *ssa.Field:
		if p, ok := ck.m.PathOf(in); ok && p.Class() == cls {
			return true
		}
	}
	return false
}

// storageType returns the type of the field or variable p names, or nil.
func storageType(p model.Path) types.Type {
	if n := len(p.Fields); n > 0 {
		return p.Fields[n-1].Type()
	}
	if p.Root.Kind == model.RootGlobal {
		return derefType(p.Root.Global.Type())
	}
	return nil
}

// used reports whether a cancel func kept in storage class cls is ever
// loaded and then called or handed on (anything but a nil test).
func (ck *checker) used(cls model.ClassKey, typ types.Type, isMap bool) bool {
	if u, ok := ck.uses[cls]; ok {
		return u
	}
	u := false
	for _, f := range ck.m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				if u {
					break
				}
				v, ok := in.(ssa.Value)
				if !ok || typ != nil && !types.Identical(v.Type(), typ) || !ck.loadsClass(in, cls) {
					continue
				}
				if !isMap {
					u = valueUsed(v)
					continue
				}
				u = mapElemUsed(v)
			}
		}
	}
	ck.uses[cls] = u
	return u
}

// valueUsed reports whether v is used other than in a comparison.
func valueUsed(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r.(type) {
		case *ssa.DebugRef, *ssa.BinOp:
			continue
		}
		return true
	}
	return false
}

// mapElemUsed reports whether an element of the loaded map m is used:
// looked up and used, or ranged over with its value used, or the map
// handed on.
func mapElemUsed(m ssa.Value) bool {
	refs := m.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef, *ssa.BinOp, *ssa.MapUpdate:
		case *ssa.Lookup:
			if !r.CommaOk {
				if valueUsed(r) {
					return true
				}
				continue
			}
			if rr := r.Referrers(); rr != nil {
				for _, x := range *rr {
					if e, ok := x.(*ssa.Extract); ok && e.Index == 0 && valueUsed(e) {
						return true
					}
				}
			}
		case *ssa.Range:
			if rr := r.Referrers(); rr != nil {
				for _, x := range *rr {
					if next, ok := x.(*ssa.Next); ok {
						if nr := next.Referrers(); nr != nil {
							for _, y := range *nr {
								if e, ok := y.(*ssa.Extract); ok && e.Index == 2 && valueUsed(e) {
									return true
								}
							}
						}
					}
				}
			}
		case *ssa.Call:
			// delete(m, k) and len(m) do not use the elements.
			if b, ok := r.Call.Value.(*ssa.Builtin); ok && (b.Name() == "delete" || b.Name() == "len" || b.Name() == "clear") {
				continue
			}
			return true
		default:
			return true
		}
	}
	return false
}

// lives says what an uncalled cancel func keeps alive: the context, and its
// timer when it has one.
func lives(made *model.Op) string {
	if made != nil && made.Timed() {
		return "the context (and its timer) lives"
	}
	return "the context lives"
}

// droppedLives says how long the context of a dropped cancel func lives:
// until its parent is cancelled, or its deadline for a timed one.
func droppedLives(made *model.Op) string {
	switch {
	case made == nil:
		return "its context lives until the parent is cancelled, or its deadline passes if it has one"
	case made.Timed():
		return "its context (and its timer) lives until the parent is cancelled or the deadline passes"
	}
	return "its context lives until the parent is cancelled"
}

// isCancelType reports whether t is context.CancelFunc or CancelCauseFunc.
func isCancelType(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" &&
		(n.Obj().Name() == "CancelFunc" || n.Obj().Name() == "CancelCauseFunc")
}

// returned reports calls of f that drop the cancel func f returns.
func (ck *checker) returned(f *model.Func) {
	res := f.SSA.Signature.Results()
	idx := -1
	for i := range res.Len() {
		if isCancelType(res.At(i).Type()) {
			idx = i
		}
	}
	if idx < 0 || ck.pass.Pkg.Path() == "context" {
		return // context's own WithCancel and friends: vet's business
	}
	// Only a function that creates the context owns its cancel func; a
	// getter of one stored earlier (Get(id) (CancelFunc, bool)) hands out
	// a func that its creator still holds.
	if !ck.m.FreshResult(f, idx) {
		return
	}
	// The cancel func made in f by WithCancel (for related information).
	var made *model.Op
	for _, op := range f.Ops {
		if op.Kind == model.OpWithCancel {
			made = op
		}
	}
	for _, cs := range f.CalledFrom {
		call, ok := cs.Instr.(*ssa.Call)
		if !ok {
			continue
		}
		if dropped(call, idx, res.Len()) {
			pos, end := ck.callRange(cs.Pos)
			d := analysis.Diagnostic{
				Pos: pos, End: end, Category: "lostcancel",
				Message: fmt.Sprintf("the cancel func returned by %s is dropped: %s. Keep it and defer its call", f.SSA.Name(), droppedLives(made)),
			}
			if made != nil {
				d.Related = []analysis.RelatedInformation{{Pos: made.Pos, Message: "the context is made here"}}
			}
			ck.pass.Report(d)
		}
	}
}

// dropped reports whether result idx of call is never used.
func dropped(call *ssa.Call, idx, n int) bool {
	refs := call.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		if n == 1 {
			if _, ok := r.(*ssa.DebugRef); !ok {
				return false
			}
			continue
		}
		if e, ok := r.(*ssa.Extract); ok && e.Index == idx {
			if er := e.Referrers(); er != nil {
				for _, x := range *er {
					if _, ok := x.(*ssa.DebugRef); !ok {
						return false
					}
				}
			}
		}
	}
	return true
}

// ignoresCtx reports a goroutine that has a context but, while it waits
// (WaitGroup or Cond Wait, sleeping in a loop), neither watches ctx.Done()
// nor passes the context on.
func (ck *checker) ignoresCtx(g *model.Goroutine) {
	t := g.Target
	ctxs := ctxValues(t.SSA)
	if len(ctxs) == 0 || len(t.Exits) == 0 {
		return // no context, or no end at all (goroutineleak's business)
	}
	for _, f := range g.Reaches {
		if watches(f.SSA) {
			return
		}
	}
	for _, f := range g.Reaches {
		for _, op := range f.Ops {
			var what string
			switch op.Kind {
			case model.OpWGWait, model.OpCondWait:
				what = op.Path.Name() + ".Wait()"
			case model.OpSleep:
				if ck.m.LoopOf(op.Instr.Block()) == nil {
					continue
				}
				what = "time.Sleep in a loop"
			default:
				continue
			}
			pos, end := ck.callRange(op.Pos)
			ck.pass.Report(analysis.Diagnostic{
				Pos: pos, End: end, Category: "lostcancel",
				Message: fmt.Sprintf("the goroutine started at line %d is given %s but ignores it while it waits here (%s): cancelling %s does not stop it. Watch %s.Done() (or pass %s on)",
					ck.line(g.Spawn.Pos), ctxs[0], what, ctxs[0], ctxs[0], ctxs[0]),
				Related: []analysis.RelatedInformation{{Pos: g.Spawn.Pos, Message: "goroutine started here"}},
			})
			return
		}
	}
}

// ctxValues returns the names of the contexts fn has: parameters and
// captured variables of type context.Context.
func ctxValues(fn *ssa.Function) []string {
	var out []string
	for _, p := range fn.Params {
		if isContext(p.Type()) {
			out = append(out, p.Name())
		}
	}
	for _, fv := range fn.FreeVars {
		if isContext(fv.Type()) || isContext(derefType(fv.Type())) {
			out = append(out, fv.Name())
		}
	}
	return out
}

func derefType(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// watches reports whether fn looks at a context's cancellation (Done,
// Err) or hands a context to another call.
func watches(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			call, ok := in.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			if c.IsInvoke() && isContext(c.Value.Type()) {
				switch c.Method.Name() {
				case "Done", "Err":
					return true
				}
				continue
			}
			for _, a := range c.Args {
				if isContext(a.Type()) {
					return true
				}
			}
			if mc, ok := c.Value.(*ssa.MakeClosure); ok {
				for _, b := range mc.Bindings {
					if isContext(derefType(b.Type())) {
						return true
					}
				}
			}
		}
	}
	return false
}
