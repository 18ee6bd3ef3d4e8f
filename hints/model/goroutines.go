package model

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Goroutine is a place that starts a goroutine: a go statement,
// errgroup.Group.Go, sync.WaitGroup.Go or time.AfterFunc.
type Goroutine struct {
	Spawn  *Op   // the go statement or the Go/AfterFunc call
	Target *Func // the function it runs, when known (in this package)
	// Many is set when the spawn site can run more than once per call of
	// its function (it is in a loop), so several instances run at once.
	Many bool
	// Ends lists how the goroutine can finish. Empty with Forever set: no
	// path returns. Empty without Forever: unknown target.
	Ends    []End
	Forever bool
	// Joins lists the operations that wait for the goroutine to finish.
	Joins []*Op
	// Reaches lists the package functions the goroutine runs: Target and
	// what it calls, transitively (calls only, not goroutines it starts).
	Reaches []*Func
}

// EndKind classifies how a goroutine finishes.
type EndKind uint8

const (
	EndReturn    EndKind = iota + 1 // returns after its work (no loop in the way)
	EndCtxDone                      // a select case or receive on ctx.Done()
	EndClosed                       // a channel it receives from is closed (range, or ok == false)
	EndReceive                      // a value arrives on a channel (a done or stop channel)
	EndTimer                        // a timer fires (time.After, Timer.C, Ticker.C)
	EndCondition                    // a loop condition or branch becomes false/true
	EndWait                         // a WaitGroup.Wait returns: after the goroutines it waits for
)

// End is one way a goroutine finishes.
type End struct {
	Kind EndKind
	Obj  *Object   // the channel, context or WaitGroup involved, if any
	Name string    // as the source spells it: ctx, jobs, s.quit, wg
	Pos  token.Pos // the operation or condition
	// Cancels lists, for EndCtxDone, the calls of the cancel func of the
	// context when the package made it (context.WithCancel...).
	Cancels []*Op
	// Closes lists, for EndWait, the closes the goroutine makes after the
	// Wait: "wg.Wait(); close(results)" ends the receivers' range too.
	Closes []*Op
}

func (e End) String() string {
	switch e.Kind {
	case EndReturn:
		return "returns when its work is done"
	case EndCtxDone:
		return fmt.Sprintf("`%s` is cancelled", e.Name)
	case EndClosed:
		return fmt.Sprintf("`%s` is closed", e.Name)
	case EndReceive:
		return fmt.Sprintf("`%s` receives a value or is closed", e.Name)
	case EndTimer:
		return "a timer fires"
	case EndWait:
		return fmt.Sprintf("`%s.Wait()` returns", e.Name)
	case EndCondition:
		return "a loop condition changes"
	}
	return "?"
}

func (m *Model) collectGoroutines() {
	m.computeReach()
	for _, op := range m.Ops {
		switch op.Kind {
		case OpGo, OpWGGo, OpGroupGo, OpAfterFunc:
		default:
			continue
		}
		g := &Goroutine{Spawn: op, Target: op.Target, Many: inLoop(op.Instr.Block())}
		op.Goroutine = g
		if g.Target != nil {
			g.Reaches = m.reach[g.Target]
			g.Ends, g.Forever = m.ends(g.Target)
		}
		m.Goroutines = append(m.Goroutines, g)
	}
	for _, g := range m.Goroutines {
		g.Joins = m.joins(g)
		for _, f := range g.Reaches {
			f.Goroutines = append(f.Goroutines, g)
		}
	}
}

// computeReach finds the functions each function reaches by static calls.
func (m *Model) computeReach() {
	m.reach = make(map[*Func][]*Func)
	for _, f := range m.Funcs {
		seen := map[*Func]bool{f: true}
		list := []*Func{f}
		for i := 0; i < len(list); i++ {
			for _, cs := range list[i].Calls {
				if !cs.Go && !seen[cs.Callee] {
					seen[cs.Callee] = true
					list = append(list, cs.Callee)
				}
			}
			// Closures passed to functions that call them (sync.Once.Do,
			// errgroup in the same goroutine...) are not followed: unknown.
		}
		m.reach[f] = list
	}
}

// inLoop reports whether block b is part of a cycle of its function.
func inLoop(b *ssa.BasicBlock) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == b {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		work = append(work, x.Succs...)
	}
	return false
}

// ends describes how the function run by a goroutine can finish: for each
// normal return, the event that leads the path there (the nearest select
// case, closed channel, or loop exit that dominates it).
func (m *Model) ends(f *Func) (ends []End, forever bool) {
	if len(f.Exits) == 0 {
		return nil, true
	}
	seen := make(map[string]bool)
	add := func(e End) {
		k := fmt.Sprint(e.Kind, e.Name, e.Pos)
		if !seen[k] {
			seen[k] = true
			ends = append(ends, e)
		}
	}
	for _, e := range f.Exits {
		b := e.Return.Block()
		add(m.endReason(f, b))
	}
	return ends, false
}

