package explore

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

// The interpreter runs one goroutine from one blocking operation to the
// next. It forks the state where a branch tests something it does not
// know, and stops the goroutine at each operation that may block (the
// scheduler, sched.go, completes those).

// run executes goroutine gi of s until it waits at a blocking operation or
// ends, and returns the states it can be in then (one per path taken).
func (e *engine) run(s *state, gi int) []*state {
	var out []*state
	work := []*state{s}
	for len(work) > 0 {
		st := work[len(work)-1]
		work = work[:len(work)-1]
		for !st.dead {
			if e.steps++; e.steps > maxSteps {
				e.over = true
				return nil
			}
			g := st.gs[gi]
			if g.done || g.pend != nil {
				out = append(out, st)
				break
			}
			work = append(work, e.step(st, gi)...)
		}
	}
	return out
}

// step executes the next instruction of goroutine gi, and returns the
// states forked from s on the way (s itself takes one of the paths).
func (e *engine) step(s *state, gi int) []*state {
	f := s.top(gi)
	if f.unwinding {
		e.goexit(s, gi)
		return nil
	}
	if f.pc >= len(f.block.Instrs) {
		s.dead = true // a block without terminator: not SSA we understand
		return nil
	}
	in := f.block.Instrs[f.pc]
	switch in := in.(type) {
	case *ssa.DebugRef, *ssa.Phi:
		// φs are assigned on entry to their block (enter).
	case *ssa.Jump:
		e.enter(s, gi, in.Block().Succs[0])
		return nil
	case *ssa.If:
		return e.branch(s, gi, in)
	case *ssa.Return:
		var vs []value
		for _, r := range in.Results {
			vs = append(vs, e.val(s, f, r))
		}
		e.ret(s, gi, vs)
		return nil
	case *ssa.Panic:
		s.dead = true // the program crashes: no leak to report
		return nil
	case *ssa.RunDefers:
		if n := len(f.defers); n > 0 {
			d := f.defers[n-1]
			f.defers = f.defers[:n-1]
			e.callValue(s, gi, d.fn, d.args, nil, d.instr.Pos(), true)
			return nil
		}
	case *ssa.Go:
		e.spawn(s, gi, in)
	case *ssa.Defer:
		c := in.Common()
		fn, args := e.callee(s, f, c)
		f.defers = append(f.defers, deferred{instr: in, fn: fn, args: args})
	case *ssa.Call:
		return e.call(s, gi, in)
	case *ssa.Send:
		e.block(s, gi, in)
		return nil
	case *ssa.Select:
		e.block(s, gi, in)
		return nil
	case *ssa.UnOp:
		if in.Op == token.ARROW {
			e.block(s, gi, in)
			return nil
		}
		if in.Op == token.MUL {
			e.access(s, gi, e.val(s, f, in.X), false, in)
		}
		f.regs[in] = e.unop(s, f, in)
	case *ssa.Store:
		a := e.val(s, f, in.Addr)
		e.access(s, gi, a, true, in)
		e.store(s, a, e.val(s, f, in.Val), in.Val.Type())
	case *ssa.MapUpdate:
		if r, ok := e.val(s, f, in.Map).(refV); ok {
			e.access(s, gi, refV{obj: r.obj, path: MapCell}, true, in)
		}
		e.mapUpdate(s, f, in)
	default:
		if l, ok := in.(*ssa.Lookup); ok {
			if _, isMap := l.X.Type().Underlying().(*types.Map); isMap {
				if r, ok := e.val(s, f, l.X).(refV); ok {
					e.access(s, gi, refV{obj: r.obj, path: MapCell}, false, in)
				}
			}
		}
		if v, ok := in.(ssa.Value); ok {
			f.regs[v] = e.eval(s, f, v)
		}
	}
	if !s.dead {
		s.top(gi).pc++
	}
	return nil
}

// block parks goroutine gi at the blocking operation in.
func (e *engine) block(s *state, gi int, in ssa.Instruction) {
	g := s.g(gi)
	g.pend = in
	e.reached(s, gi, in)
}

