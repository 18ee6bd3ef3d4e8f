package explore

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Calls. A function with a body in the package runs in a new frame; the
// synchronisation primitives of the standard library (sync, context,
// time, errgroup, testing) are modelled here; any other function is
// external: its results are unknown and what it is given escapes.

// invokeV is an interface method bound to its receiver (a call of
// recv.m(...) in invoke mode, or a deferred one).
type invokeV struct {
	recv value
	m    *types.Func
}

// builtinV is a built-in function (len, close, append, ...).
type builtinV struct{ name string }

// callee evaluates what call c runs and its arguments.
func (e *engine) callee(s *state, f *frame, c *ssa.CallCommon) (value, []value) {
	args := make([]value, len(c.Args))
	for i, a := range c.Args {
		args[i] = e.val(s, f, a)
	}
	if c.IsInvoke() {
		return invokeV{e.val(s, f, c.Value), c.Method}, args
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return builtinV{b.Name()}, args
	}
	return e.val(s, f, c.Value), args
}

// call runs the call instruction at goroutine gi's pc.
func (e *engine) call(s *state, gi int, in *ssa.Call) []*state {
	fn, args := e.callee(s, s.top(gi), in.Common())
	e.callValue(s, gi, fn, args, in, in.Pos(), false)
	return nil
}

// callValue calls fn with args from goroutine gi. result is the
// instruction receiving the results (nil for a deferred call, which sets
// deferRun: the caller then stays at the instruction running its defers).
func (e *engine) callValue(s *state, gi int, fn value, args []value, result *ssa.Call, pos token.Pos, deferRun bool) {
	done := func(v value) { e.result(s, gi, result, v, deferRun) }
	switch fn := fn.(type) {
	case builtinV:
		done(e.builtin(s, gi, fn.name, args, result, pos))
		return
	case intrinsicV:
		if fn.kind == intrCancel {
			e.cancel(s, fn.obj, gi, pos)
		}
		done(nil)
		return
	case invokeV:
		if target := e.dispatch(fn); target != nil {
			e.callValue(s, gi, funcV{fn: target}, append([]value{unwrap(fn.recv)}, args...), result, pos, deferRun)
			return
		}
		if isContextMethod(fn.m) {
			done(e.ctxMethod(s, fn.recv, fn.m.Name()))
			return
		}
		e.external(s, append([]value{fn.recv}, args...))
		done(e.unknownResult(s, result))
		return
	case funcV:
		if fn.fn == nil {
			break
		}
		if e.intrinsic(s, gi, fn.fn, args, result, pos, deferRun) {
			return
		}
		if fn.fn.Blocks != nil && e.mayEnter(s, gi, fn.fn) {
			e.push(s, gi, fn.fn, fn.env, args, result, deferRun)
			return
		}
	}
	e.external(s, append([]value{fn}, args...))
	done(e.unknownResult(s, result))
}

// result completes a call that did not push a frame.
func (e *engine) result(s *state, gi int, result *ssa.Call, v value, deferRun bool) {
	if s.dead || s.gs[gi].done || s.gs[gi].pend != nil || deferRun {
		return
	}
	f := s.top(gi)
	if result != nil && v != nil {
		f.regs[result] = v
	}
	f.pc++
}

// unknownResult is what an external call returns: unknown values.
func (e *engine) unknownResult(s *state, result *ssa.Call) value {
	if result == nil {
		return nil
	}
	if t, ok := result.Type().(*types.Tuple); ok {
		vs := make([]value, t.Len())
		for i := range vs {
			vs[i] = s.newSym()
		}
		return tupleV{vs}
	}
	return s.newSym()
}

// external is a call the engine does not follow: everything reachable
// from its arguments escapes.
func (e *engine) external(s *state, args []value) {
	for _, a := range args {
		e.escape(s, a)
	}
}

// mayEnter bounds the call depth and recursion.
func (e *engine) mayEnter(s *state, gi int, fn *ssa.Function) bool {
	frames := s.gs[gi].frames
	if len(frames) >= maxDepth {
		return false
	}
	n := 0
	for _, f := range frames {
		if f.fn == fn {
			n++
		}
	}
	return n < 2
}

