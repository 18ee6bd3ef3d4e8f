package explain

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

// card accumulates the markdown of a card.
type card struct {
	b   strings.Builder
	doc string
}

func (c *card) title(kind, name, nature string) {
	fmt.Fprintf(&c.b, "**%s** `%s`: %s\n\n", kind, name, nature)
}

func (c *card) para(format string, args ...any) {
	fmt.Fprintf(&c.b, format, args...)
	c.b.WriteString("\n\n")
}

func (c *card) done(start, end token.Pos) *Card {
	return &Card{Markdown: strings.TrimRight(c.b.String(), "\n") + "\n", Start: start, End: end, Doc: c.doc}
}

// line returns the line of pos.
func (e *explainer) line(pos token.Pos) int { return e.m.Position(pos).Line }

// site describes where an operation is: "line 30 in `worker`".
func (e *explainer) site(op *model.Op) string {
	return fmt.Sprintf("line %d in `%s`", e.line(op.Pos), funcName(op.Func))
}

// sites lists operations, at most five.
func (e *explainer) sites(ops []*model.Op) string {
	if len(ops) == 0 {
		return "none"
	}
	var parts []string
	for i, op := range ops {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ops)-5))
			break
		}
		s := e.site(op)
		if op.Deferred {
			s += " (deferred)"
		}
		if g := e.goroutineOf(op); g != "" {
			s += ", " + g
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// goroutineOf says which goroutine an operation runs in, when it runs in one
// started in this package.
func (e *explainer) goroutineOf(op *model.Op) string {
	if len(op.Func.Goroutines) == 0 {
		return ""
	}
	g := op.Func.Goroutines[0]
	return fmt.Sprintf("in the goroutine started at line %d", e.line(g.Spawn.Pos))
}

func funcName(f *model.Func) string {
	if f == nil {
		return "?"
	}
	fn := f.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	name := fn.Name()
	if f.SSA.Parent() != nil {
		name += " (closure)"
	}
	return name
}

// opsOf returns the operations of obj of the given kinds.
func opsOf(obj *model.Object, kinds ...model.OpKind) []*model.Op {
	if obj == nil {
		return nil
	}
	var out []*model.Op
	for _, op := range obj.Ops {
		for _, k := range kinds {
			if op.Kind == k {
				out = append(out, op)
				break
			}
		}
	}
	return out
}

// held lists the locks held at an operation.
func (e *explainer) held(op *model.Op) string {
	var parts []string
	for _, h := range op.Held {
		s := "`" + h.Path.Name() + "`"
		if h.Read {
			s += " (read)"
		}
		if h.Site != nil {
			s += fmt.Sprintf(" since line %d", e.line(h.Site.Pos))
		}
		parts = append(parts, s)
	}
	for _, h := range op.Func.Requires {
		parts = append(parts, "`"+h.Path.Name()+"` (held by every caller)")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// ---- goroutines ----

func (e *explainer) goStmt(s *ast.GoStmt) *Card {
	op := e.opAt(s.Go, model.OpGo)
	if op == nil {
		return nil
	}
	return e.goroutine(op, s.Go, s.Go+2)
}

func (e *explainer) goroutine(op *model.Op, start, end token.Pos) *Card {
	g := op.Goroutine
	if g == nil {
		return nil
	}
	c := &card{doc: docLifecycle}
	what := "a function value"
	if g.Target != nil {
		what = "`" + funcName(g.Target) + "`"
	}
	nature := "starts a goroutine running " + what
	switch op.Kind {
	case model.OpGroupGo:
		nature = "starts a goroutine of the errgroup running " + what
	case model.OpWGGo:
		nature = "starts a goroutine counted by the WaitGroup, running " + what
	case model.OpAfterFunc:
		nature = "runs " + what + " in its own goroutine when the timer fires"
		c.doc = docCreating
	}
	c.title("goroutine", "go", nature)
	if g.Many {
		c.para("Started once per loop iteration: several run at once.")
	}
	switch {
	case g.Target == nil:
		c.para("Ends: unknown (the function is not in this package).")
	case g.Forever:
		c.para("Ends: **nothing stops this goroutine**: no path returns. Give it a `ctx.Done()` case or a channel to close.")
	default:
		var ends []string
		for _, end := range g.Ends {
			ends = append(ends, e.endText(g, end))
		}
		c.para("Ends when: %s.", strings.Join(ends, "; or "))
	}
	var stuck []string
	for _, f := range g.Reaches {
		for _, o := range f.Ops {
			if w := e.blocksForever(o); w != nil && (o.Kind == model.OpSend || o.Kind == model.OpRecv || o.Kind == model.OpRange) {
				stuck = append(stuck, fmt.Sprintf("line %d", e.line(o.Pos)))
			}
		}
	}
	switch {
	case len(stuck) > 0:
		// The check found a path on which it never finishes: whoever
		// receives from it does so only on some paths.
		c.para("Joined by: **not on every path**: it can block forever at %s (see the chanleak warning there).", strings.Join(stuck, ", "))
	case len(g.Joins) == 0:
		if op.Kind == model.OpAfterFunc {
			c.para("Nobody waits for it; `Stop` on the timer cancels it if it has not started.")
		} else {
			c.para("Joined by: **nobody waits for it**. If its work matters, wait with a `sync.WaitGroup`, an errgroup, or a done channel.")
		}
	default:
		var joins []string
		for _, j := range g.Joins {
			joins = append(joins, fmt.Sprintf("`%s` at line %d", joinName(j), e.line(j.Pos)))
		}
		c.para("Joined by: %s.", strings.Join(joins, ", "))
	}
	return c.done(start, end)
}

// endText says how a goroutine ends, with the lines involved: who cancels
// the context it waits on, which goroutines the WaitGroup it waits for
// counts, what it closes afterwards.
func (e *explainer) endText(g *model.Goroutine, end model.End) string {
	s := end.String()
	if end.Kind == model.EndWait {
		s = fmt.Sprintf("`%s.Wait()` (line %d) returns", end.Name, e.line(end.Pos))
		if ws := e.workers(g, end.Obj); len(ws) > 0 {
			s += ", after " + strings.Join(ws, " and ") + " finish"
		}
		for i, cl := range end.Closes {
			if i == 0 {
				s += "; it then closes "
			} else {
				s += " and "
			}
			s += fmt.Sprintf("`%s` (line %d)", objName(cl), e.line(cl.Pos))
		}
		return s
	}
	if end.Pos.IsValid() {
		s += fmt.Sprintf(" (line %d)", e.line(end.Pos))
	}
	if end.Kind == model.EndCtxDone && len(end.Cancels) > 0 {
		var by []string
		for _, op := range end.Cancels {
			by = append(by, fmt.Sprintf("line %d", e.line(op.Pos)))
		}
		s += fmt.Sprintf(", by `%s` at %s", objName(end.Cancels[0]), strings.Join(by, " or "))
	}
	return s
}

// workers names the other goroutines that mark the WaitGroup wg done: "the
// goroutines started at line 33".
func (e *explainer) workers(self *model.Goroutine, wg *model.Object) []string {
	if wg == nil {
		return nil
	}
	var out []string
	for _, g := range e.m.Goroutines {
		if g == self {
			continue
		}
		counted := g.Spawn.Kind == model.OpWGGo && g.Spawn.Object == wg
		for _, f := range g.Reaches {
			for _, op := range f.Ops {
				if op.Kind == model.OpWGDone && op.Object == wg {
					counted = true
				}
			}
		}
		if !counted {
			continue
		}
		what := "the goroutine"
		if g.Many {
			what = "the goroutines"
		}
		out = append(out, fmt.Sprintf("%s started at line %d", what, e.line(g.Spawn.Pos)))
	}
	return out
}

func joinName(op *model.Op) string {
	name := "?"
	if op.Object != nil {
		name = op.Object.Name
	}
	switch op.Kind {
	case model.OpWGWait, model.OpGroupWait:
		return name + ".Wait()"
	case model.OpRecv:
		return "<-" + name
	case model.OpRange:
		return "range " + name
	}
	return op.Kind.String()
}

// ---- locks ----

func lockNature(k model.ObjKind) (string, string) {
	switch k {
	case model.ObjRWMutex:
		return "a reader/writer lock: many readers or one writer", docRWMutex
	case model.ObjMutex:
		return "an exclusive lock: one goroutine at a time", docLocks
	}
	return "a lock (sync.Locker)", docLocks
}

func (e *explainer) lockOp(op *model.Op, start, end token.Pos) *Card {
	kind := op.ObjKind
	nature, doc := lockNature(kind)
	c := &card{doc: doc}
	name := op.Path.Name()
	if op.Object != nil && !op.Path.Valid() {
		name = op.Object.Name
	}
	c.title(kind.String(), name, nature)
	switch op.Kind {
	case model.OpLock:
		c.para("`Lock` takes it exclusively: it waits until no goroutine holds it for reading or writing. Taking it again before `Unlock` blocks forever.")
	case model.OpRLock:
		c.para("`RLock` takes it shared, for reading: readers run together, but wait while a writer holds it or waits for it, so never `RLock` again in the same goroutine before `RUnlock`.")
	case model.OpUnlock:
		c.para("`Unlock` releases the exclusive lock. Any goroutine may release it, but only once per `Lock`.")
	case model.OpRUnlock:
		c.para("`RUnlock` releases one shared hold.")
	case model.OpTryLock, model.OpTryRLock:
		c.para("`%s` takes it only if it is free right now and reports whether it did; it never waits.", op.Kind)
	}
	c.para("Locks held here: %s.", e.held(op))
	if op.Kind.Acquires() {
		if r := e.releasedBy(op); r != "" {
			c.para("Released %s.", r)
		}
	}
	e.lockFacts(c, op.Object)
	return c.done(start, end)
}

// releasedBy says where the lock taken by op is released.
func (e *explainer) releasedBy(op *model.Op) string {
	f := op.Func
	key := op.Path.Key()
	if !op.Path.Valid() {
		return ""
	}
	var parts []string
	for _, o := range f.Ops {
		if o.Kind.Releases() && o.Path.Valid() && o.Path.Key() == key && o.Pos > op.Pos {
			if o.Deferred {
				parts = append(parts, fmt.Sprintf("by the deferred `%s` at line %d", o.Kind, e.line(o.Pos)))
			} else {
				parts = append(parts, fmt.Sprintf("at line %d", e.line(o.Pos)))
			}
		}
	}
	for _, cs := range f.Calls {
		if cs.Pos <= op.Pos {
			continue
		}
		for _, p := range cs.Callee.Summary.Releases {
			if p.Class() != "" && p.Class() == op.Path.Class() {
				parts = append(parts, fmt.Sprintf("by `%s` at line %d", funcName(cs.Callee), e.line(cs.Pos)))
			}
		}
	}
	for _, h := range f.Summary.Returns {
		if h.Site == op {
			parts = append(parts, fmt.Sprintf("not in `%s`: it returns with the lock held, for its caller to release", funcName(f)))
		}
	}
	if len(parts) == 0 {
		return "nowhere in this function"
	}
	out := strings.Join(parts, ", ")
	// The returns that keep it, as unreleasedlock sees them.
	if holding, clean := f.ExitsHolding(op); len(holding) > 0 && len(clean) > 0 {
		var nots []string
		for _, x := range holding {
			if model.ImplicitReturn(x.Return) {
				nots = append(nots, fmt.Sprintf("at the end of the function (line %d)", e.line(model.InstrPos(x.Return))))
			} else {
				nots = append(nots, fmt.Sprintf("on the return at line %d", e.line(model.InstrPos(x.Return))))
			}
		}
		out += "; **not " + strings.Join(nots, ", nor ") + "**"
	}
	return out
}

// lockFacts adds what the package does with a lock: the fields it guards and
// the order in which it is taken with other locks.
func (e *explainer) lockFacts(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	if g := e.guards(obj); len(g) > 0 {
		c.para("Guards: %s.", strings.Join(g, ", "))
	}
	var before, after []string
	seen := map[string]bool{}
	for _, edge := range e.m.LockEdges {
		from, to := e.m.ObjectOfPath(edge.From.Path), e.m.ObjectOfPath(edge.To)
		if from == nil || to == nil || from == to {
			continue
		}
		switch obj {
		case from:
			s := fmt.Sprintf("`%s` (line %d)", to.Name, e.line(edge.Pos))
			if !seen["b"+to.Name] {
				seen["b"+to.Name] = true
				before = append(before, s)
			}
		case to:
			s := fmt.Sprintf("`%s` (line %d)", from.Name, e.line(edge.Pos))
			if !seen["a"+from.Name] {
				seen["a"+from.Name] = true
				after = append(after, s)
			}
		}
	}
	if len(before) > 0 {
		c.para("Taken before: %s.", strings.Join(before, ", "))
	}
	if len(after) > 0 {
		c.para("Taken after: %s.", strings.Join(after, ", "))
	}
}

// guards lists the fields and variables the model infers the lock guards
// (Model.GuardOf), with how many of their accesses hold it.
func (e *explainer) guards(lock *model.Object) []string {
	var gs []*model.Guard
	for _, g := range e.m.Guards() {
		if g.Lock != nil && e.m.ObjectOf(g.Lock) == lock {
			gs = append(gs, g)
		}
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].Var.Pos() < gs[j].Var.Pos() })
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("`%s` (%s)", e.varName(g.Var), guardCount(g)))
	}
	return out
}

