package blockinglock

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/internal/conflict"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports blocking operations made under a lock that the
// operation's counterpart needs.
var Analyzer = &analysis.Analyzer{
	Name:     "blockinglock",
	Doc:      analysisutil.MustExtractDoc(doc, "blockinglock"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#blockinglock",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type checker struct {
	pass *analysis.Pass
	m    *model.Model
	esc  map[*model.Object]bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	c := &checker{pass: pass, m: m, esc: make(map[*model.Object]bool)}
	for _, op := range m.Ops {
		if op.Func == nil {
			continue
		}
		switch op.Kind {
		case model.OpSend, model.OpRecv, model.OpRange:
			if op.Select == nil {
				c.checkChan(op)
			}
		case model.OpSelect:
			c.checkSelect(op)
		case model.OpWGWait, model.OpGroupWait:
			c.checkWait(op)
		case model.OpCondWait:
			c.checkCond(op)
		}
	}
	return nil, nil
}

// A frame is a function in which the blocking operation runs with locks
// held: the operation's own function, or a caller of it in the package.
type frame struct {
	f     *model.Func
	held  []*model.Held
	objs  []model.Path      // the objects of interest, in f's frame
	chain []*model.CallSite // calls from f down to the operation's function
}

// frames returns the frames, up to three calls up, in which locks are held
// around op; objs are paths in op's function, mapped to each frame.
func (c *checker) frames(op *model.Op, objs []model.Path) []frame {
	var out []frame
	work := []frame{{f: op.Func, held: op.Held, objs: objs}}
	seen := map[*model.Func]bool{op.Func: true}
	for depth := 0; depth <= 3 && len(work) > 0 && len(out) < 16; depth++ {
		var next []frame
		for _, fr := range work {
			if len(fr.held) > 0 {
				out = append(out, fr)
			}
			if depth == 3 {
				continue
			}
			for _, cs := range fr.f.CalledFrom {
				if cs.Go || cs.Defer || seen[cs.Caller] {
					continue
				}
				seen[cs.Caller] = true
				nf := frame{f: cs.Caller, chain: append([]*model.CallSite{cs}, fr.chain...)}
				nf.held = append(nf.held, cs.Held...)
				for _, h := range fr.held {
					if mp, ok := c.m.Substitute(h.Path, cs); ok && !heldIn(nf.held, mp.Key()) {
						x := *h
						x.Path = mp
						x.Via = append([]*model.CallSite{cs}, h.Via...)
						nf.held = append(nf.held, &x)
					}
				}
				for _, p := range fr.objs {
					mp, ok := model.Path{}, false
					if p.Valid() {
						mp, ok = c.m.Substitute(p, cs)
					}
					if !ok {
						mp = model.Path{}
					}
					nf.objs = append(nf.objs, mp)
				}
				next = append(next, nf)
			}
		}
		work = next
	}
	return out
}

func heldIn(hs []*model.Held, k model.Key) bool {
	for _, h := range hs {
		if h.Path.Key() == k {
			return true
		}
	}
	return false
}

// A need is a counterpart taking a held lock before it can unblock.
type need struct {
	held *model.Held // the lock held by the blocked goroutine (frame's path)
	by   *model.Op   // the counterpart operation
	at   ssa.Instruction
	acq  *model.Acquire // the acquisition in the counterpart's function
	fn   *model.Func    // the function of at
}

// lockIn returns the path, in the frame of function g (running the
// counterpart whose object is uobj), of the lock h held in fr next to the
// object fobj: the same package variable; a variable of a frame g shares;
// the same field next to the same object (s.mu beside s.done); or the same
// field of the receiver, for two methods of one type.
func lockIn(fr frame, h *model.Held, fobj model.Path, g *model.Func, uobj model.Path) (model.Path, bool) {
	hp := h.Path
	if !hp.Valid() || hp.Elem {
		return model.Path{}, false
	}
	switch hp.Root.Kind {
	case model.RootGlobal:
		return hp, true
	case model.RootParam, model.RootValue:
		if hp.Root.Frame != fr.f.SSA && encloses(hp.Root.Frame, g.SSA) {
			return hp, true
		}
		if hp.Root.Frame == fr.f.SSA && encloses(fr.f.SSA, g.SSA) && g != fr.f {
			return hp, true // a closure of the frame
		}
	}
	if fobj.Valid() && uobj.Valid() && fobj.Elem == uobj.Elem && len(fobj.Fields) > 0 && hp.Root == fobj.Root {
		if k := len(uobj.Fields) - len(fobj.Fields); k >= 0 {
			same := true
			for i, f := range fobj.Fields {
				if uobj.Fields[k+i] != f {
					same = false
					break
				}
			}
			if same {
				fields := append(append([]*types.Var(nil), uobj.Fields[:k]...), hp.Fields...)
				return model.Path{Root: uobj.Root, Fields: fields}, true
			}
		}
	}
	// Two methods of one type: their receivers are taken to be the same,
	// unless the object is reached from the receivers themselves (then the
	// paths above decide: c.parent.done is not c.done).
	fromRecv := func(p model.Path, fn *ssa.Function) bool {
		return p.Valid() && p.Root.Kind == model.RootParam && p.Root.Param == 0 && p.Root.Frame == fn && fn.Signature.Recv() != nil
	}
	if hp.Root.Kind == model.RootParam && hp.Root.Param == 0 && len(hp.Fields) > 0 && !fromRecv(fobj, fr.f.SSA) && !fromRecv(uobj, g.SSA) {
		rt, ok := recvType(fr.f.SSA)
		if ok && hp.Root.Frame == fr.f.SSA {
			if gt, ok := recvType(g.SSA); ok && types.Identical(rt, gt) {
				return model.Path{Root: model.Root{Kind: model.RootParam, Frame: g.SSA, Param: 0}, Fields: hp.Fields}, true
			}
		}
	}
	return model.Path{}, false
}

func recvType(fn *ssa.Function) (types.Type, bool) {
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return nil, false
	}
	t := fn.Params[0].Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin(), true
	}
	return nil, false
}