// push calls fn in a new frame of goroutine gi.
func (e *engine) push(s *state, gi int, fn *ssa.Function, env objID, args []value, result *ssa.Call, deferRun bool) {
	f := newFrame(s, fn, env, args)
	if result != nil {
		f.result = result
	}
	f.deferRun = deferRun
	g := s.g(gi)
	g.frames = append(g.frames, f)
}

func newFrame(s *state, fn *ssa.Function, env objID, args []value) *frame {
	f := &frame{
		own: s.gen, fn: fn, block: fn.Blocks[0], pred: -1, env: env,
		regs:   make(map[ssa.Value]value, 16),
		visits: map[*ssa.BasicBlock]int{},
		forks:  map[*ssa.BasicBlock]int{},
	}
	for i, p := range fn.Params {
		if i < len(args) && args[i] != nil {
			f.regs[p] = args[i]
		} else {
			f.regs[p] = s.newSym()
		}
	}
	return f
}

// dispatch finds the method an interface call runs, when the engine knows
// the receiver's dynamic type.
func (e *engine) dispatch(iv invokeV) (fn *ssa.Function) {
	i, ok := iv.recv.(ifaceV)
	if !ok {
		return nil
	}
	defer func() {
		if recover() != nil {
			fn = nil
		}
	}()
	return e.prog.LookupMethod(i.t, iv.m.Pkg(), iv.m.Name())
}

func unwrap(v value) value {
	if i, ok := v.(ifaceV); ok {
		return i.v
	}
	return v
}

// spawn starts the goroutine of a go statement.
func (e *engine) spawn(s *state, gi int, in *ssa.Go) {
	fn, args := e.callee(s, s.top(gi), in.Common())
	if iv, ok := fn.(invokeV); ok {
		if target := e.dispatch(iv); target != nil {
			fn, args = funcV{fn: target}, append([]value{unwrap(iv.recv)}, args...)
		}
	}
	f, ok := fn.(funcV)
	if !ok || f.fn == nil || f.fn.Blocks == nil {
		e.external(s, append([]value{fn}, args...))
		return
	}
	e.start(s, gi, f, args, in.Pos(), "")
}

// start adds a goroutine running f(args), counted by group if set.
func (e *engine) start(s *state, gi int, f funcV, args []value, pos token.Pos, group string) {
	if len(s.gs) >= maxGors {
		e.over = true
		s.dead = true
		return
	}
	e.startFrame(s, gi, newFrame(s, f.fn, f.env, args), pos, group)
}

// startFrame adds a goroutine that runs frame fr from where it is.
func (e *engine) startFrame(s *state, gi int, fr *frame, pos token.Pos, group string) {
	if len(s.gs) >= maxGors {
		e.over = true
		s.dead = true
		return
	}
	g := &gor{own: s.gen, id: len(s.gs), start: pos, fn: fr.fn, group: group}
	g.frames = []*frame{fr}
	// The go statement happens before the goroutine starts (and so does
	// what its starter's speculative receives may have ordered).
	g.clock = s.gs[gi].clock
	g.spec = s.gs[gi].spec
	g.clock[g.id] = 1
	s.gs = append(s.gs, g)
	s.tick(gi)
	if group != "" {
		s.sync(group).count++
	}
	s.record(gi, "starts a goroutine", pos)
}

// addrKey is the address of a synchronisation object: the cell a pointer
// to it designates.
func (e *engine) addrKey(s *state, v value) string {
	switch v := v.(type) {
	case refV:
		return key(v)
	case ifaceV:
		return e.addrKey(s, v.v)
	case symV:
		return key(refV{obj: s.extObj(v)})
	}
	return ""
}

// funcIdent names a function for the intrinsic table: its package path,
// receiver type name and name.
func funcIdent(fn *ssa.Function) (pkg, recv, name string) {
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return "", "", fn.Name()
	}
	if sig, ok := obj.Type().(*types.Signature); ok && sig.Recv() != nil {
		if n, ok := deref(sig.Recv().Type()).(*types.Named); ok {
			recv = n.Obj().Name()
		}
	}
	return obj.Pkg().Path(), recv, obj.Name()
}

func isContextMethod(m *types.Func) bool {
	return m.Pkg() != nil && m.Pkg().Path() == "context"
}