// guardCount says how a guard was found: "7 of 8 accesses", or the
// annotation or convention that declares it.
func guardCount(g *model.Guard) string {
	s := fmt.Sprintf("%d of %s", g.Under, count(g.Total, "access", "accesses"))
	switch {
	case g.Declared:
		s += ", annotated"
	case g.Convention:
		s += ", declared below it"
	}
	return s
}

func (e *explainer) varName(v *types.Var) string {
	if v.IsField() {
		return e.m.FieldName(v)
	}
	return v.Name()
}

func (e *explainer) lockObject(name string, kind model.ObjKind, obj *model.Object) *Card {
	nature, doc := lockNature(kind)
	c := &card{doc: doc}
	c.title(kind.String(), name, nature)
	if obj == nil {
		c.para("Not locked anywhere in this package.")
		return c.done(token.NoPos, token.NoPos)
	}
	locks := opsOf(obj, model.OpLock, model.OpRLock, model.OpTryLock, model.OpTryRLock)
	unlocks := opsOf(obj, model.OpUnlock, model.OpRUnlock)
	c.para("Locked at %s, released at %s. Keep the critical section short and release it with `defer` right after taking it.", count(len(locks), "place", "places"), count(len(unlocks), "place", "places"))
	e.lockFacts(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

// ---- WaitGroup ----

func (e *explainer) waitGroupOp(op *model.Op, start, end token.Pos) *Card {
	c := &card{doc: docWaitGroup}
	name := objName(op)
	c.title("sync.WaitGroup", name, "counts goroutines to wait for")
	switch op.Kind {
	case model.OpWGAdd:
		c.para("`Add` raises the counter. Call it before starting the goroutine (not inside it), so `Wait` cannot return first.")
	case model.OpWGDone:
		c.para("`Done` lowers the counter by one. `defer` it first thing in the goroutine so every path out of it counts.")
	case model.OpWGWait:
		c.para("`Wait` blocks until the counter is zero: every `Add` matched by a `Done`. Do not call it while holding a lock the workers need.")
	case model.OpWGGo:
		c.para("`Go` (Go 1.25) runs the function in a new goroutine with `Add` and `Done` done for you.")
	}
	e.waitGroupSites(c, op.Object)
	return c.done(start, end)
}

func (e *explainer) waitGroupSites(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	c.para("Add: %s.", e.sites(opsOf(obj, model.OpWGAdd)))
	c.para("Done: %s.", e.sites(opsOf(obj, model.OpWGDone)))
	if gos := opsOf(obj, model.OpWGGo); len(gos) > 0 {
		c.para("Go: %s.", e.sites(gos))
	}
	c.para("Wait: %s.", e.sites(opsOf(obj, model.OpWGWait)))
}

func (e *explainer) waitGroupObject(name string, obj *model.Object) *Card {
	c := &card{doc: docWaitGroup}
	c.title("sync.WaitGroup", name, "counts goroutines to wait for")
	e.waitGroupSites(c, obj)
	c.para("Never copy it after first use: pass a pointer.")
	return c.done(token.NoPos, token.NoPos)
}

func objName(op *model.Op) string {
	if op.Path.Valid() && (op.Object == nil || !strings.HasPrefix(op.Path.Name(), "complit.")) {
		return op.Path.Name()
	}
	if op.Object != nil {
		return op.Object.Name
	}
	return "?"
}

// ---- Cond ----

func (e *explainer) condOp(op *model.Op, start, end token.Pos) *Card {
	c := &card{doc: docCond}
	c.title("sync.Cond", objName(op), "a condition variable: goroutines wait for a state change under a lock")
	switch op.Kind {
	case model.OpCondNew:
		if op.Locker.Valid() {
			c.para("`NewCond` ties the condition to its locker `L`, here `%s`; `Wait` must be called with it held.", op.Locker.Name())
		} else {
			c.para("`NewCond` ties the condition to its locker `L`; `Wait` must be called with `L` held.")
		}
	case model.OpCondWait:
		c.para("`Wait` unlocks `L`, sleeps until `Signal` or `Broadcast`, then locks `L` again before returning. Wake-ups can be spurious or stale: call it in a `for` loop that re-checks the condition.")
		if e.inForLoop(op.Pos) {
			c.para("This `Wait` is inside a `for` loop. Locks held here: %s.", e.held(op))
		} else {
			c.para("**This `Wait` is not inside a `for` loop.** Locks held here: %s.", e.held(op))
		}
	case model.OpCondSignal:
		c.para("`Signal` wakes one waiting goroutine, if any; a signal with no waiter is lost. Change the state under `L` before signalling.")
	case model.OpCondBroadcast:
		c.para("`Broadcast` wakes every waiting goroutine.")
	}
	e.condSites(c, op.Object)
	return c.done(start, end)
}

func (e *explainer) condSites(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	if news := opsOf(obj, model.OpCondNew); len(news) > 0 {
		c.para("Made by `NewCond` at %s.", e.sites(news))
	}
	var waits []string
	for _, w := range opsOf(obj, model.OpCondWait) {
		s := e.site(w)
		if !e.inForLoop(w.Pos) {
			s += " (not in a loop)"
		}
		waits = append(waits, s)
	}
	if len(waits) > 0 {
		c.para("Wait: %s.", strings.Join(waits, "; "))
	}
	c.para("Signal/Broadcast: %s.", e.sites(opsOf(obj, model.OpCondSignal, model.OpCondBroadcast)))
}

func (e *explainer) condObject(name string, obj *model.Object) *Card {
	c := &card{doc: docCond}
	c.title("sync.Cond", name, "a condition variable: goroutines wait for a state change under a lock")
	e.condSites(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

// inForLoop reports whether pos is inside a for statement of its function.
func (e *explainer) inForLoop(pos token.Pos) bool {
	for _, f := range e.m.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			path := analysisutil.PathIn(f, pos, pos)
			for _, n := range path {
				switch n.(type) {
				case *ast.ForStmt, *ast.RangeStmt:
					return true
				case *ast.FuncLit, *ast.FuncDecl:
					return false
				}
			}
		}
	}
	return false
}

// ---- Once ----

func (e *explainer) onceOp(op *model.Op, start, end token.Pos) *Card {
	c := &card{doc: docOnce}
	if op.Kind == model.OpOnceFunc {
		c.title("sync.OnceFunc", "OnceFunc", "returns a function that runs f only the first time it is called")
		c.para("Concurrent callers wait for the first call to finish. If f panics, every call panics with the same value.")
		return c.done(start, end)
	}
	c.title("sync.Once", objName(op), "runs a function exactly once")
	c.para("`Do` runs f on the first call only; other callers wait until it returns, and then see everything it wrote. Calling `Do` on the same Once from inside f deadlocks. A panic in f counts as done.")
	e.onceSites(c, op.Object)
	return c.done(start, end)
}

func (e *explainer) onceSites(c *card, obj *model.Object) {
	if obj != nil {
		c.para("Do: %s.", e.sites(opsOf(obj, model.OpOnceDo)))
	}
}

func (e *explainer) onceObject(name string, obj *model.Object) *Card {
	c := &card{doc: docOnce}
	c.title("sync.Once", name, "runs a function exactly once")
	e.onceSites(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

// ---- sync.Map ----

func (e *explainer) syncMapOp(op *model.Op, start, end token.Pos) *Card {
	return e.syncMapCard(objName(op), op.Object, start, end)
}

func (e *explainer) syncMapObject(name string, obj *model.Object) *Card {
	return e.syncMapCard(name, obj, token.NoPos, token.NoPos)
}

func (e *explainer) syncMapCard(name string, obj *model.Object, start, end token.Pos) *Card {
	c := &card{doc: docSyncMap}
	c.title("sync.Map", name, "a map safe for concurrent use without a lock")
	c.para("Each call is atomic, but a `Load` followed by a `Store` is not: use `LoadOrStore`, `Swap` or `CompareAndSwap` for read-modify-write.")
	if obj != nil {
		c.para("Reads: %s.", e.sites(opsOf(obj, model.OpSyncMapRead)))
		c.para("Writes: %s.", e.sites(opsOf(obj, model.OpSyncMapWrite)))
	}
	return c.done(start, end)
}

// ---- channels ----

func (e *explainer) chanOp(op *model.Op, start, end token.Pos) *Card {
	if op == nil {
		return nil
	}
	obj := op.Object
	c := &card{doc: docChannels}
	name := objName(op)
	c.title("channel", name, chanNature(obj))
	switch op.Kind {
	case model.OpMakeChan:
		if op.Cap == 0 {
			c.para("Unbuffered: each send waits until a receiver takes the value.")
		} else if op.Cap > 0 {
			c.para("Buffered with room for %d: sends block only when %s.", op.Cap, waiting(op.Cap))
		} else if obj != nil && obj.CapName != "" {
			c.para("Buffered with room for %s values, decided when it is made: sends block only when that many wait (and always if it is 0).", capText(obj))
		}
	case model.OpSend:
		c.para("Send: %s. A send on a closed channel panics.", sendBlocks(obj))
		if op.Select != nil {
			c.para("A case of a `select`: taken only if the send can proceed.")
		}
	case model.OpRecv:
		c.para("Receive: blocks until a value arrives or the channel is closed (then it yields the zero value; use `v, ok := <-ch` to tell).")
		if op.Select != nil {
			c.para("A case of a `select`: taken only if a value is ready or the channel is closed.")
		}
	case model.OpRange:
		c.para("`range` receives until the channel is closed and drained.")
		if len(opsOf(obj, model.OpClose)) == 0 {
			c.para("**Nobody closes it in this package**: the loop ends only if code elsewhere closes it.")
		}
	case model.OpClose:
		c.para("`close` tells receivers no more values come: ranges end and receives yield zero values. Close once, from the sending side; a send or a second close after it panics.")
	}
	if w := e.blocksForever(op); w != nil && (op.Kind == model.OpSend || op.Kind == model.OpRecv || op.Kind == model.OpRange) {
		c.para("**Can block forever here** (see the chanleak warning).")
		if len(w.Steps) > 0 {
			var b strings.Builder
			b.WriteString("How, step by step:\n")
			for i, s := range w.Steps {
				fmt.Fprintf(&b, "\n%d. %s", i+1, s)
			}
			c.para("%s", b.String())
		}
	}
	if op.Kind == model.OpSend || op.Kind == model.OpRecv || op.Kind == model.OpRange || op.Kind == model.OpClose {
		c.para("Locks held here: %s.", e.held(op))
	}
	e.chanSites(c, obj)
	return c.done(start, end)
}

func chanNature(obj *model.Object) string {
	switch {
	case obj != nil && obj.Cap < 0 && obj.CapName != "":
		return "buffered, capacity " + capText(obj)
	case obj == nil || obj.Cap < 0:
		return "capacity unknown here"
	case obj.Cap == 0:
		return "unbuffered"
	default:
		return fmt.Sprintf("buffered, capacity %d", obj.Cap)
	}
}

// capText names a capacity that is not a constant: "`limit` (the parameter
// of `NewLimiter`)".
func capText(obj *model.Object) string {
	s := "`" + obj.CapName + "`"
	if obj.CapParamOf != "" {
		s += " (the parameter of `" + obj.CapParamOf + "`)"
	}
	return s
}

func sendBlocks(obj *model.Object) string {
	switch {
	case obj == nil || obj.Cap < 0:
		return "blocks until a receiver takes it or the buffer has room"
	case obj.Cap == 0:
		return "blocks until a receiver takes the value"
	default:
		if obj.Cap == 1 {
			return "blocks only when 1 value already waits"
		}
		return fmt.Sprintf("blocks only when %d values already wait", obj.Cap)
	}
}

func (e *explainer) chanSites(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	if makes := opsOf(obj, model.OpMakeChan); len(makes) > 0 {
		c.para("Made: %s.", e.sites(makes))
	}
	c.para("Sends: %s.", e.sites(opsOf(obj, model.OpSend)))
	c.para("Receives: %s.", e.sites(opsOf(obj, model.OpRecv, model.OpRange)))
	closes := opsOf(obj, model.OpClose)
	if len(closes) == 0 {
		c.para("Closed: never in this package.")
	} else {
		c.para("Closed: %s.", e.sites(closes))
	}
	if acq, rel := e.semaphorePair(obj); acq != nil {
		c.doc = docSemaphore
		size, most := count(int(obj.Cap), "slot", "slots"), fmt.Sprint(obj.Cap)
		if obj.Cap < 0 {
			size, most = "`"+obj.CapName+"` slots", "`"+obj.CapName+"`"
			if obj.CapParamOf != "" {
				size += " (the parameter of `" + obj.CapParamOf + "`)"
			}
		}
		c.para("Used as a counting semaphore with %s: a send acquires a slot and a receive in the same goroutine releases it, so at most %s hold one at once. Acquired at line %d, released at line %d in `%s`.",
			size, most, e.line(acq.Pos), e.line(rel.Pos), funcName(acq.Func))
	}
}

// semaphorePair recognises a buffered channel of empty values used to bound
// concurrency: sent to before the work and received from after it in the
// same goroutine (the function itself, or a closure it calls or defers). It
// returns such an acquire and its release, or nils.
func (e *explainer) semaphorePair(obj *model.Object) (acquire, release *model.Op) {
	if obj == nil || obj.Cap == 0 || obj.Cap < 0 && obj.CapName == "" || obj.Type == nil {
		return nil, nil
	}
	ch, ok := obj.Type.Underlying().(*types.Chan)
	if !ok {
		return nil, nil
	}
	if st, ok := ch.Elem().Underlying().(*types.Struct); !ok || st.NumFields() != 0 {
		return nil, nil
	}
	if len(opsOf(obj, model.OpRange)) > 0 {
		return nil, nil
	}
	for _, s := range opsOf(obj, model.OpSend) {
		for _, r := range opsOf(obj, model.OpRecv) {
			if e.sameGoroutine(s.Func, r.Func) && (r.Pos > s.Pos || r.Func != s.Func) {
				return s, r
			}
		}
	}
	return nil, nil
}

// sameGoroutine reports whether g runs in the goroutine of f: it is f, or a
// closure of f that no go statement starts.
func (e *explainer) sameGoroutine(f, g *model.Func) bool {
	for x := g; x != nil; {
		if x == f {
			return true
		}
		for _, gr := range e.m.Goroutines {
			if gr.Target == x {
				return false
			}
		}
		if x.SSA.Parent() == nil {
			return false
		}
		x = e.m.FuncOf(x.SSA.Parent())
	}
	return false
}

func (e *explainer) chanObject(name string, t types.Type, obj *model.Object) *Card {
	c := &card{doc: docChannels}
	c.title("channel", name, chanNature(obj))
	if dir := chanDir(t); dir != "" {
		c.para("This end is %s.", dir)
	}
	e.chanSites(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

func chanDir(t types.Type) string {
	ch, ok := t.Underlying().(*types.Chan)
	if !ok {
		return ""
	}
	switch ch.Dir() {
	case types.SendOnly:
		return "send-only"
	case types.RecvOnly:
		return "receive-only"
	}
	return ""
}

func (e *explainer) selectStmt(s *ast.SelectStmt) *Card {
	c := &card{doc: docChannels}
	c.title("select", "select", "waits until one of its cases can proceed")
	var cases []string
	hasDefault := false
	for _, cl := range s.Body.List {
		cc, ok := cl.(*ast.CommClause)
		if !ok {
			continue
		}
		if cc.Comm == nil {
			hasDefault = true
			cases = append(cases, "`default`")
			continue
		}
		cases = append(cases, "`"+strings.TrimSpace(types.ExprString(commExpr(cc.Comm)))+"`")
	}
	if hasDefault {
		c.para("Has a `default` case: it never blocks.")
	} else {
		c.para("No `default`: it blocks until a case is ready; if several are, one is chosen at random.")
	}
	c.para("Cases: %s.", strings.Join(cases, ", "))
	if op := e.opAt(s.Select, model.OpSelect); op != nil {
		c.para("Locks held here: %s.", e.held(op))
	}
	return c.done(s.Select, s.Select+6)
}

// commExpr returns the channel operation of a select case.
func commExpr(s ast.Stmt) ast.Expr {
	switch s := s.(type) {
	case *ast.SendStmt:
		return &ast.BinaryExpr{X: s.Chan, Op: token.ARROW, Y: s.Value}
	case *ast.ExprStmt:
		return s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return s.Rhs[0]
		}
	}
	return &ast.BadExpr{}
}

// ---- semaphores ----

func (e *explainer) semaphoreOp(op *model.Op, start, end token.Pos) *Card {
	c := &card{doc: docSemaphore}
	c.title("semaphore.Weighted", objName(op), "bounds how much work runs at once")
	switch op.Kind {
	case model.OpSemNew:
		c.para("`NewWeighted(n)` makes a semaphore with n units.")
	case model.OpSemAcquire:
		c.para("`Acquire` waits for units or for the context to end; on error it acquired nothing. Release what you acquire, on every path.")
		c.para("Locks held here: %s.", e.held(op))
	case model.OpSemTryAcquire:
		c.para("`TryAcquire` takes units only if they are free now.")
	case model.OpSemRelease:
		c.para("`Release` returns units; releasing more than held panics.")
	}
	e.semaphoreSites(c, op.Object)
	return c.done(start, end)
}

func (e *explainer) semaphoreSites(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	c.para("Acquire: %s.", e.sites(opsOf(obj, model.OpSemAcquire, model.OpSemTryAcquire)))
	c.para("Release: %s.", e.sites(opsOf(obj, model.OpSemRelease)))
}

func (e *explainer) semaphoreObject(name string, obj *model.Object) *Card {
	c := &card{doc: docSemaphore}
	c.title("semaphore.Weighted", name, "bounds how much work runs at once")
	e.semaphoreSites(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

// ---- atomics ----

func (e *explainer) atomicOp(op *model.Op, start, end token.Pos) *Card {
	c := &card{doc: docAtomics}
	c.title("atomic", objName(op), "read and written indivisibly, without a lock")
	c.para("An atomic operation is safe only if every access of the variable is atomic; one plain read or write races with it.")
	e.atomicSites(c, op.Object, nil)
	return c.done(start, end)
}

func (e *explainer) atomicSites(c *card, obj *model.Object, v *types.Var) {
	if obj != nil {
		c.para("Atomic accesses: %s.", e.sites(opsOf(obj, model.OpAtomicLoad, model.OpAtomicStore)))
	}
	if v == nil && obj != nil {
		for _, op := range obj.Ops {
			if n := len(op.Path.Fields); n > 0 {
				v = op.Path.Fields[n-1]
				break
			}
		}
	}
	if v == nil {
		return
	}
	var plain []string
	for _, a := range e.m.Accesses {
		if a.Var == v.Origin() && !a.Atomic && !a.Fresh {
			plain = append(plain, fmt.Sprintf("line %d in `%s`", e.line(a.Pos), funcName(a.Func)))
		}
	}
	if len(plain) > 0 {
		c.para("**Plain accesses:** %s.", strings.Join(plain, "; "))
	}
}

func (e *explainer) atomicObject(name string, v *types.Var, obj *model.Object) *Card {
	c := &card{doc: docAtomics}
	if model.KindOfType(v.Type()) == model.ObjAtomic {
		c.title(typeString(v.Type()), name, "read and written indivisibly, without a lock")
		c.para("Use its methods for every access; a typed atomic cannot be read plainly by mistake. Do not copy it.")
	} else {
		c.title(typeString(v.Type()), name, "used with sync/atomic functions")
		c.para("Every access must go through sync/atomic; a typed atomic (such as `atomic.Int64`) makes that impossible to get wrong.")
	}
	e.atomicSites(c, obj, v)
	return c.done(token.NoPos, token.NoPos)
}

func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// ---- context ----

func (e *explainer) cancelOp(op *model.Op, start, end token.Pos) *Card {
	c := &card{doc: docContext}
	if op.Kind == model.OpWithCancel {
		c.title("context", "cancel", "a derived context with its cancel function")
		if op.Timed() {
			c.para("The new context is done when its cancel function is called, its deadline passes, or its parent is done. Call the cancel function on every path (usually `defer cancel()`), or the context and its timer live until the deadline or the parent ends.")
		} else {
			c.para("The new context is done when its cancel function is called or its parent is done. Call the cancel function on every path (usually `defer cancel()`), or the context lives until the parent ends.")
		}
	} else {
		c.title("context.CancelFunc", objName(op), "cancels its context")
		c.para("Calling it closes the context's `Done` channel, waking every goroutine that selects on it; later calls do nothing.")
	}
	e.cancelSites(c, op.Object)
	return c.done(start, end)
}

// cancelSites says who calls a cancel func, and where it goes when this
// package does not call it: a cancel func returned to the caller or passed
// on is the receiver's to call, not lost.
func (e *explainer) cancelSites(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	calls := opsOf(obj, model.OpCancel)
	if len(calls) > 0 {
		c.para("Called: %s.", e.sites(calls))
	}
	handed := false
	seen := map[string]bool{}
	for _, made := range opsOf(obj, model.OpWithCancel) {
		for _, fl := range made.Flows() {
			var s string
			switch fl.Kind {
			case model.FlowReturned:
				handed = true
				s = fmt.Sprintf("**Handed to the caller:** `%s` returns it (line %d); calling it is the caller's job.", funcName(fl.Func), e.line(fl.Pos))
			case model.FlowPassed:
				handed = true
				s = fmt.Sprintf("Passed to `%s` at line %d.", e.calleeText(fl.Callee), e.line(fl.Pos))
			case model.FlowStored:
				where := "`" + fl.Path.Name() + "`"
				if fl.InMap {
					where = "the map " + where
				}
				s = fmt.Sprintf("Stored in %s at line %d.", where, e.line(fl.Pos))
			}
			if s != "" && !seen[s] {
				seen[s] = true
				c.para("%s", s)
			}
		}
	}
	if len(calls) == 0 && !handed {
		c.para("**Never called in this package.**")
	}
}

// calleeText names a function a value is passed to: "Cleanup", "T.Cleanup".
func (e *explainer) calleeText(fn *ssa.Function) string {
	if fn == nil {
		return "a function value"
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	if fn.Pkg != nil && fn.Parent() == nil && fn.Pkg.Pkg != e.m.Pkg {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return fn.Name()
}

func (e *explainer) cancelObject(name string, obj *model.Object) *Card {
	c := &card{doc: docContext}
	c.title("context.CancelFunc", name, "cancels its context")
	e.cancelSites(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

// ---- errgroup ----

func (e *explainer) errgroupOp(op *model.Op, start, end token.Pos) *Card {
	if op.Kind == model.OpGroupGo && op.Goroutine != nil {
		return e.goroutine(op, start, end)
	}
	c := &card{doc: docErrgroup}
	c.title("errgroup.Group", objName(op), "goroutines with a shared error and Wait")
	switch op.Kind {
	case model.OpGroupNew:
		c.para("`WithContext` returns a group and a context that is cancelled when a goroutine of the group returns an error, or when `Wait` returns.")
	case model.OpGroupWait:
		c.para("`Wait` blocks until every goroutine started with `Go` returns, and returns the first error.")
		c.para("Locks held here: %s.", e.held(op))
	}
	e.errgroupSites(c, op.Object)
	return c.done(start, end)
}

func (e *explainer) errgroupSites(c *card, obj *model.Object) {
	if obj == nil {
		return
	}
	c.para("Go: %s.", e.sites(opsOf(obj, model.OpGroupGo)))
	c.para("Wait: %s.", e.sites(opsOf(obj, model.OpGroupWait)))
}

func (e *explainer) errgroupObject(name string, obj *model.Object) *Card {
	c := &card{doc: docErrgroup}
	c.title("errgroup.Group", name, "goroutines with a shared error and Wait")
	e.errgroupSites(c, obj)
	return c.done(token.NoPos, token.NoPos)
}

// ---- shared variables ----

// sharedVar explains a plain field or package variable that concurrent code
// touches: which locks its accesses hold and which goroutines reach them.
func (e *explainer) sharedVar(name string, v *types.Var) *Card {
	var total, writes, atomics, inGoroutines int
	under := map[*model.Object]int{}
	for _, a := range e.m.Accesses {
		if a.Var != v.Origin() || a.Fresh {
			continue
		}
		total++
		if a.Write {
			writes++
		}
		if a.Atomic {
			atomics++
		}
		if len(a.Func.Goroutines) > 0 {
			inGoroutines++
		}
		seen := map[*model.Object]bool{}
		for _, h := range a.Held {
			if o := e.m.ObjectOfPath(h.Path); o != nil && !seen[o] {
				seen[o] = true
				under[o]++
			}
		}
	}
	if total == 0 || len(under) == 0 && atomics == 0 && inGoroutines == 0 {
		return nil // nothing concurrent about it
	}
	c := &card{doc: docRaces}
	what := "variable"
	if v.IsField() {
		what = "field"
		name = e.m.FieldName(v)
	}
	c.title(what, name, fmt.Sprintf("%s outside constructors, %s", count(total, "access", "accesses"), writesOf(writes, total)))
	if g := e.m.GuardOf(v); g != nil {
		c.para("Guarded by `%s` (%s): access it with the lock held.", g.Name, guardCount(g))
	} else {
		var locks []*model.Object
		for o := range under {
			locks = append(locks, o)
		}
		sort.Slice(locks, func(i, j int) bool { return under[locks[i]] > under[locks[j]] })
		for _, o := range locks {
			c.para("Under `%s`: %d of %s.", o.Name, under[o], count(total, "access", "accesses"))
		}
	}
	if atomics > 0 {
		c.para("Atomic: %d of %s.", atomics, count(total, "access", "accesses"))
	}
	if inGoroutines > 0 {
		c.para("%s in goroutines started in this package.", runs(inGoroutines))
	}
	return c.done(token.NoPos, token.NoPos)
}

// count renders n things: "1 place", "2 places".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// waiting renders how many values wait in a buffer: "1 value waits".
func waiting(n int64) string {
	if n == 1 {
		return "1 value waits"
	}
	return fmt.Sprintf("%d values wait", n)
}

// writesOf says how many of total accesses write: "1 of them a write",
// "3 of them writes", "a write" when it is the only access.
func writesOf(writes, total int) string {
	switch {
	case total == 1 && writes == 1:
		return "a write"
	case total == 1:
		return "a read"
	case writes == 1:
		return "1 of them a write"
	}
	return fmt.Sprintf("%d of them writes", writes)
}

// runs says how many accesses run in goroutines: "1 access runs".
func runs(n int) string {
	if n == 1 {
		return "1 access runs"
	}
	return fmt.Sprintf("%d accesses run", n)
}
