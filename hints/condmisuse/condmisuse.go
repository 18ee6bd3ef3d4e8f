package condmisuse

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

// Analyzer reports misuses of sync.Cond.
var Analyzer = &analysis.Analyzer{
	Name:     "condmisuse",
	Doc:      analysisutil.MustExtractDoc(doc, "condmisuse"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#condmisuse",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type checker struct {
	pass *analysis.Pass
	m    *model.Model

	// Computed once per package, on demand.
	handed  map[*model.Object]bool          // Conds passed to code the check cannot see
	stores  map[model.ClassKey][]*ssa.Store // stores to fields, by class
	indexed bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	ck := &checker{pass: pass, m: m}
	for _, op := range m.Ops {
		if op.Kind != model.OpCondWait || op.Object == nil || !op.Path.Valid() {
			continue
		}
		switch {
		case ck.lockNotHeld(op):
		case ck.neverSignalled(op):
		case ck.missedWakeup(op):
		case ck.signalledFirst(op):
		default:
			ck.notInLoop(op)
		}
	}
	return nil, nil
}

func (ck *checker) line(pos token.Pos) int { return ck.pass.Fset.Position(pos).Line }

// condName spells the Cond of op as its call does: q.cond.
func (ck *checker) condName(op *model.Op) string {
	if call, _ := analysisutil.CallAt(ck.pass, op.Pos); call != nil {
		if recv := analysisutil.Receiver(call); recv != nil {
			return analysisutil.Format(ck.pass.Fset, recv)
		}
	}
	return op.Path.Name()
}

func (ck *checker) report(op *model.Op, msg string, related []analysis.RelatedInformation, fixes []analysis.SuggestedFix) {
	pos, end := op.Pos, op.Pos
	if call, _ := analysisutil.CallAt(ck.pass, op.Pos); call != nil {
		pos, end = call.Pos(), call.End()
	}
	ck.pass.Report(analysis.Diagnostic{Pos: pos, End: end, Category: "condmisuse", Message: msg, Related: related, SuggestedFixes: fixes})
}

// escapes reports whether code outside the package may use the Cond: an
// exported field of an exported type, or an exported package variable.
func escapes(m *model.Model, p model.Path) bool {
	if n := len(p.Fields); n > 0 {
		f := p.Fields[n-1]
		tn := m.Owner(f)
		return f.Exported() && (tn == nil || tn.Exported())
	}
	if p.Root.Kind == model.RootGlobal {
		return p.Root.Global.Object().Exported()
	}
	return p.Root.Kind == model.RootParam
}

// locker returns the path of c.L in the frame of op (a Cond operation),
// from the NewCond calls and sync.Cond literals that make the Cond, and
// whether it is a read locker (mu.RLocker()).
func (ck *checker) locker(op *model.Op) (model.Path, bool) {
	var out model.Path
	found := false
	for _, n := range ck.m.Ops {
		if n.Kind != model.OpCondNew || n.Object != op.Object || !n.Path.Valid() || !n.Locker.Valid() {
			continue
		}
		var l model.Path
		switch {
		case n.Locker.Root.Kind == model.RootGlobal:
			l = n.Locker
		case n.Locker.Root == n.Path.Root && len(n.Path.Fields) > 0 && len(op.Path.Fields) >= len(n.Path.Fields):
			// s.cond = sync.NewCond(&s.mu): L is the mu beside the cond.
			k := len(op.Path.Fields) - len(n.Path.Fields)
			if op.Path.Elem {
				return model.Path{}, false
			}
			for i, f := range n.Path.Fields {
				if op.Path.Fields[k+i] != f {
					return model.Path{}, false
				}
			}
			base := len(n.Path.Fields) - 1
			if len(n.Locker.Fields) < base {
				return model.Path{}, false
			}
			fields := append(append([]*types.Var(nil), op.Path.Fields[:k+base]...), n.Locker.Fields[base:]...)
			l = model.Path{Root: op.Path.Root, Fields: fields}
		case n.Path.Key() == op.Path.Key():
			l = n.Locker // made in the same frame
		default:
			return model.Path{}, false
		}
		if found && l.Key() != out.Key() {
			return model.Path{}, false
		}
		out, found = l, true
	}
	return out, found
}

// lockNotHeld reports a Wait whose function does not hold c.L (or holds
// only its read lock): Wait's Unlock of c.L then fails.
func (ck *checker) lockNotHeld(op *model.Op) bool {
	l, ok := ck.locker(op)
	if !ok || escapes(ck.m, l) || l.Root.Kind == model.RootParam && len(l.Fields) == 0 {
		return false
	}
	f := op.Func
	held := append(append([]*model.Held(nil), op.Held...), f.Requires...)
	lk := l.Key()
	var read *model.Held
	for _, h := range held {
		k := h.Path.Key()
		if k == lk || isCondL(h.Path, op.Path) || h.Path.Class() != "" && h.Path.Class() == l.Class() {
			if !h.Read {
				return false
			}
			read = h
		}
	}
	// Callers the model does not see may hold it: an exported function
	// whose lock is reachable from outside, or a function used as a value.
	if !ck.callersKnown(f) {
		return false
	}
	// A lock taken on some paths only (the may set) is a different
	// problem; stay silent rather than guess.
	if ck.mayHold(op, lk) && read == nil {
		return false
	}
	name := ck.condName(op)
	lname := l.Name()
	if read != nil {
		var related []analysis.RelatedInformation
		if read.Site != nil {
			related = []analysis.RelatedInformation{{Pos: read.Site.Pos, Message: "only the read lock is taken here"}}
		}
		ck.report(op, fmt.Sprintf("%s.Wait with only the read lock of %s held: Wait calls %s.Unlock, which is not held, and the program dies (fatal error: sync: Unlock of unlocked RWMutex). Hold %s.Lock around the wait, or make the Cond with %s.RLocker()",
			name, lname, lname, lname, lname), related, nil)
		return true
	}
	ck.report(op, fmt.Sprintf("%s.Wait without holding %s, the Cond's lock: Wait unlocks it first, and the program dies (fatal error: sync: unlock of unlocked mutex); a Signal before the Wait is also lost. Lock %s around the condition check and the Wait",
		name, lname, lname), nil, nil)
	return true
}

// isCondL reports whether p is the L field of the Cond at cond (c.L).
func isCondL(p, cond model.Path) bool {
	n := len(cond.Fields)
	if p.Root != cond.Root || len(p.Fields) != n+1 || p.Elem != cond.Elem {
		return false
	}
	for i, f := range cond.Fields {
		if p.Fields[i] != f {
			return false
		}
	}
	last := p.Fields[n]
	return last.Name() == "L" && last.Pkg() != nil && last.Pkg().Path() == "sync"
}

// mayHold reports whether the lock with key k may be held at op on some
// paths (taken conditionally).
func (ck *checker) mayHold(op *model.Op, k model.Key) bool {
	unlocks := make(map[ssa.Instruction]bool)
	for _, o := range op.Func.Ops {
		if o.Kind.Releases() && o.Path.Valid() && o.Path.Key() == k && !o.Deferred {
			unlocks[o.Instr] = true
		}
	}
	for _, o := range op.Func.Ops {
		if o.Kind.Acquires() && o.Path.Valid() && o.Path.Key() == k && model.ReachesAvoiding(o.Instr, op.Instr, unlocks) {
			return true
		}
	}
	// A call of a helper that returns with a lock held (lockX()): the
	// lock may be this one.
	for _, cs := range op.Func.Calls {
		if len(cs.Callee.Summary.Returns) > 0 {
			return true
		}
	}
	return false
}

// callersKnown reports whether every caller of f is in the package and
// seen: f is not exported (or its type is not), not used as a value, and
// called somewhere; or f is a goroutine's function (nobody holds a lock
// for it).
func (ck *checker) callersKnown(f *model.Func) bool {
	if len(f.Goroutines) > 0 && len(f.CalledFrom) == 0 {
		for _, g := range f.Goroutines {
			if g.Target != f {
				return false
			}
		}
		return true
	}
	if f.SSA.Parent() != nil {
		return len(f.CalledFrom) > 0 && f.ValueUses == 0
	}
	if f.Exported {
		// Outside callers can only hold a lock they can reach: an
		// unexported field or variable is out of their reach unless a
		// method hands it over (Lock promoted from an embedded mutex).
		return true
	}
	return len(f.CalledFrom) > 0 && f.ValueUses == 0
}

// index scans the package once for what several checks need: Conds handed
// to unknown code, and stores to fields.
func (ck *checker) index() {
	if ck.indexed {
		return
	}
	ck.indexed = true
	ck.handed = make(map[*model.Object]bool)
	ck.stores = make(map[model.ClassKey][]*ssa.Store)
	for _, g := range ck.m.Funcs {
		for _, b := range g.SSA.Blocks {
			for _, in := range b.Instrs {
				switch in := in.(type) {
				case *ssa.DebugRef:
					continue
				case *ssa.Store:
					if _, ok := in.Addr.(*ssa.FieldAddr); ok && (isBool(in.Val.Type()) || isAppend(in.Val)) {
						if p, ok := ck.m.PathOf(in.Addr); ok && len(p.Fields) > 0 {
							ck.stores[p.Class()] = append(ck.stores[p.Class()], in)
						}
					}
				case ssa.CallInstruction:
					c := in.Common()
					if ck.m.FuncOf(c.StaticCallee()) == nil {
						for _, a := range c.Args {
							if !typeIs(a.Type(), "sync", "Cond") {
								continue
							}
							if callee := c.StaticCallee(); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg.Path() == "sync" {
								continue
							}
							if p, ok := ck.m.PathOf(a); ok {
								if o := ck.m.ObjectOfPath(p); o != nil {
									ck.handed[o] = true
								}
							}
						}
					}
				}
			}
		}
	}
}

// neverSignalled reports a Wait on a Cond that nothing in the package
// signals or broadcasts.
func (ck *checker) neverSignalled(op *model.Op) bool {
	if escapes(ck.m, op.Path) || ck.handedOut(op.Object) {
		return false
	}
	for _, o := range op.Object.Ops {
		if o.Kind == model.OpCondSignal || o.Kind == model.OpCondBroadcast {
			return false
		}
	}
	name := ck.condName(op)
	ck.report(op, fmt.Sprintf("nothing in the package calls %s.Signal or %s.Broadcast: this Wait never wakes up", name, name), nil, nil)
	return true
}

// handedOut reports whether a Cond (or its container) is passed to code
// the model cannot see: a call of another package or a function value
// with the Cond as an argument.
func (ck *checker) handedOut(obj *model.Object) bool {
	ck.index()
	return ck.handed[obj]
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return types.Unalias(p.Elem())
	}
	return types.Unalias(t)
}