func encloses(outer, fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if fn == outer {
			return true
		}
	}
	return false
}

// stops returns the instructions of g that take lock key (in a mode that
// conflicts with read), certainly when must is set.
func stops(g *model.Func, key model.Key, read, must bool) map[ssa.Instruction]*model.Acquire {
	out := make(map[ssa.Instruction]*model.Acquire)
	for _, b := range g.SSA.Blocks {
		for _, in := range b.Instrs {
			for _, a := range g.AcquiredAt(in) {
				if a.Path.Key() != key || read && a.Read || must && !a.Always {
					continue
				}
				out[in] = a
			}
		}
	}
	return out
}

// reach reports whether an instruction of targets can run after start (or
// from the entry of fn when start is nil) without running one of stop.
func reach(fn *ssa.Function, start ssa.Instruction, targets map[ssa.Instruction]bool, stop map[ssa.Instruction]*model.Acquire) bool {
	type item struct {
		b *ssa.BasicBlock
		i int
	}
	var work []item
	seen := make(map[*ssa.BasicBlock]bool)
	if start == nil {
		if len(fn.Blocks) == 0 {
			return false
		}
		work = append(work, item{fn.Blocks[0], 0})
	} else {
		b := start.Block()
		for i, in := range b.Instrs {
			if in == start {
				work = append(work, item{b, i + 1})
			}
		}
	}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		blocked := false
		for _, in := range it.b.Instrs[it.i:] {
			if targets[in] {
				return true
			}
			if _, ok := stop[in]; ok {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		for _, s := range it.b.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, item{s, 0})
			}
		}
	}
	return false
}

// returns lists the normal returns of fn.
func returns(fn *ssa.Function) map[ssa.Instruction]bool {
	out := make(map[ssa.Instruction]bool)
	for _, b := range fn.Blocks {
		if b == fn.Recover || len(b.Instrs) == 0 {
			continue
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			out[r] = true
		}
	}
	return out
}

// mustTake reports whether function g takes lock key (conflicting with
// read) on every path to the targets: from its entry, or, for a target in
// a loop, on every way around the loop back to it. It returns the first
// acquisition found.
func mustTake(g *model.Func, key model.Key, read bool, targets map[ssa.Instruction]bool, loop ssa.Instruction) (ssa.Instruction, *model.Acquire, bool) {
	st := stops(g, key, read, true)
	if len(st) == 0 {
		return nil, nil, false
	}
	ok := !reach(g.SSA, nil, targets, st)
	if !ok && loop != nil {
		self := map[ssa.Instruction]bool{loop: true}
		ok = reach(g.SSA, loop, self, nil) && !reach(g.SSA, loop, self, st)
	}
	if !ok {
		return nil, nil, false
	}
	in, a := nearest(st, targets)
	return in, a, true
}