// enter moves goroutine gi's top frame into block b, assigning its φs.
func (e *engine) enter(s *state, gi int, b *ssa.BasicBlock) {
	f := s.top(gi)
	from := f.block
	f.visits[b]++
	if f.visits[b] > maxVisits {
		s.dead = true // a loop beyond its bound: this path is not explored
		e.bounded = true
		return
	}
	pred := -1
	for i, p := range b.Preds {
		if p == from {
			pred = i
			break
		}
	}
	var phis []*ssa.Phi
	var vals []value
	for _, in := range b.Instrs {
		phi, ok := in.(*ssa.Phi)
		if !ok {
			break
		}
		phis = append(phis, phi)
		if pred >= 0 && pred < len(phi.Edges) {
			vals = append(vals, e.val(s, f, phi.Edges[pred]))
		} else {
			vals = append(vals, s.newSym())
		}
	}
	for i, phi := range phis {
		f.regs[phi] = vals[i]
	}
	f.block, f.pc, f.pred = b, 0, pred
}

// branch follows an If: at once when its condition is known, otherwise on
// both edges, each remembering what it learnt.
func (e *engine) branch(s *state, gi int, in *ssa.If) []*state {
	f := s.top(gi)
	c := e.val(s, f, in.Cond)
	succ := in.Block().Succs
	if b, known := decide(s, c); known {
		e.enter(s, gi, succ[boolIdx(b)])
		return nil
	}
	f.forks[in.Block()]++
	if f.forks[in.Block()] > maxForks {
		// A loop on an unknown bound, unrolled enough: paths that need
		// more iterations are not explored.
		s.dead = true
		e.bounded = true
		return nil
	}
	t := s.fork()
	if l := e.loopAt(in.Block()); l != nil && f.visits[in.Block()] <= 1 {
		// The first test of a loop on an unknown bound: leaving at once
		// means no element at all.
		if !l.Blocks[succ[0]] {
			s.empty = true
		}
		if !l.Blocks[succ[1]] {
			t.empty = true
		}
	} else if l != nil {
		// Another turn of a loop on an unknown bound: the goroutine may
		// be going round more often than the program ever makes it (a
		// second Accept of a listener that gets one connection).
		if l.Blocks[succ[0]] {
			s.g(gi).repeated = true
		}
		if l.Blocks[succ[1]] {
			t.g(gi).repeated = true
		}
	}
	learn(s, c, true)
	e.enter(s, gi, succ[0])
	learn(t, c, false)
	e.enter(t, gi, succ[1])
	return []*state{t}
}

func boolIdx(b bool) int {
	if b {
		return 0
	}
	return 1
}

// loopAt returns the loop whose header is b, if any.
func (e *engine) loopAt(b *ssa.BasicBlock) *model.Loop {
	if e.m == nil {
		return nil
	}
	for _, l := range e.m.Loops(b.Parent()) {
		if l.Header == b {
			return l
		}
	}
	return nil
}

// ret returns from goroutine gi's top frame with results vs.
func (e *engine) ret(s *state, gi int, vs []value) {
	g := s.g(gi)
	callee := g.frames[len(g.frames)-1]
	if callee.once != "" {
		s.release(gi, callee.once)
	}
	g.frames = g.frames[:len(g.frames)-1]
	e.resumeSubtests(s, gi, len(g.frames))
	if len(g.frames) == 0 {
		e.end(s, gi, vs, callee)
		return
	}
	if g.frames[len(g.frames)-1].unwinding {
		return // Goexit runs the next deferred call
	}
	f := s.top(gi)
	if callee.deferRun {
		return // RunDefers runs the next one
	}
	if callee.result != nil {
		switch len(vs) {
		case 0:
		case 1:
			f.regs[callee.result] = vs[0]
		default:
			f.regs[callee.result] = tupleV{vs}
		}
	}
	f.pc++
}