func typeIs(t types.Type, pkg, name string) bool {
	n, ok := deref(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// notInLoop reports a Wait that does not test its condition again after
// waking: outside any loop, or in an if whose following code runs right
// after the Wait.
func (ck *checker) notInLoop(op *model.Op) {
	name := ck.condName(op)
	// A Wait with no condition at all is a handshake (the waiter holds the
	// lock from before the signaller can run); only an if that is not
	// tested again is wrong for sure.
	ifs, stmt := ck.enclosingIf(op)
	if ifs == nil || !ck.fallsThrough(ifs, stmt) {
		return
	}
	var fixes []analysis.SuggestedFix
	msg := fmt.Sprintf("%s.Wait in an if: after waking, the condition is not checked again, but Broadcast wakes every waiter and another goroutine may get there first. Use for instead of if", name)
	if fix, ok := ck.forFix(ifs, stmt); ok {
		fixes = []analysis.SuggestedFix{fix}
	}
	ck.report(op, msg, nil, fixes)
}

// signalledFirst reports a Wait that tests no condition at all while a
// goroutine that signals the Cond was started before the waiter took the
// lock: the signal can come first, and Wait does not remember a signal it
// missed. (A bare Wait is a correct handshake only when the waiter holds
// c.L from before the signaller starts until it waits.)
func (ck *checker) signalledFirst(op *model.Op) bool {
	if !ck.bareWait(op) || op.Func.InBubble() {
		// In a synctest bubble time is fake: a Sleep before the signal
		// orders it after the Wait.
		return false
	}
	var lock *model.Op
	for _, h := range op.Held {
		if h.Site != nil && h.Site.Func == op.Func && len(h.Via) == 0 && h.Site.Kind == model.OpLock {
			lock = h.Site
		}
	}
	if lock == nil {
		return false
	}
	for _, sig := range op.Object.Ops {
		if sig.Kind != model.OpCondSignal && sig.Kind != model.OpCondBroadcast {
			continue
		}
		for _, g := range sig.Func.Goroutines {
			spawn := g.Spawn
			if spawn.Func != op.Func || spawn.Pos >= lock.Pos || !spawn.Instr.Block().Dominates(lock.Instr.Block()) {
				continue
			}
			name := ck.condName(op)
			lockName := lock.Path.Name()
			msg := fmt.Sprintf("%s.Wait checks no condition, but the goroutine started at line %d can call %s before this goroutine locks %s at line %d: Wait does not remember a signal it missed, so it blocks forever. Wait in a loop on the state the signal announces (for !ready { %s.Wait() })",
				name, ck.line(spawn.Pos), sig.Kind, lockName, ck.line(lock.Pos), name)
			ck.report(op, msg, []analysis.RelatedInformation{
				{Pos: spawn.Pos, Message: "the signalling goroutine starts here"},
				{Pos: sig.Pos, Message: sig.Kind.String() + " here may run before the Wait"},
			}, nil)
			return true
		}
	}
	return false
}

// bareWait reports whether the Wait is a statement of its function that no
// loop, if, switch or select encloses: no condition is tested around it.
func (ck *checker) bareWait(op *model.Op) bool {
	_, path := analysisutil.CallAt(ck.pass, op.Pos)
	if len(path) < 2 {
		return false
	}
	if _, ok := path[1].(*ast.ExprStmt); !ok {
		return false
	}
	for _, n := range path[2:] {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return false
		case *ast.FuncDecl, *ast.FuncLit:
			return true
		}
	}
	return false
}

// enclosingIf returns the if statement whose body holds the Wait call
// statement directly, with that statement.
func (ck *checker) enclosingIf(op *model.Op) (*ast.IfStmt, ast.Stmt) {
	_, path := analysisutil.CallAt(ck.pass, op.Pos)
	if len(path) < 4 {
		return nil, nil
	}
	stmt, ok := path[1].(*ast.ExprStmt)
	if !ok {
		return nil, nil
	}
	body, ok := path[2].(*ast.BlockStmt)
	if !ok {
		return nil, nil
	}
	ifs, ok := path[3].(*ast.IfStmt)
	if !ok || ifs.Body != body {
		return nil, nil
	}
	return ifs, stmt
}

// fallsThrough reports whether code after the if statement runs right
// after the Wait, without testing the condition again: the Wait is not
// followed by continue, and the if is followed by more statements.
func (ck *checker) fallsThrough(ifs *ast.IfStmt, stmt ast.Stmt) bool {
	if ifs.Else != nil {
		return false
	}
	list := ifs.Body.List
	for i, s := range list {
		if s == stmt {
			for _, after := range list[i+1:] {
				switch after.(type) {
				case *ast.BranchStmt, *ast.ReturnStmt:
					return false
				}
			}
		}
	}
	outer := analysisutil.Path(ck.pass, ifs.Pos(), ifs.End())
	for _, n := range outer {
		if b, ok := n.(*ast.BlockStmt); ok {
			for i, s := range b.List {
				if s == ast.Stmt(ifs) {
					return i+1 < len(b.List)
				}
			}
			return false
		}
	}
	return false
}

// forFix turns "if cond { c.Wait() }" into "for cond { c.Wait() }" when
// that is all the if does and cond reads shared state.
func (ck *checker) forFix(ifs *ast.IfStmt, stmt ast.Stmt) (analysis.SuggestedFix, bool) {
	if ifs.Init != nil || ifs.Else != nil {
		return analysis.SuggestedFix{}, false
	}
	branches := false
	ast.Inspect(ifs.Body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.BranchStmt, *ast.ReturnStmt, *ast.FuncLit:
			branches = true
		}
		return !branches
	})
	if branches || !ck.readsShared(ifs.Cond) {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   "Use for instead of if, so the condition is checked again after waking",
		TextEdits: []analysis.TextEdit{{Pos: ifs.If, End: ifs.If + token.Pos(len("if")), NewText: []byte("for")}},
	}, true
}

