package explore

import (
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Contexts, timers and built-in functions.

// newCtx makes a context derived from parent (nil for Background). A
// context derived from one the scenario did not make can be cancelled by
// code outside it at any time, like one with a deadline.
func (e *engine) newCtx(s *state, parent value, site ssa.Instruction) objID {
	id, o := s.newObj(objCtx, site)
	o.ctx = &ctxState{}
	if parent == nil {
		return id
	}
	p, ok := unwrap(parent).(refV)
	if !ok || s.heap[p.obj] == nil || s.heap[p.obj].ctx == nil {
		o.ctx.timeout = true
		return id
	}
	pc := s.heap[p.obj].ctx
	o.ctx.parent = p.obj
	o.ctx.timeout = pc.timeout
	o.ctx.cancelled = pc.cancelled
	o.ctx.cancellable = pc.cancellable
	return id
}

// ctxMethod runs a method of context.Context on recv.
func (e *engine) ctxMethod(s *state, recv value, name string) value {
	r, ok := unwrap(recv).(refV)
	var c *ctxState
	if ok && s.heap[r.obj] != nil {
		c = s.heap[r.obj].ctx
	}
	switch name {
	case "Done":
		if c == nil {
			// A context from outside: its Done channel is external.
			id, o := s.newObj(objChan, nil)
			o.ch = &chanState{timer: true}
			o.ext = true
			return refV{obj: id}
		}
		if !c.cancellable && !c.timeout {
			return unknownNil // Background: Done is nil, it never closes
		}
		if c.done == 0 {
			id, o := s.newObj(objChan, nil)
			o.ch = &chanState{closed: c.cancelled, timer: c.timeout, ctx: r.obj}
			s.obj(r.obj).ctx.done = id
		}
		return refV{obj: s.heap[r.obj].ctx.done}
	case "Err":
		switch {
		case c != nil && c.cancelled:
			return intrinsicV{kind: intrErr}
		case c != nil && !c.timeout:
			return unknownNil
		}
	}
	return s.newSym()
}

// cancel cancels context id and those derived from it.
func (e *engine) cancel(s *state, id objID, gi int, pos token.Pos) {
	o := s.heap[id]
	if o == nil || o.ctx == nil || o.ctx.cancelled {
		return
	}
	s.obj(id).ctx.cancelled = true
	s.release(gi, ctxKey(id))
	e.runAfterFuncs(s, gi, id)
	if d := s.heap[id].ctx.done; d != 0 {
		s.obj(d).ch.closed = true
	}
	s.record(gi, "cancels the context", pos)
	for _, k := range slices.Sorted(maps.Keys(s.heap)) {
		if c := s.heap[k].ctx; c != nil && c.parent == id {
			e.cancel(s, k, gi, pos)
		}
	}
}

func (e *engine) timerChan(s *state, site ssa.Instruction) objID {
	id, o := s.newObj(objChan, site)
	o.ch = &chanState{cap: 1, timer: true}
	return id
}

// builtin runs a built-in function.
func (e *engine) builtin(s *state, gi int, name string, args []value, result *ssa.Call, pos token.Pos) value {
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	switch name {
	case "close":
		r, ok := arg(0).(refV)
		if !ok {
			switch x := arg(0).(type) {
			case nilV:
				s.dead = true // close of nil channel panics
			case symV:
				// A channel from outside: receivers in the scenario
				// that see the close may be ordered after it (extSync).
				s.release(gi, e.extChanKey(s, x)+"close")
			}
			return nil
		}
		o := s.heap[r.obj]
		if o == nil || o.ch == nil {
			return nil
		}
		if o.ch.closed && !o.ext {
			s.dead = true // close of closed channel panics
			return nil
		}
		s.obj(r.obj).ch.closed = true
		s.release(gi, chanKey(r.obj)+"close")
		what := " the channel"
		if result != nil && len(result.Call.Args) > 0 {
			if n := e.name(result.Call.Args[0]); n != "" {
				what = " " + n
			}
		}
		s.record(gi, "closes"+what, pos)
	case "len", "cap":
		switch x := arg(0).(type) {
		case refV:
			o := s.heap[x.obj]
			if o == nil || o.ext {
				break
			}
			if o.ch != nil {
				if name == "len" {
					return intV(int64(len(o.ch.buf)))
				}
				return intV(int64(o.ch.cap))
			}
			if o.kind == objSlice && o.length >= 0 {
				return intV(o.length)
			}
			if o.kind == objSlice {
				if o.lenSym == 0 {
					s.obj(x.obj).lenSym = symID(s.newSym())
				}
				return symV(s.heap[x.obj].lenSym)
			}
		case nilV:
			return intV(0)
		case symV:
			// The length of an unknown slice: the same unknown each time,
			// so that two loops over it run as many times.
			if _, isStr := result.Call.Args[0].Type().Underlying().(*types.Basic); !isStr {
				id := s.extObj(x)
				if s.heap[id].lenSym == 0 {
					s.obj(id).lenSym = symID(s.newSym())
				}
				return symV(s.heap[id].lenSym)
			}
		case constV:
			if x.c != nil && x.c.Kind() == constant.String {
				return intV(int64(len(constant.StringVal(x.c))))
			}
		}
		return s.newSym()
	case "append":
		return e.appendTo(s, arg(0), args[1:], result)
	case "copy", "clear", "print", "println", "delete":
		if name == "delete" {
			if r, ok := arg(0).(refV); ok {
				if k, ok := mapKey(arg(1)); ok && s.heap[r.obj] != nil {
					o := s.obj(r.obj)
					delete(o.cells, k)
					delete(o.cells, "k"+k)
				}
			}
		}
		if name == "copy" {
			return s.newSym()
		}
		return nil
	case "recover":
		return unknownNil
	}
	if result != nil {
		return s.newSym()
	}
	return nil
}

// appendTo appends vs (one slice argument, spread) to slice x.
func (e *engine) appendTo(s *state, x value, vs []value, result *ssa.Call) value {
	var id objID
	switch x := x.(type) {
	case refV:
		id = x.obj
	case nilV:
		nid, o := s.newObj(objSlice, result)
		o.length = 0
		id = nid
	default:
		for _, v := range vs {
			e.escape(s, v)
		}
		return s.newSym()
	}
	o := s.heap[id]
	if o == nil || o.kind != objSlice {
		return s.newSym()
	}
	// The spread argument is itself a slice: its elements join x's.
	if len(vs) == 1 {
		if src, ok := vs[0].(refV); ok {
			if so := s.heap[src.obj]; so != nil && so.kind == objSlice && !so.ext && so.length >= 0 && o.length >= 0 && !o.ext {
				no := s.obj(id)
				for i := int64(0); i < so.length; i++ {
					no.cells[elemPath("", intV(no.length))] = so.cells[elemPath("", intV(i))]
					no.length++
				}
				return refV{obj: id}
			}
		}
		e.escape(s, vs[0])
	}
	no := s.obj(id)
	if no.length < 0 || no.ext {
		e.escape(s, vs[0])
		no.length = -1
		return refV{obj: id}
	}
	return refV{obj: id}
}

// atomic runs an operation of sync/atomic on the value at p (a pointer,
// or an atomic type's receiver): the engine keeps the value, so that a
// Load sees the Store that ran before it.
func (e *engine) atomic(s *state, name string, p, x, y value, result *ssa.Call) value {
	r, ok := p.(refV)
	o := s.heap[r.obj]
	if !ok || o == nil || result == nil {
		return e.unknownResult(s, result)
	}
	cell := r.path + "#atomic"
	cur, known := o.cells[cell]
	if !known {
		if o.ext {
			cur = s.newSym()
		} else if t, ok := result.Type().(*types.Tuple); !ok || t.Len() > 0 {
			cur = zero(result.Type())
		}
	}
	set := func(v value) { s.obj(r.obj).cells[cell] = v }
	switch {
	case strings.HasPrefix(name, "Load"):
		return cur
	case strings.HasPrefix(name, "Store"):
		set(x)
		return nil
	case strings.HasPrefix(name, "Add"):
		n := binop(s, token.ADD, cur, x)
		if _, ok := n.(constV); !ok {
			n = s.newSym()
		}
		set(n)
		return n
	case strings.HasPrefix(name, "Swap"):
		set(x)
		return cur
	case strings.HasPrefix(name, "CompareAndSwap"):
		eq := binop(s, token.EQL, cur, x)
		if b, ok := constBool(eq); ok {
			if b {
				set(y)
			}
			return boolV(b)
		}
		set(s.newSym())
		return s.newSym()
	}
	set(s.newSym())
	return e.unknownResult(s, result)
}