// end finishes goroutine gi. The scenario's own goroutine returns to a
// caller outside the scenario: what it returns escapes.
func (e *engine) end(s *state, gi int, vs []value, last *frame) {
	if gi == 0 && e.continueWith(s, vs, last) {
		return
	}
	g := s.g(gi)
	g.done = true
	if g.group != "" {
		s.release(gi, g.group)
		s.sync(g.group).count--
	}
	if gi == 0 {
		for _, h := range s.gs[1:] {
			e.res.Outlived = e.res.Outlived || !h.done
		}
		for _, v := range vs {
			e.escape(s, v)
		}
		// Locks it returns holding are its caller's to release.
		for _, k := range slices.Sorted(maps.Keys(s.syncs)) {
			if s.syncs[k].holder == 0 {
				s.sync(k).holder = extHolder
			}
		}
		if e.isMain {
			s.dead = true // the program ends with main: nothing leaks
			return
		}
	}
	s.record(gi, "returns", returnPos(last))
}

// returnPos is where frame f returned: its return statement, or the
// closing brace of a function that ends without one.
func returnPos(f *frame) token.Pos {
	if in := f.block.Instrs; len(in) > 0 && in[len(in)-1].Pos().IsValid() {
		return in[len(in)-1].Pos()
	}
	switch syn := f.fn.Syntax().(type) {
	case *ast.FuncDecl:
		if syn.Body != nil {
			return syn.Body.Rbrace
		}
	case *ast.FuncLit:
		return syn.Body.Rbrace
	}
	return f.fn.Pos()
}

// goexit ends goroutine gi as runtime.Goexit does: its frames' deferred
// calls run, innermost first.
func (e *engine) goexit(s *state, gi int) {
	g := s.g(gi)
	for len(g.frames) > 0 {
		f := s.top(gi)
		f.unwinding = true
		if n := len(f.defers); n > 0 {
			d := f.defers[n-1]
			f.defers = f.defers[:n-1]
			e.callValue(s, gi, d.fn, d.args, nil, d.instr.Pos(), true)
			return // the deferred call runs; step resumes unwinding after it
		}
		if len(g.frames) == 1 {
			e.end(s, gi, nil, f)
			g.frames = nil
			return
		}
		g.frames = g.frames[:len(g.frames)-1]
	}
}

// val is the value of v in frame f.
func (e *engine) val(s *state, f *frame, v ssa.Value) value {
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return zero(v.Type())
		}
		return constV{v.Value}
	case *ssa.Function:
		return funcV{fn: v}
	case *ssa.Global:
		return refV{obj: e.global(s, v)}
	case *ssa.FreeVar:
		fn := f.fn
		for i, fv := range fn.FreeVars {
			if fv == v {
				if o := s.heap[f.env]; o != nil {
					if c, ok := o.cells[fieldPath("", i)]; ok {
						return c
					}
				}
			}
		}
		return s.newSym()
	case *ssa.Builtin:
		return funcV{}
	}
	if r, ok := f.regs[v]; ok {
		return r
	}
	// Not yet computed (a value from a path the engine did not take).
	sym := s.newSym()
	f.regs[v] = sym
	return sym
}

// global returns the object of package variable g: external, since code
// outside the scenario can reach it.
func (e *engine) global(s *state, g *ssa.Global) objID {
	if id, ok := s.globs[g]; ok {
		return id
	}
	id, o := s.newObj(objExt, nil)
	o.ext = true
	o.typ = g.Type()
	s.globs[g] = id
	return id
}

// zero is the zero value of type t.
func zero(t types.Type) value {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return falseV
		case u.Info()&types.IsInteger != 0:
			return intV(0)
		case u.Info()&types.IsString != 0:
			return constV{constant.MakeString("")}
		case u.Kind() == types.UntypedNil:
			return unknownNil
		}
		return constV{constant.MakeInt64(0)}
	case *types.Struct:
		fs := make([]value, u.NumFields())
		for i := range fs {
			fs[i] = zero(u.Field(i).Type())
		}
		return aggrV{fs}
	case *types.Array:
		if u.Len() <= 8 {
			fs := make([]value, u.Len())
			for i := range fs {
				fs[i] = zero(u.Elem())
			}
			return aggrV{fs}
		}
	}
	return unknownNil
}