// nearest picks, for messages, the acquisition closest before a target:
// the last one (in source order) whose block dominates a target's.
func nearest(st map[ssa.Instruction]*model.Acquire, targets map[ssa.Instruction]bool) (ssa.Instruction, *model.Acquire) {
	ins := sortedInstrs(st)
	best := ins[0]
	for _, in := range ins {
		for t := range targets {
			if in.Block() != t.Block() && in.Block().Dominates(t.Block()) || in.Block() == t.Block() && index(in) < index(t) {
				best = in
			}
		}
	}
	return best, st[best]
}

func index(in ssa.Instruction) int {
	for i, x := range in.Block().Instrs {
		if x == in {
			return i
		}
	}
	return -1
}

// mayTake reports whether function g can take lock key (conflicting with
// read) on a path that then reaches a target.
func mayTake(g *model.Func, key model.Key, read bool, targets map[ssa.Instruction]bool) (ssa.Instruction, *model.Acquire, bool) {
	st := stops(g, key, read, false)
	for _, in := range sortedInstrs(st) {
		if targets[in] || reach(g.SSA, in, targets, nil) {
			return in, st[in], true
		}
	}
	return nil, nil, false
}

func sortedInstrs(st map[ssa.Instruction]*model.Acquire) []ssa.Instruction {
	var out []ssa.Instruction
	for in := range st {
		out = append(out, in)
	}
	// Source order, for stable messages.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && pos(out[j]) < pos(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func pos(in ssa.Instruction) token.Pos {
	if c, ok := in.(ssa.CallInstruction); ok && c.Common().Pos().IsValid() {
		return c.Common().Pos()
	}
	return in.Pos()
}

// counterpart describes what unblocks the blocked operation.
type counterpart struct {
	op      *model.Op   // the operation that unblocks (receive, send, close, Done, Signal)
	g       *model.Func // the function it runs in
	targets map[ssa.Instruction]bool
	loop    ssa.Instruction // the operation itself when it can repeat in a loop
	obj     model.Path      // its object, in g's frame
}

func opCounterpart(u *model.Op) counterpart {
	cp := counterpart{op: u, g: u.Func, obj: u.Path}
	if u.Deferred {
		cp.targets = returns(u.Func.SSA)
	} else {
		cp.targets = map[ssa.Instruction]bool{u.Instr: true}
		if !madeInLoop(u) {
			cp.loop = u.Instr
		}
	}
	return cp
}

// madeInLoop reports whether the channel of u is made in a loop: each
// iteration has its own, so going around the loop is no second use of it.
func madeInLoop(u *model.Op) bool {
	if u.Object == nil || u.Object.Class != "" {
		return false
	}
	for _, o := range u.Object.Ops {
		if o.Kind == model.OpMakeChan && inCycle(o.Instr.Block()) {
			return true
		}
	}
	return false
}

// inCycle reports whether block b is part of a cycle of its function.
func inCycle(b *ssa.BasicBlock) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			work = append(work, x.Succs...)
		}
	}
	return false
}

// needs reports whether the counterpart takes one of the locks held in fr
// before it can unblock (on every path when must is set, else on some).
func (c *checker) needs(fr frame, fobj model.Path, cp counterpart, must bool) (need, bool) {
	for _, h := range fr.held {
		if c.handedOff(fr, h) {
			continue
		}
		lp, ok := lockIn(fr, h, fobj, cp.g, cp.obj)
		if !ok {
			continue
		}
		key := lp.Key()
		var (
			in  ssa.Instruction
			a   *model.Acquire
			got bool
		)
		if must {
			in, a, got = mustTake(cp.g, key, h.Read, cp.targets, cp.loop)
		} else {
			in, a, got = mayTake(cp.g, key, h.Read, cp.targets)
		}
		if got {
			return need{held: h, by: cp.op, at: in, acq: a, fn: cp.g}, true
		}
	}
	return need{}, false
}

// handedOff reports whether another function releases lock h without
// holding it itself: a goroutine that unlocks a mutex the blocked one took
// (a Mutex has no owner), so the waiter does not keep it for good.
func (c *checker) handedOff(fr frame, h *model.Held) bool {
	key := h.Path.Key()
	for _, f := range c.m.Funcs {
		if f == fr.f {
			continue
		}
		for _, op := range f.Ops {
			if !op.Kind.Releases() || !op.Path.Valid() || op.Path.Key() != key || heldIn(op.Held, key) {
				continue
			}
			if op.Deferred || f.MayHeldAt(op.Instr, op.Path) {
				continue
			}
			return true
		}
	}
	return false
}