// endReason walks up the dominator tree from a returning block to the
// branch that decides the goroutine stops.
func (m *Model) endReason(f *Func, b *ssa.BasicBlock) End {
	loopy := false
	for x := b; x != nil; x = x.Idom() {
		if inLoop(x) {
			loopy = true
		}
		if x.Comment == "rangechan.done" {
			if recv := rangeRecv(x); recv != nil {
				return m.chanEnd(EndClosed, recv.X, recv.Pos())
			}
		}
		idom := x.Idom()
		if idom == nil || len(idom.Instrs) == 0 {
			continue
		}
		iff, ok := idom.Instrs[len(idom.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		if e, ok := m.branchEnd(iff, idom.Succs[0] == x || dominatesBlock(idom.Succs[0], x)); ok {
			return e
		}
	}
	if loopy {
		return End{Kind: EndCondition, Pos: b.Instrs[len(b.Instrs)-1].Pos()}
	}
	if e, ok := m.blockedEnd(f, b); ok {
		return e
	}
	return End{Kind: EndReturn}
}

// blockedEnd finds the last wait on the way to a return with no loop in the
// way: a goroutine that runs "<-ctx.Done(); cleanup()" ends when ctx is
// cancelled, one that runs "wg.Wait(); close(results)" after the goroutines
// it waits for.
func (m *Model) blockedEnd(f *Func, b *ssa.BasicBlock) (End, bool) {
	for x := b; x != nil; x = x.Idom() {
		for i := len(x.Instrs) - 1; i >= 0; i-- {
			switch in := x.Instrs[i].(type) {
			case *ssa.UnOp:
				if in.Op != token.ARROW {
					continue
				}
				if call, ok := in.X.(*ssa.Call); ok && classifyCall(&call.Call).kind == OpCtxDone {
					return m.recvEnd(call, in.Pos(), nil, 0), true
				}
			case *ssa.Call:
				for _, op := range f.Ops {
					if op.Instr != in || op.Kind != OpWGWait || op.Deferred {
						continue
					}
					e := End{Kind: EndWait, Pos: op.Pos, Obj: op.Object, Name: op.Path.Name()}
					for _, c := range f.Ops {
						if c.Kind == OpClose && Reaches(in, c.Instr) {
							e.Closes = append(e.Closes, c)
						}
					}
					return e, true
				}
			}
		}
	}
	return End{}, false
}

func dominatesBlock(a, b *ssa.BasicBlock) bool { return a.Dominates(b) }

// rangeRecv finds the receive of the range loop that exits to done.
func rangeRecv(done *ssa.BasicBlock) *ssa.UnOp {
	for _, p := range done.Preds {
		if p.Comment != "rangechan.loop" {
			continue
		}
		for _, in := range p.Instrs {
			if u, ok := in.(*ssa.UnOp); ok && u.Op == token.ARROW {
				return u
			}
		}
	}
	return nil
}

// branchEnd explains the If that leads to a return: a select case, or a
// receive's ok result.
func (m *Model) branchEnd(iff *ssa.If, trueEdge bool) (End, bool) {
	switch c := iff.Cond.(type) {
	case *ssa.BinOp:
		// Select lowering: if extract(select, 0) == i goto case i.
		if c.Op != token.EQL || !trueEdge {
			return End{}, false
		}
		ext, ok := c.X.(*ssa.Extract)
		if !ok || ext.Index != 0 {
			return End{}, false
		}
		sel, ok := ext.Tuple.(*ssa.Select)
		if !ok {
			return End{}, false
		}
		k, ok := c.Y.(*ssa.Const)
		if !ok {
			return End{}, false
		}
		i := int(k.Int64())
		if i < 0 || i >= len(sel.States) {
			return End{}, false
		}
		st := sel.States[i]
		if st.Dir != types.RecvOnly {
			return End{}, false
		}
		return m.recvEnd(st.Chan, st.Pos, sel, i), true
	case *ssa.Extract:
		// v, ok := <-ch; if !ok { return }
		if c.Index != 1 || trueEdge {
			return End{}, false
		}
		if u, ok := c.Tuple.(*ssa.UnOp); ok && u.Op == token.ARROW {
			return m.chanEnd(EndClosed, u.X, u.Pos()), true
		}
	}
	return End{}, false
}

// recvEnd classifies a receive case that ends a goroutine.
func (m *Model) recvEnd(ch ssa.Value, pos token.Pos, sel *ssa.Select, i int) End {
	if call, ok := ch.(*ssa.Call); ok {
		cl := classifyCall(&call.Call)
		switch cl.kind {
		case OpCtxDone:
			p, _ := m.PathOf(cl.recv)
			return End{Kind: EndCtxDone, Name: p.Name(), Pos: pos, Obj: m.ObjectOfPath(p), Cancels: m.cancelsOf(p)}
		case OpTimer:
			return End{Kind: EndTimer, Pos: pos}
		}
	}
	if isTimerChan(ch) {
		return End{Kind: EndTimer, Pos: pos}
	}
	kind := EndReceive
	if recvOkTested(sel, i) {
		kind = EndClosed
	}
	return m.chanEnd(kind, ch, pos)
}

// cancelsOf returns the calls of the cancel func of the context at path p,
// when the package made it with context.WithCancel and friends.
func (m *Model) cancelsOf(p Path) []*Op {
	ext, ok := p.Root.Value.(*ssa.Extract)
	if !ok || p.Root.Kind != RootValue || len(p.Fields) > 0 || ext.Index != 0 {
		return nil
	}
	call, ok := ext.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	for _, op := range m.Ops {
		if op.Kind == OpWithCancel && op.Instr == ssa.Instruction(call) && op.Object != nil {
			var out []*Op
			for _, c := range op.Object.Ops {
				if c.Kind == OpCancel {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return nil
}

func (m *Model) chanEnd(kind EndKind, ch ssa.Value, pos token.Pos) End {
	p, ok := m.PathOf(ch)
	e := End{Kind: kind, Pos: pos, Name: "channel"}
	if ok {
		e.Name = p.Name()
		e.Obj = m.ObjectOfPath(p)
	}
	return e
}

// isTimerChan reports whether ch is the C field of a time.Timer or Ticker.
func isTimerChan(ch ssa.Value) bool {
	u, ok := ch.(*ssa.UnOp)
	if !ok {
		return false
	}
	fa, ok := u.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	n := typeName(fa.X.Type())
	return n == "Timer" || n == "Ticker"
}

// recvOkTested reports whether the ok result of select case i is used.
func recvOkTested(sel *ssa.Select, i int) bool {
	refs := sel.Referrers()
	if refs == nil {
		return false
	}
	// Results: extract #0 index, #1 recvOk, then the received values.
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == 1 {
			if rr := e.Referrers(); rr != nil && len(*rr) > 0 {
				return true
			}
		}
	}
	return false
}

// joins finds what waits for g: a Wait on a WaitGroup the goroutine marks
// Done, Wait on the errgroup that started it, or a receive on a channel
// that the goroutine sends on or closes.
func (m *Model) joins(g *Goroutine) []*Op {
	var joins []*Op
	add := func(op *Op) {
		for _, j := range joins {
			if j == op {
				return
			}
		}
		joins = append(joins, op)
	}
	waitsOn := func(obj *Object, kinds ...OpKind) {
		if obj == nil {
			return
		}
		for _, op := range obj.Ops {
			for _, k := range kinds {
				if op.Kind == k {
					add(op)
				}
			}
		}
	}
	switch g.Spawn.Kind {
	case OpGroupGo:
		waitsOn(g.Spawn.Object, OpGroupWait)
	case OpWGGo:
		waitsOn(g.Spawn.Object, OpWGWait)
	}
	for _, f := range g.Reaches {
		for _, op := range f.Ops {
			switch op.Kind {
			case OpWGDone:
				waitsOn(op.Object, OpWGWait)
			case OpSend, OpClose:
				if op.Object == nil {
					continue
				}
				for _, r := range op.Object.Ops {
					if (r.Kind == OpRecv || r.Kind == OpRange) && !g.runs(r.Func) {
						add(r)
					}
				}
			}
		}
	}
	return joins
}

// runs reports whether f runs in goroutine g.
func (g *Goroutine) runs(f *Func) bool {
	for _, r := range g.Reaches {
		if r == f {
			return true
		}
	}
	return false
}

// StateGuarded reports whether instruction in runs only as state its
// function keeps across calls allows: "if !s.started { s.started = true; go s.loop() }", a
// CompareAndSwap, a count of the goroutines already started. Such code
// starts its goroutines once (or up to a bound) however often it runs. A
// function literal run where it is made (called, deferred or started as a
// goroutine there) is guarded by the state that guards that place:
// "if c.closed { return }; c.closed = true; go func() { close(c.done) }()".
func (m *Model) StateGuarded(in ssa.Instruction) bool {
	for range 8 {
		if m.guardedInFunc(in) {
			return true
		}
		if in = runWhereMade(in.Parent()); in == nil {
			return false
		}
	}
	return false
}

// runWhereMade returns the call, defer or go statement of fn's enclosing
// function that runs function literal fn, when that is the only use of it
// there; nil otherwise (a literal stored as a callback runs whenever its
// holder calls it).
func runWhereMade(fn *ssa.Function) ssa.Instruction {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	var run ssa.Instruction
	for _, b := range parent.Blocks {
		for _, in := range b.Instrs {
			var v ssa.Value = fn
			if mc, ok := in.(*ssa.MakeClosure); ok && mc.Fn == ssa.Value(fn) {
				for _, r := range *mc.Referrers() {
					if _, dbg := r.(*ssa.DebugRef); dbg {
						continue
					}
					c, ok := r.(ssa.CallInstruction)
					if !ok || c.Common().Value != ssa.Value(mc) || run != nil {
						return nil
					}
					run = c
				}
				continue
			}
			c, ok := in.(ssa.CallInstruction)
			if !ok || c.Common().Value != v {
				continue
			}
			if run != nil {
				return nil
			}
			run = c
		}
	}
	return run
}

// guardedInFunc is StateGuarded within in's own function.
func (m *Model) guardedInFunc(in ssa.Instruction) bool {
	fn := in.Parent()
	writes := make(map[Key]bool)
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			if st, ok := x.(*ssa.Store); ok {
				if p, ok := m.PathOf(st.Addr); ok && isSharedPath(p) {
					writes[p.Key()] = true
				}
			}
		}
	}
	f := m.FuncOf(fn)
	atomicAt := make(map[ssa.Instruction]*Op)
	if f != nil {
		for _, op := range f.Ops {
			if op.Kind == OpAtomicStore || op.Kind == OpAtomicLoad {
				atomicAt[op.Instr] = op
				if op.Kind == OpAtomicStore && op.Path.Valid() {
					writes[op.Path.Key()] = true
				}
			}
		}
	}
	for x := in.Block(); x != nil && x.Idom() != nil; x = x.Idom() {
		d := x.Idom()
		if len(d.Instrs) == 0 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		if m.statefulCond(iff.Cond, writes, atomicAt, 0, map[ssa.Value]bool{}) {
			return true
		}
	}
	return false
}

// isSharedPath reports whether p names memory that outlives a call: a field or
// a package variable.
func isSharedPath(p Path) bool {
	return len(p.Fields) > 0 || p.Root.Kind == RootGlobal
}

// statefulCond reports whether v is computed from a read-modify-write
// atomic (CompareAndSwap, Swap, Add) or a read of a field or package
// variable that the function also writes.
func (m *Model) statefulCond(v ssa.Value, writes map[Key]bool, atomicAt map[ssa.Instruction]*Op, depth int, seen map[ssa.Value]bool) bool {
	if depth > 10 || seen[v] {
		return false
	}
	seen[v] = true
	rec := func(x ssa.Value) bool { return m.statefulCond(x, writes, atomicAt, depth+1, seen) }
	switch v := v.(type) {
	case *ssa.BinOp:
		return rec(v.X) || rec(v.Y)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if p, ok := m.PathOf(v.X); ok && isSharedPath(p) && writes[p.Key()] {
				return true
			}
			return false
		}
		return rec(v.X)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if rec(e) {
				return true
			}
		}
	case *ssa.Convert:
		return rec(v.X)
	case *ssa.ChangeType:
		return rec(v.X)
	case *ssa.Extract:
		return rec(v.Tuple)
	case *ssa.Call:
		if op := atomicAt[v]; op != nil {
			if op.Kind == OpAtomicStore {
				return true // CompareAndSwap, Swap, Add: read-modify-write
			}
			return op.Path.Valid() && writes[op.Path.Key()]
		}
		// Atomics of other packages (internal/runtime/atomic...) by name.
		if callee := v.Call.StaticCallee(); callee != nil && callee.Signature.Recv() != nil || v.Call.IsInvoke() {
			name := ""
			if v.Call.IsInvoke() {
				name = v.Call.Method.Name()
			} else {
				name = v.Call.StaticCallee().Name()
			}
			for _, rmw := range []string{"CompareAndSwap", "Cas", "Swap", "Xchg", "Add"} {
				if rest, ok := strings.CutPrefix(name, rmw); ok && (rest == "" || rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] >= '0' && rest[0] <= '9') {
					return true
				}
			}
		}
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && (b.Name() == "min" || b.Name() == "max" || b.Name() == "len") {
			for _, a := range v.Call.Args {
				if rec(a) {
					return true
				}
			}
		}
	}
	return false
}

// Reach returns the functions of the package that f runs by static calls
// (not goroutines it starts), f first.
func (m *Model) Reach(f *Func) []*Func { return m.reach[f] }

// Runs reports whether f runs in goroutine g (g's target reaches it).
func (g *Goroutine) Runs(f *Func) bool { return g.runs(f) }