// eval computes the value of a non-blocking value instruction.
func (e *engine) eval(s *state, f *frame, v ssa.Value) value {
	switch v := v.(type) {
	case *ssa.Alloc:
		id, o := s.newObj(objAlloc, v)
		o.typ = deref(v.Type())
		return refV{obj: id}
	case *ssa.BinOp:
		return fixedBinop(s, v.Op, e.val(s, f, v.X), e.val(s, f, v.Y), v.Type())
	case *ssa.ChangeType:
		return e.val(s, f, v.X)
	case *ssa.ChangeInterface:
		return e.val(s, f, v.X)
	case *ssa.SliceToArrayPointer:
		return e.val(s, f, v.X)
	case *ssa.MultiConvert:
		return s.newSym()
	case *ssa.Convert:
		x := e.val(s, f, v.X)
		if c, ok := x.(constV); ok && isInteger(v.Type()) && c.c.Kind() == constant.Int {
			return x
		}
		if _, ok := x.(refV); ok {
			return x // unsafe.Pointer conversions keep the address
		}
		if b, ok := e.constBytes(s, x, v); ok {
			return b
		}
		return s.newSym()
	case *ssa.MakeInterface:
		return ifaceV{t: v.X.Type(), v: e.val(s, f, v.X)}
	case *ssa.TypeAssert:
		return e.typeAssert(s, f, v)
	case *ssa.Extract:
		if t, ok := e.val(s, f, v.Tuple).(tupleV); ok && v.Index < len(t.vs) {
			return t.vs[v.Index]
		}
		return s.newSym()
	case *ssa.Field:
		if a, ok := e.val(s, f, v.X).(aggrV); ok && v.Field < len(a.fields) {
			return a.fields[v.Field]
		}
		return s.newSym()
	case *ssa.Index:
		if b, ok := constByte(e.val(s, f, v.X), e.val(s, f, v.Index)); ok {
			return b // a byte of a constant string
		}
		if a, ok := e.val(s, f, v.X).(aggrV); ok {
			if n, ok := constInt(e.val(s, f, v.Index)); ok && n >= 0 && int(n) < len(a.fields) {
				return a.fields[n]
			}
		}
		return s.newSym()
	case *ssa.FieldAddr:
		return e.addr(s, e.val(s, f, v.X), func(p string) string { return fieldPath(p, v.Field) })
	case *ssa.IndexAddr:
		idx := e.val(s, f, v.Index)
		return e.addr(s, e.val(s, f, v.X), func(p string) string { return elemPath(p, idx) })
	case *ssa.Lookup:
		return e.lookup(s, f, v)
	case *ssa.MakeMap:
		id, o := s.newObj(objMap, v)
		o.typ = v.Type()
		return refV{obj: id}
	case *ssa.MakeSlice:
		id, o := s.newObj(objSlice, v)
		o.typ = v.Type()
		if n, ok := constInt(e.val(s, f, v.Len)); ok {
			o.length = n
		}
		return refV{obj: id}
	case *ssa.MakeChan:
		id, o := s.newObj(objChan, v)
		o.typ = v.Type()
		o.ch = &chanState{}
		if n, ok := constInt(e.val(s, f, v.Size)); ok {
			o.ch.cap = int(n)
		} else {
			// Unknown capacity: sends never wait, and nothing about
			// them is proved (reached counts them as external).
			o.ch.cap, o.ch.unknownCap = 1<<30, true
		}
		return refV{obj: id}
	case *ssa.MakeClosure:
		id, o := s.newObj(objClosure, v)
		for i, b := range v.Bindings {
			o.cells[fieldPath("", i)] = e.val(s, f, b)
		}
		return funcV{fn: v.Fn.(*ssa.Function), env: id}
	case *ssa.Slice:
		x := e.val(s, f, v.X)
		if r, ok := x.(refV); ok {
			o := s.heap[r.obj]
			switch {
			case o == nil:
			case o.kind == objAlloc && r.path == "":
				// Slicing an array (the varargs of a call, append's
				// arguments): the array is the slice's backing store.
				if a, ok := o.typ.Underlying().(*types.Array); ok {
					o = s.obj(r.obj)
					o.kind, o.length = objSlice, a.Len()
				}
			case o.kind == objSlice && (v.Low != nil || v.High != nil):
				o = s.obj(r.obj)
				o.length = -1 // the length of a slice of a slice: not tracked
			}
			return x
		}
		return s.newSym()
	case *ssa.Range:
		id, o := s.newObj(objAlloc, v)
		o.cells["x"] = e.val(s, f, v.X)
		o.cells["i"] = intV(0)
		return refV{obj: id}
	case *ssa.Next:
		return e.next(s, f, v)
	}
	return s.newSym()
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// addr is the address of a part of what x points to; an unknown pointer
// gets an external object of its own, the same one each time.
func (e *engine) addr(s *state, x value, part func(string) string) value {
	switch x := x.(type) {
	case refV:
		return refV{obj: x.obj, path: part(x.path)}
	case symV:
		return refV{obj: s.extObj(x), path: part("")}
	case nilV:
		s.dead = true // nil dereference: the program crashes
	}
	return refV{obj: s.extObj(s.newSym()), path: part("")}
}

// extObj is the external object an unknown pointer points to.
func (s *state) extObj(x symV) objID {
	if id, ok := s.ext[symID(x)]; ok {
		return id
	}
	id, o := s.newObj(objExt, nil)
	o.ext = true
	s.ext[symID(x)] = id
	return id
}

// load reads the cell at address a, as a value of type t.
func (e *engine) load(s *state, a value, t types.Type) value {
	r, ok := a.(refV)
	if !ok {
		if _, isNil := a.(nilV); isNil {
			s.dead = true
			return nil
		}
		return s.newSym()
	}
	if st, ok := t.Underlying().(*types.Struct); ok {
		fs := make([]value, st.NumFields())
		for i := range fs {
			fs[i] = e.load(s, refV{obj: r.obj, path: fieldPath(r.path, i)}, st.Field(i).Type())
		}
		return aggrV{fs}
	}
	o := s.heap[r.obj]
	if o == nil {
		return s.newSym()
	}
	if isSomeElem(r.path) {
		return e.lostElem(s, r.obj)
	}
	if v, ok := o.cells[r.path]; ok {
		return v
	}
	if o.ext {
		// What external code stored: unknown, but the same on each read.
		v := s.newSym()
		s.obj(r.obj).cells[r.path] = v
		return v
	}
	return zero(t)
}

// isSomeElem reports whether path goes through an element at an unknown
// index.
func isSomeElem(path string) bool { return strings.Contains(path, "[*]") }

// lostElem is what a read at an unknown index gets: any element, which
// the engine cannot tell apart, so an unknown value; what the object holds
// can now be reached by code the engine does not follow.
func (e *engine) lostElem(s *state, id objID) value {
	o := s.heap[id]
	for _, k := range slices.Sorted(maps.Keys(o.cells)) {
		e.escape(s, o.cells[k])
	}
	return s.newSym()
}

// store writes v of type t at address a.
func (e *engine) store(s *state, a, v value, t types.Type) {
	r, ok := a.(refV)
	if !ok {
		if _, isNil := a.(nilV); isNil {
			s.dead = true
			return
		}
		e.escape(s, v) // stored where the engine cannot follow
		return
	}
	if st, ok := t.Underlying().(*types.Struct); ok {
		ag, ok := v.(aggrV)
		if !ok || len(ag.fields) != st.NumFields() {
			// An unknown struct (received from outside, say): each
			// field is unknown. Kept whole, its fields would load as
			// zero values: a nil channel in it would block forever.
			ag = aggrV{make([]value, st.NumFields())}
			for i := range ag.fields {
				ag.fields[i] = s.newSym()
			}
		}
		for i := range ag.fields {
			e.store(s, refV{obj: r.obj, path: fieldPath(r.path, i)}, ag.fields[i], st.Field(i).Type())
		}
		return
	}
	o := s.obj(r.obj)
	if o == nil {
		return
	}
	if isSomeElem(r.path) {
		e.escape(s, v) // an element the engine cannot name: not kept
		return
	}
	if o.ext {
		e.escape(s, v)
	}
	o.cells[r.path] = v
}

func (e *engine) unop(s *state, f *frame, in *ssa.UnOp) value {
	x := e.val(s, f, in.X)
	switch in.Op {
	case token.MUL:
		return e.load(s, x, in.Type())
	case token.NOT:
		return not(x)
	case token.SUB, token.XOR:
		if c, ok := x.(constV); ok {
			return constV{constant.UnaryOp(in.Op, c.c, 0)}
		}
	}
	return s.newSym()
}

// lookup reads a map entry (or a string's byte).
func (e *engine) lookup(s *state, f *frame, in *ssa.Lookup) value {
	m := e.val(s, f, in.X)
	var v value
	found := value(s.newSym())
	r, ok := m.(refV)
	if _, isMap := in.X.Type().Underlying().(*types.Map); !isMap || !ok {
		v = s.newSym()
	} else if k, ok := mapKey(e.val(s, f, in.Index)); !ok {
		v = e.lostElem(s, r.obj)
	} else if o := s.heap[r.obj]; o != nil && o.kind == objMap && !o.ext {
		if c, ok := o.cells[k]; ok {
			v, found = c, trueV
		} else {
			v, found = zero(in.Type()), falseV
			if in.CommaOk {
				v = zero(in.Type().(*types.Tuple).At(0).Type())
			}
			if o.cells["[*]"] != nil {
				v, found = s.newSym(), s.newSym()
			}
		}
	} else {
		v = s.newSym()
	}
	if in.CommaOk {
		return tupleV{[]value{v, found}}
	}
	return v
}

// constBytes is []byte(x) for a short constant string x, a slice made by
// conversion in that knows its bytes (so that loops over them go the way
// the program does).
func (e *engine) constBytes(s *state, x value, conv *ssa.Convert) (value, bool) {
	c, ok := x.(constV)
	if !ok || c.c == nil || c.c.Kind() != constant.String {
		return nil, false
	}
	sl, ok := conv.Type().Underlying().(*types.Slice)
	if !ok || !types.Identical(sl.Elem(), types.Typ[types.Byte]) {
		return nil, false
	}
	str := constant.StringVal(c.c)
	const maxBytes = 64
	if len(str) > maxBytes {
		return nil, false
	}
	id, o := s.newObj(objSlice, conv)
	o.typ = conv.Type()
	o.length = int64(len(str))
	for i := range len(str) {
		o.cells[elemPath("", intV(int64(i)))] = intV(int64(str[i]))
	}
	return refV{obj: id}, true
}

// constByte is byte i of string x, when both are constants and i is in
// range.
func constByte(x, i value) (value, bool) {
	c, ok := x.(constV)
	if !ok || c.c == nil || c.c.Kind() != constant.String {
		return nil, false
	}
	n, ok := constInt(i)
	str := constant.StringVal(c.c)
	if !ok || n < 0 || n >= int64(len(str)) {
		return nil, false
	}
	return intV(int64(str[n])), true
}

// mapKey is the cell name of a constant map key.
func mapKey(k value) (string, bool) {
	switch k := k.(type) {
	case constV:
		return "{" + k.c.ExactString() + "}", true
	case refV:
		return "{" + key(k) + "}", true
	}
	return "", false
}

func (e *engine) mapUpdate(s *state, f *frame, in *ssa.MapUpdate) {
	m := e.val(s, f, in.Map)
	v := e.val(s, f, in.Value)
	r, ok := m.(refV)
	if !ok {
		e.escape(s, v)
		return
	}
	kv := e.val(s, f, in.Key)
	k, ok := mapKey(kv)
	if !ok {
		k = "[*]"
		e.escape(s, v)
	}
	o := s.obj(r.obj)
	if o.ext {
		e.escape(s, v)
	}
	o.cells[k] = v
	o.cells["k"+k] = kv
}

// next advances a range iterator: over a map whose entries are all known,
// entry by entry; otherwise by an unknown answer, bounded as loops are.
func (e *engine) next(s *state, f *frame, in *ssa.Next) value {
	it, ok := e.val(s, f, in.Iter).(refV)
	if !ok {
		return tupleV{[]value{s.newSym(), s.newSym(), s.newSym()}}
	}
	io := s.heap[it.obj]
	m, ok := io.cells["x"].(refV)
	if in.IsString || !ok {
		return tupleV{[]value{s.newSym(), s.newSym(), s.newSym()}}
	}
	o := s.heap[m.obj]
	if o == nil || o.kind != objMap || o.ext || o.cells["[*]"] != nil {
		return tupleV{[]value{s.newSym(), s.newSym(), e.lostElem(s, m.obj)}}
	}
	var ks []string
	for _, k := range slices.Sorted(maps.Keys(o.cells)) {
		if k[0] == '{' {
			ks = append(ks, k)
		}
	}
	i, _ := constInt(io.cells["i"])
	if int(i) >= len(ks) {
		return tupleV{[]value{falseV, unknownNil, unknownNil}}
	}
	s.obj(it.obj).cells["i"] = intV(i + 1)
	k := ks[i]
	return tupleV{[]value{trueV, o.cells["k"+k], o.cells[k]}}
}

func (e *engine) typeAssert(s *state, f *frame, in *ssa.TypeAssert) value {
	x := e.val(s, f, in.X)
	var v value = s.newSym()
	var ok value = s.newSym()
	if iv, isIface := x.(ifaceV); isIface {
		match := false
		if types.IsInterface(in.AssertedType) {
			match = types.Implements(iv.t, in.AssertedType.Underlying().(*types.Interface))
			v = iv
		} else {
			match = types.Identical(iv.t, in.AssertedType)
			v = iv.v
		}
		ok = boolV(match)
		if !match {
			v = zero(in.AssertedType)
		}
	} else if _, isNil := x.(nilV); isNil {
		ok, v = falseV, zero(in.AssertedType)
	}
	if in.CommaOk {
		return tupleV{[]value{v, ok}}
	}
	if b, known := constBool(ok); known && !b {
		s.dead = true // a failed assertion panics
	}
	return v
}

// escape marks the objects reachable from v as external: code the
// scenario does not see may now use them.
func (e *engine) escape(s *state, v value) {
	var walk func(v value, depth int)
	walk = func(v value, depth int) {
		if depth > 16 {
			return
		}
		switch v := v.(type) {
		case refV:
			o := s.heap[v.obj]
			if o == nil || o.ext {
				return
			}
			o = s.obj(v.obj)
			o.ext = true
			for _, k := range slices.Sorted(maps.Keys(o.cells)) {
				walk(o.cells[k], depth+1)
			}
			if o.kind == objCtx && o.ctx != nil && o.ctx.done != 0 {
				walk(refV{obj: o.ctx.done}, depth+1)
			}
		case funcV:
			if v.env != 0 {
				walk(refV{obj: v.env}, depth+1)
			}
		case ifaceV:
			walk(v.v, depth+1)
		case aggrV:
			for _, x := range v.fields {
				walk(x, depth+1)
			}
		case tupleV:
			for _, x := range v.vs {
				walk(x, depth+1)
			}
		case intrinsicV:
			walk(refV{obj: v.obj}, depth+1)
		}
	}
	walk(v, 0)
}