// sameGoroutine reports whether the counterpart may run in the blocked
// goroutine itself (the same function or one of the frames).
func sameGoroutine(fr frame, op *model.Op, g *model.Func) bool {
	if g == op.Func || g == fr.f {
		return true
	}
	for _, cs := range fr.chain {
		if cs.Callee == g {
			return true
		}
	}
	return false
}

// ---- channels ----

// chanPartners returns the operations that complete a send (receives) or a
// receive (sends and closes) on op's channel, or ok == false when some of
// them may be unknown to the package. home is the path (in op's frame) that
// relates the channel to the locks: op's own, or, for a channel made here
// and registered in a map or slice field (n.waiters[id] = done), that
// field's elements.
func (c *checker) chanPartners(op *model.Op) (parts []*model.Op, home model.Path, ok bool) {
	obj := op.Object
	home = op.Path
	if obj == nil || obj.Kind != model.ObjChan {
		return nil, home, false
	}
	var makes []*model.Op
	for _, o := range obj.Ops {
		if o.Kind == model.OpMakeChan {
			makes = append(makes, o)
		}
	}
	if len(makes) == 0 {
		return nil, home, false // made elsewhere: unknown ends
	}
	ops := obj.Ops
	if obj.Class == "" {
		// A channel local to a function: follow it where it goes.
		if len(makes) != 1 {
			return nil, home, false
		}
		ch := c.m.ChanOf(makes[0])
		if ch == nil {
			return nil, home, false
		}
		ops = nil
		for _, u := range ch.Uses {
			ops = append(ops, u.Op)
		}
		if ch.Escape != nil {
			h, hobj, ok := c.registered(makes[0])
			if !ok || makes[0].Func != op.Func {
				return nil, home, false
			}
			home = h
			ops = append(ops, hobj.Ops...)
		}
	} else if c.escapes(obj) {
		return nil, home, false
	}
	send := op.Kind == model.OpSend
	for _, o := range ops {
		switch {
		case send && (o.Kind == model.OpRecv || o.Kind == model.OpRange):
			parts = append(parts, o)
		case !send && (o.Kind == model.OpSend || o.Kind == model.OpClose):
			parts = append(parts, o)
		}
	}
	return parts, home, true
}

// registered finds where a channel made at mk is kept when it escapes its
// function: stored once as an element of a map or slice field whose
// channels the package alone uses. It returns that element path and object.
func (c *checker) registered(mk *model.Op) (model.Path, *model.Object, bool) {
	v, ok := mk.Instr.(*ssa.MakeChan)
	if !ok {
		return model.Path{}, nil, false
	}
	var home model.Path
	found := false
	for _, r := range *v.Referrers() {
		var at ssa.Value
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Value != v {
				return model.Path{}, nil, false
			}
			at = r.Map
		case *ssa.Store:
			ia, ok := r.Addr.(*ssa.IndexAddr)
			if !ok || r.Val != v {
				return model.Path{}, nil, false
			}
			at = ia.X
		case *ssa.UnOp, *ssa.Send, *ssa.Select, *ssa.DebugRef:
			continue
		case ssa.CallInstruction:
			if b, ok := r.Common().Value.(*ssa.Builtin); ok && (b.Name() == "close" || b.Name() == "len") {
				continue
			}
			return model.Path{}, nil, false
		default:
			return model.Path{}, nil, false
		}
		p, ok := c.m.PathOf(at)
		if !ok || found || len(p.Fields) == 0 {
			return model.Path{}, nil, false
		}
		p.Elem = true
		home, found = p, true
	}
	if !found {
		return model.Path{}, nil, false
	}
	obj := c.m.ObjectOfPath(home)
	if obj == nil || obj.Kind != model.ObjChan || c.escapes(obj) {
		return model.Path{}, nil, false
	}
	return home, obj, true
}

// unbuffered reports whether every make site of op's channel makes it
// without a buffer.
func unbuffered(op *model.Op) bool {
	if op.Object == nil {
		return false
	}
	n := 0
	for _, o := range op.Object.Ops {
		if o.Kind == model.OpMakeChan {
			if o.Cap != 0 {
				return false
			}
			n++
		}
	}
	return n > 0
}