// readsShared reports whether expression e reads something that another
// goroutine can change: a field, an element, a package variable or a call;
// a condition on local variables alone would loop forever.
func (ck *checker) readsShared(e ast.Expr) bool {
	shared := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if sel := ck.pass.TypesInfo.Selections[n]; sel != nil {
				shared = true
			}
		case *ast.IndexExpr, *ast.CallExpr, *ast.StarExpr:
			shared = true
		case *ast.Ident:
			if v, ok := ck.pass.TypesInfo.Uses[n].(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
				shared = true
			}
		}
		return true
	})
	return shared
}

// missedWakeup reports a Wait whose loop waits for a condition that some
// function makes true (storing true to the flag it tests, appending to the
// slice whose length it tests) without signalling the Cond afterwards.
func (ck *checker) missedWakeup(op *model.Op) bool {
	l := ck.m.LoopOf(op.Instr.Block())
	if l == nil || escapes(ck.m, op.Path) {
		return false
	}
	wakers := ck.wakingConds(l)
	if len(wakers) == 0 {
		return false
	}
	ck.index()
	classes := make([]model.ClassKey, 0, len(wakers))
	for cls := range wakers {
		classes = append(classes, cls)
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i] < classes[j] })
	for _, cls := range classes {
		want := wakers[cls]
		for _, st := range ck.stores[cls] {
			f := ck.m.FuncOf(st.Parent())
			if f == nil || f == op.Func || waitsOn(f, op.Object) || !want(st.Val) {
				continue // a waiter updating state after its own wait
			}
			if ck.signalledAfter(st, op.Object, f, 0) {
				continue
			}
			name := ck.condName(op)
			what := analysisutil.Format(ck.pass.Fset, ck.storeNode(st))
			if what == "" {
				p, _ := ck.m.PathOf(st.Addr)
				what = p.Name()
			}
			ck.report(op, fmt.Sprintf("%s.Wait can sleep forever: %s changes what this loop waits for (%s, line %d) but does not call %s.Signal or %s.Broadcast afterwards",
				name, ck.m.FuncName(f), what, ck.line(st.Pos()), name, name),
				[]analysis.RelatedInformation{{Pos: st.Pos(), Message: "makes the condition true without waking the waiters"}}, nil)
			return true
		}
	}
	return false
}