// blocked reports whether every partner of a channel operation needs a
// lock held in fr first; needs lists one acquisition per partner.
func (c *checker) blocked(fr frame, fobj model.Path, op *model.Op, parts []*model.Op) ([]need, bool) {
	if len(parts) == 0 {
		return nil, false // nobody at all: a leak, not this check's
	}
	var out []need
	for _, u := range parts {
		if sameGoroutine(fr, op, u.Func) {
			return nil, false
		}
		n, ok := c.needs(fr, fobj, opCounterpart(u), true)
		if !ok {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func (c *checker) checkChan(op *model.Op) {
	if !op.Path.Valid() || len(op.Held) == 0 && len(op.Func.CalledFrom) == 0 {
		return
	}
	if op.Kind == model.OpSend && !unbuffered(op) {
		return // a buffer may take the value
	}
	parts, home, ok := c.chanPartners(op)
	if !ok {
		return
	}
	for _, fr := range c.frames(op, []model.Path{home}) {
		if ns, ok := c.blocked(fr, fr.objs[0], op, parts); ok {
			c.report(op, fr, ns, c.chanWhat(op))
			return
		}
	}
}

func (c *checker) chanWhat(op *model.Op) string {
	name := op.Path.Name()
	switch op.Kind {
	case model.OpSend:
		return "send on " + name
	case model.OpRange:
		return "range over " + name
	}
	return "receive from " + name
}

// checkSelect reports a select without default, timer or context case
// whose every case waits for a counterpart that needs a held lock. Cases on
// channels the package does not fully see are allowed when another case
// is a done channel (only ever closed) whose closers all need the lock:
// the select relies on that case to be released.
func (c *checker) checkSelect(op *model.Op) {
	sel := op.Select
	if sel == nil || !sel.Blocking || len(op.Held) == 0 && len(op.Func.CalledFrom) == 0 {
		return
	}
	var cases []*model.Op
	for _, o := range op.Func.Ops {
		if o.Select == sel && o.Case >= 0 {
			cases = append(cases, o)
		}
	}
	if len(cases) != len(sel.States) {
		return
	}
	for _, cs := range cases {
		if timerOrContext(sel.States[cs.Case].Chan) || !cs.Path.Valid() {
			return
		}
	}
	objs := make([]model.Path, len(cases))
	for i, cs := range cases {
		objs[i] = cs.Path
	}
	for _, fr := range c.frames(op, objs) {
		var all []need
		unknown, doneCase := false, false
		ok := true
		for i, cs := range cases {
			if cs.Kind == model.OpSend && !unbuffered(cs) {
				ok = false
				break
			}
			parts, _, known := c.chanPartners(cs)
			if !known {
				unknown = true
				continue
			}
			ns, blocked := c.blocked(fr, fr.objs[i], cs, parts)
			if !blocked {
				ok = false
				break
			}
			all = append(all, ns...)
			if cs.Kind == model.OpRecv && onlyCloses(parts) {
				doneCase = true
			}
		}
		if !ok || len(all) == 0 || unknown && !doneCase {
			continue
		}
		c.report(op, fr, all, "select")
		return
	}
}

func onlyCloses(parts []*model.Op) bool {
	for _, p := range parts {
		if p.Kind != model.OpClose {
			return false
		}
	}
	return len(parts) > 0
}

// timerOrContext reports whether a select case channel is a timer's or a
// context's: it fires (or may be cancelled) without the package.
func timerOrContext(ch ssa.Value) bool {
	for {
		switch v := ch.(type) {
		case *ssa.ChangeType:
			ch = v.X
			continue
		case *ssa.Call:
			fn := calleeFunc(&v.Call)
			if fn == nil || fn.Pkg() == nil {
				return true // a channel made by unknown code
			}
			switch fn.Pkg().Path() {
			case "time", "context", "os/signal":
				return true
			}
			return fn.Name() == "Done"
		case *ssa.UnOp:
			if fa, ok := v.X.(*ssa.FieldAddr); ok {
				if n := namedOf(fa.X.Type()); n == "time.Timer" || n == "time.Ticker" {
					return true
				}
			}
		}
		return false
	}
}

func calleeFunc(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	if f := c.StaticCallee(); f != nil {
		if obj, ok := f.Object().(*types.Func); ok {
			return obj
		}
	}
	return nil
}

func namedOf(t types.Type) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
		return n.Obj().Pkg().Path() + "." + n.Obj().Name()
	}
	return ""
}

// escapes reports whether the channel field or package variable of obj
// can be reached by code the package does not show: it is exported, or a
// value loaded from it is returned, stored, converted to an interface or
// passed to another package.
func (c *checker) escapes(obj *model.Object) bool {
	if v, ok := c.esc[obj]; ok {
		return v
	}
	v := c.computeEscape(obj)
	c.esc[obj] = v
	return v
}

func (c *checker) computeEscape(obj *model.Object) bool {
	var field *types.Var
	var global *ssa.Global
	for _, op := range obj.Ops {
		if !op.Path.Valid() {
			continue
		}
		if n := len(op.Path.Fields); n > 0 {
			field = op.Path.Fields[n-1]
			break
		} else if op.Path.Root.Kind == model.RootGlobal {
			global = op.Path.Root.Global
			break
		}
	}
	switch {
	case field != nil:
		if field.Exported() {
			if tn := c.m.Owner(field); tn == nil || tn.Exported() {
				return true
			}
		}
	case global != nil:
		if global.Object().Exported() {
			return true
		}
	default:
		return true
	}
	for _, f := range c.m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				switch in := in.(type) {
				case *ssa.FieldAddr:
					if field == nil || fieldOf(in.X.Type(), in.Field) != field {
						continue
					}
					for _, r := range *in.Referrers() {
						switch r := r.(type) {
						case *ssa.UnOp:
							if r.Op == token.MUL && c.leaksHolder(r) {
								return true
							}
						case *ssa.Store:
							if r.Addr == in && !made(r.Val) {
								return true // a channel from elsewhere
							}
						case *ssa.DebugRef:
						default:
							return true // its address is taken
						}
					}
				case *ssa.Field:
					if field != nil && fieldOf(in.X.Type(), in.Field) == field && c.leaks(in, 0) {
						return true
					}
				case *ssa.UnOp:
					if global != nil && in.Op == token.MUL && in.X == global && c.leaks(in, 0) {
						return true
					}
				case *ssa.Store:
					if global != nil && in.Addr == global && !made(in.Val) {
						return true
					}
				}
			}
		}
	}
	return false
}

// made reports whether v is a channel, map or slice made here (or nil), not
// one received from elsewhere.
func made(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.MakeChan, *ssa.MakeMap, *ssa.MakeSlice:
		return true
	}
	return isNil(v)
}

func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// leaksHolder reports whether a value loaded from a channel field leaks:
// the channel itself, or, for a map or slice of channels, any of them.
func (c *checker) leaksHolder(v ssa.Value) bool {
	switch v.Type().Underlying().(type) {
	case *types.Chan:
		return c.leaks(v, 0)
	case *types.Map, *types.Slice:
	default:
		return true
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map != v {
				return true
			}
			if _, made := r.Value.(*ssa.MakeChan); !made {
				return true
			}
		case *ssa.Lookup:
			if r.X != v {
				return true
			}
			if r.CommaOk {
				for _, e := range *r.Referrers() {
					if x, ok := e.(*ssa.Extract); ok && x.Index == 0 && c.leaks(x, 0) {
						return true
					}
				}
			} else if c.leaks(r, 0) {
				return true
			}
		case *ssa.IndexAddr:
			for _, e := range *r.Referrers() {
				switch e := e.(type) {
				case *ssa.UnOp:
					if e.Op != token.MUL || c.leaks(e, 0) {
						return true
					}
				case *ssa.Store:
					if _, made := e.Val.(*ssa.MakeChan); !made {
						return true
					}
				default:
					return true
				}
			}
		case ssa.CallInstruction:
			if b, ok := r.Common().Value.(*ssa.Builtin); ok && (b.Name() == "delete" || b.Name() == "len" || b.Name() == "clear") {
				continue
			}
			return true
		case *ssa.DebugRef:
		default:
			return true
		}
	}
	return false
}