// waitsOn reports whether f waits on the Cond obj.
func waitsOn(f *model.Func, obj *model.Object) bool {
	for _, o := range f.Ops {
		if o.Kind == model.OpCondWait && o.Object == obj {
			return true
		}
	}
	return false
}

// storeNode returns the assignment statement of a store.
func (ck *checker) storeNode(st *ssa.Store) ast.Node {
	for _, n := range analysisutil.Path(ck.pass, st.Pos(), st.Pos()) {
		if as, ok := n.(*ast.AssignStmt); ok {
			return as
		}
	}
	return &ast.Ident{Name: ""}
}

// wakingConds returns, for each field class the loop's conditions test,
// which stored values make the loop stop waiting: true for a flag tested
// "for !s.ready", an append for a slice tested "for len(s.items) == 0".
func (ck *checker) wakingConds(l *model.Loop) map[model.ClassKey]func(ssa.Value) bool {
	out := make(map[model.ClassKey]func(ssa.Value) bool)
	for b := range l.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		// The edge that stays in the loop (keeps waiting).
		stayTrue := l.Blocks[b.Succs[0]]
		stayFalse := l.Blocks[b.Succs[1]]
		if stayTrue == stayFalse {
			continue
		}
		ck.collectWakers(iff.Cond, stayTrue, out)
	}
	return out
}