// leaks reports whether the channel value v flows somewhere the package
// does not follow.
func (c *checker) leaks(v ssa.Value, depth int) bool {
	if depth > 4 {
		return true
	}
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Send:
			if r.X == v {
				return true // sent as a value
			}
		case *ssa.Select, *ssa.DebugRef, *ssa.BinOp, *ssa.If:
		case *ssa.UnOp:
			if r.Op != token.ARROW {
				return true
			}
		case *ssa.ChangeType:
			if c.leaks(r, depth+1) {
				return true
			}
		case *ssa.Phi:
			if c.leaks(r, depth+1) {
				return true
			}
		case ssa.CallInstruction:
			cc := r.Common()
			if b, ok := cc.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "close", "len", "cap":
					continue
				}
				return true
			}
			if cc.IsInvoke() || c.m.FuncOf(cc.StaticCallee()) == nil && !originInPkg(c.m, cc.StaticCallee()) {
				return true
			}
		case *ssa.MakeClosure:
			fn, _ := r.Fn.(*ssa.Function)
			if fn == nil {
				return true
			}
			for i, b := range r.Bindings {
				if b == v && i < len(fn.FreeVars) && c.leaks(fn.FreeVars[i], depth+1) {
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

func originInPkg(m *model.Model, fn *ssa.Function) bool {
	if fn == nil {
		return false
	}
	if o := fn.Origin(); o != nil {
		return m.FuncOf(o) != nil
	}
	return false
}

func fieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i < 0 || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// ---- WaitGroup and errgroup ----

func (c *checker) checkWait(op *model.Op) {
	if !op.Path.Valid() || op.Object == nil || len(op.Held) == 0 && len(op.Func.CalledFrom) == 0 {
		return
	}
	var cps []counterpart
	for _, o := range op.Object.Ops {
		switch {
		case op.Kind == model.OpWGWait && o.Kind == model.OpWGDone:
			cps = append(cps, opCounterpart(o))
		case op.Kind == model.OpWGWait && o.Kind == model.OpWGGo, op.Kind == model.OpGroupWait && o.Kind == model.OpGroupGo:
			if o.Target != nil {
				cps = append(cps, counterpart{op: o, g: o.Target, targets: returns(o.Target.SSA), obj: o.Path})
			}
		}
	}
	for _, fr := range c.frames(op, []model.Path{op.Path}) {
		for _, cp := range cps {
			if sameGoroutine(fr, op, cp.g) {
				continue
			}
			// Wait returns only when every goroutine it waits for is
			// done: one that may take the lock first is enough.
			if n, ok := c.needs(fr, fr.objs[0], cp, false); ok {
				c.report(op, fr, []need{n}, op.Path.Name()+".Wait()")
				return
			}
		}
	}
}

// ---- Cond ----

// checkCond reports a Cond.Wait that keeps a lock other than the Cond's L
// held while every Signal and Broadcast of the Cond needs that lock first.
func (c *checker) checkCond(op *model.Op) {
	if !op.Path.Valid() || op.Object == nil {
		return
	}
	l, ok := c.condLocker(op)
	if !ok {
		return
	}
	var parts []*model.Op
	for _, o := range op.Object.Ops {
		if o.Kind == model.OpCondSignal || o.Kind == model.OpCondBroadcast {
			parts = append(parts, o)
		}
	}
	if len(parts) == 0 || c.condEscapes(op) {
		return
	}
	for _, fr := range c.frames(op, []model.Path{op.Path, l}) {
		lk := fr.objs[1]
		if !lk.Valid() || !heldIn(fr.held, lk.Key()) {
			continue // Wait without c.L is another mistake
		}
		var others []*model.Held
		for _, h := range fr.held {
			if h.Path.Key() != lk.Key() {
				others = append(others, h)
			}
		}
		if len(others) == 0 {
			continue
		}
		fr.held = others
		var all []need
		for _, u := range parts {
			if sameGoroutine(fr, op, u.Func) {
				all = nil
				break
			}
			n, ok := c.needs(fr, fr.objs[0], opCounterpart(u), true)
			if !ok {
				all = nil
				break
			}
			all = append(all, n)
		}
		if len(all) > 0 {
			c.report(op, fr, all, op.Path.Name()+".Wait()")
			return
		}
	}
}

// condLocker returns the path of c.L in the frame of Wait op, from the
// sync.NewCond calls that make the Cond.
func (c *checker) condLocker(op *model.Op) (model.Path, bool) {
	var out model.Path
	found := false
	for _, n := range c.m.Ops {
		if n.Kind != model.OpCondNew || n.Object != op.Object || !n.Path.Valid() || !n.Locker.Valid() {
			continue
		}
		var l model.Path
		switch {
		case n.Locker.Root.Kind == model.RootGlobal:
			l = n.Locker
		case n.Locker.Root == n.Path.Root && len(n.Path.Fields) > 0:
			// s.cond = sync.NewCond(&s.mu): L is the mu beside the cond.
			k := len(op.Path.Fields) - len(n.Path.Fields)
			if k < 0 || op.Path.Elem {
				return model.Path{}, false
			}
			for i, f := range n.Path.Fields {
				if op.Path.Fields[k+i] != f {
					return model.Path{}, false
				}
			}
			l = model.Path{Root: op.Path.Root, Fields: append(append([]*types.Var(nil), op.Path.Fields[:k]...), n.Locker.Fields...)}
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

// condEscapes reports whether code outside the package may signal the
// Cond: it is an exported field or variable.
func (c *checker) condEscapes(op *model.Op) bool {
	p := op.Path
	if n := len(p.Fields); n > 0 {
		f := p.Fields[n-1]
		tn := c.m.Owner(f)
		return f.Exported() && (tn == nil || tn.Exported())
	}
	if p.Root.Kind == model.RootGlobal {
		return p.Root.Global.Object().Exported()
	}
	return false
}

// ---- reporting ----

func (c *checker) report(op *model.Op, fr frame, ns []need, what string) {
	pass := c.pass
	n := ns[0]
	held := n.held.Path.Name()
	where := func(p token.Pos) string { return message.Where(pass, p, op.Pos) }
	holder := "holding " + held
	if len(fr.chain) > 0 {
		holder = fmt.Sprintf("while %s holds %s (it calls %s)", fr.f.DisplayName(), held, message.ChainText(pass, fr.chain, op.Pos))
	}
	var because string
	switch n.by.Kind {
	case model.OpRecv, model.OpRange:
		because = fmt.Sprintf("the receiver, %s, locks %s before it receives (%s)", n.fn.DisplayName(), lockText(n), where(pos(n.at)))
	case model.OpSend:
		because = fmt.Sprintf("the sender, %s, locks %s before it sends (%s)", n.fn.DisplayName(), lockText(n), where(pos(n.at)))
	case model.OpClose:
		because = fmt.Sprintf("%s locks %s (%s) before it closes %s", n.fn.DisplayName(), lockText(n), where(pos(n.at)), n.by.Path.Name())
	case model.OpWGDone:
		because = fmt.Sprintf("%s locks %s (%s) before it calls Done", n.fn.DisplayName(), lockText(n), where(pos(n.at)))
	case model.OpWGGo, model.OpGroupGo:
		because = fmt.Sprintf("a goroutine it waits for locks %s (%s) before it returns", lockText(n), where(pos(n.at)))
	case model.OpCondSignal, model.OpCondBroadcast:
		because = fmt.Sprintf("Wait releases only the Cond's own lock, and %s locks %s (%s) before it calls %s", n.fn.DisplayName(), lockText(n), where(pos(n.at)), n.by.Kind)
	}
	if what == "select" && len(ns) > 1 {
		because += ", and the other cases wait as well"
	}
	msg := fmt.Sprintf("%s blocks forever %s: %s", what, holder, because)
	if len(fr.chain) == 0 {
		msg = fmt.Sprintf("%s blocks forever holding %s: %s", what, held, because)
	}
	var related []analysis.RelatedInformation
	hpos := conflict.FirstPos(&model.LockConflict{First: n.held, Func: fr.f})
	related = append(related, analysis.RelatedInformation{Pos: hpos, Message: fmt.Sprintf("%s is locked here", held)})
	for _, cs := range fr.chain {
		related = append(related, analysis.RelatedInformation{Pos: cs.Pos, Message: fmt.Sprintf("calls %s with %s held", message.CallName(pass, cs), held)})
	}
	seen := make(map[token.Pos]bool)
	for _, x := range ns {
		if p := pos(x.at); !seen[p] {
			seen[p] = true
			related = append(related, analysis.RelatedInformation{Pos: p, Message: fmt.Sprintf("%s locks %s here", x.fn.DisplayName(), lockText(x))})
		}
		if p := x.by.Pos; !seen[p] {
			seen[p] = true
			related = append(related, analysis.RelatedInformation{Pos: p, Message: "the operation that would unblock it"})
		}
	}
	end := op.Pos
	if call, _ := analysisutil.CallAt(pass, op.Pos); call != nil {
		end = call.End()
	}
	pass.Report(analysis.Diagnostic{
		Pos:      op.Pos,
		End:      end,
		Category: "blockinglock",
		Message:  msg,
		Related:  related,
	})
}

// lockText names the lock a counterpart takes, as its function spells it.
func lockText(n need) string {
	name := n.acq.Path.Name()
	if strings.HasPrefix(name, "value made") || name == "" {
		return n.held.Path.Name()
	}
	return name
}