func (ck *checker) collectWakers(v ssa.Value, stayWhen bool, out map[model.ClassKey]func(ssa.Value) bool) {
	switch v := v.(type) {
	case *ssa.UnOp:
		switch v.Op {
		case token.NOT:
			ck.collectWakers(v.X, !stayWhen, out)
		case token.MUL:
			// for !s.ready: waits while the flag is false; storing
			// true wakes.
			if p, ok := ck.m.PathOf(v.X); ok && len(p.Fields) > 0 && isBool(v.Type()) {
				wake := !stayWhen
				out[p.Class()] = func(x ssa.Value) bool { return isBoolConst(x, wake) }
			}
		}
	case *ssa.BinOp:
		switch v.Op {
		case token.LAND, token.LOR:
			ck.collectWakers(v.X, stayWhen, out)
			ck.collectWakers(v.Y, stayWhen, out)
		case token.EQL, token.LEQ:
			// for len(s.items) == 0: appending wakes.
			if stayWhen && isZero(v.Y) {
				if p, ok := ck.lenOf(v.X); ok {
					out[p.Class()] = isAppend
				}
			}
		case token.NEQ, token.GTR:
			if !stayWhen && isZero(v.Y) {
				if p, ok := ck.lenOf(v.X); ok {
					out[p.Class()] = isAppend
				}
			}
		}
	}
}

// lenOf returns the field whose length v is: len(s.items).
func (ck *checker) lenOf(v ssa.Value) (model.Path, bool) {
	call, ok := v.(*ssa.Call)
	if !ok {
		return model.Path{}, false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	if !ok || b.Name() != "len" || len(call.Call.Args) != 1 {
		return model.Path{}, false
	}
	load, ok := call.Call.Args[0].(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return model.Path{}, false
	}
	p, ok := ck.m.PathOf(load.X)
	if !ok || len(p.Fields) == 0 {
		return model.Path{}, false
	}
	return p, true
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

func isBoolConst(v ssa.Value, b bool) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.String() == fmt.Sprint(b)
}

func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.String() == "0"
}

func isAppend(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "append"
}

// opaque reports whether a call may have effects the check cannot see: a
// call of a function value or interface method, or of another package
// (other than sync and a few that cannot wake anyone), or of a function of
// the package that makes such a call.
func (ck *checker) opaque(call ssa.CallInstruction, depth int) bool {
	c := call.Common()
	if _, ok := c.Value.(*ssa.Builtin); ok {
		return false
	}
	callee := c.StaticCallee()
	if callee == nil {
		return true
	}
	if f := ck.m.FuncOf(callee); f != nil {
		if depth > 3 {
			return true
		}
		for _, b := range callee.Blocks {
			for _, in := range b.Instrs {
				if cc, ok := in.(ssa.CallInstruction); ok && ck.opaque(cc, depth+1) {
					return true
				}
			}
		}
		return false
	}
	if callee.Pkg == nil {
		return true
	}
	switch callee.Pkg.Pkg.Path() {
	case "sync", "sync/atomic", "time", "errors", "fmt", "strings", "strconv", "sort", "slices", "maps", "bytes", "math", "unicode/utf8", "log":
		return false
	}
	return true
}

// signalledAfter reports whether every path from st to a return of f
// signals or broadcasts obj (directly, through a call, or, for a helper,
// in every caller after the call).
func (ck *checker) signalledAfter(st ssa.Instruction, obj *model.Object, f *model.Func, depth int) bool {
	stop := make(map[ssa.Instruction]bool)
	for _, o := range f.Ops {
		if (o.Kind == model.OpCondSignal || o.Kind == model.OpCondBroadcast) && o.Object == obj {
			if o.Deferred {
				return true
			}
			stop[o.Instr] = true
		}
	}
	for _, cs := range f.Calls {
		if cs.Go {
			continue
		}
		for _, g := range ck.m.Reach(cs.Callee) {
			for _, o := range g.Ops {
				if (o.Kind == model.OpCondSignal || o.Kind == model.OpCondBroadcast) && o.Object == obj {
					if cs.Defer {
						return true
					}
					stop[cs.Instr] = true
				}
			}
		}
	}
	// A Signal that can follow the store counts, even one under a
	// condition (if l.waiters > 0 { l.cond.Signal() }): the code does
	// signal, and whether its condition is right is another question.
	for in := range stop {
		if model.Reaches(st, in) {
			return true
		}
	}
	// A call the model cannot see into may wake the waiters in its own
	// way (closing a connection ends a read loop that broadcasts).
	for _, b := range f.SSA.Blocks {
		for _, in := range b.Instrs {
			if call, ok := in.(ssa.CallInstruction); ok && ck.opaque(call, 0) {
				stop[in] = true
			}
		}
	}
	if _, found := ck.m.FindPath(model.PathQuery{Fn: f.SSA, Start: st, Stop: stop}); !found {
		return true
	}
	// A helper: its callers may signal after calling it.
	if depth >= 2 || len(f.CalledFrom) == 0 || f.ValueUses > 0 || f.Exported {
		return false
	}
	for _, cs := range f.CalledFrom {
		if cs.Go || !ck.signalledAfter(cs.Instr, obj, cs.Caller, depth+1) {
			return false
		}
	}
	return true
}
