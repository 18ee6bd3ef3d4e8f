package explore

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Callbacks that library functions run on goroutines of their own:
// context.AfterFunc runs its function once the context is done, and
// net/http runs a handler for every request, many at once. The engine
// starts them as goroutines of the scenario, so that what they access is
// checked against the code that handed them out (and, for handlers,
// against the other requests).

// libraryCall names the library functions that run a callback on a
// goroutine of their own, with the index of the callback (or handler)
// among the call's arguments, the receiver first.
func libraryCall(pkg, recv, name string) (arg int, ok bool) {
	switch pkg + "." + recv + "." + name {
	case "context..AfterFunc", "net/http..ListenAndServe", "net/http..Serve", "net/http..ServeTLS",
		"net/http..HandleFunc", "net/http..Handle":
		return 1, true
	case "net/http.ServeMux.HandleFunc", "net/http.ServeMux.Handle":
		return 2, true
	case "net/http..ListenAndServeTLS":
		return 3, true
	case "net/http/httptest..NewServer", "net/http/httptest..NewTLSServer":
		return 0, true
	}
	return 0, false
}

// handlerInstances is how many requests the engine serves at once per
// handler: two are enough for their accesses to race.
const handlerInstances = 2

// library runs a call of a library function that libraryCall lists.
func (e *engine) library(s *state, gi int, pkg string, arg int, args []value, pos token.Pos) {
	if arg >= len(args) {
		return
	}
	if pkg == "context" {
		e.ctxAfterFunc(s, gi, args[0], args[1], pos)
		return
	}
	// net/http keeps the handler and calls it from goroutines of its own,
	// as often as requests come: what it reaches escapes.
	h := args[arg]
	e.external(s, args)
	f, recv, ok := e.handler(h)
	if !ok || len(s.gs)+handlerInstances > maxGors {
		return
	}
	for range handlerInstances {
		// Every request has a writer and a request of its own.
		e.start(s, gi, f, append(slices.Clone(recv), s.newSym(), s.newSym()), pos, "")
	}
}

// handler is the function a handler value runs for a request, with the
// receiver it takes: a function (converted to http.HandlerFunc or passed
// to HandleFunc) or the ServeHTTP method of its dynamic type.
func (e *engine) handler(h value) (funcV, []value, bool) {
	switch h := h.(type) {
	case funcV:
		return h, nil, h.fn != nil && h.fn.Blocks != nil
	case ifaceV:
		if f, ok := h.v.(funcV); ok {
			return e.handler(f)
		}
		fn := e.method(h.t, "ServeHTTP")
		if fn == nil || fn.Blocks == nil {
			return funcV{}, nil, false
		}
		return funcV{fn: fn}, []value{h.v}, true
	}
	return funcV{}, nil, false
}

// method is the exported method name of type t, if the program has it.
func (e *engine) method(t types.Type, name string) (fn *ssa.Function) {
	defer func() {
		if recover() != nil {
			fn = nil
		}
	}()
	return e.prog.LookupMethod(t, nil, name)
}

// ctxAfterFunc registers f to run on a goroutine of its own once context
// ctx is done: at once when it is already, or when code outside the
// scenario may cancel it at any time (a deadline, a parent the scenario
// did not make); at the cancel otherwise, which then happens before f
// starts. A context that is never cancelled never runs f.
func (e *engine) ctxAfterFunc(s *state, gi int, ctx, fv value, pos token.Pos) {
	f, ok := fv.(funcV)
	if !ok || f.fn == nil || f.fn.Blocks == nil {
		e.external(s, []value{fv})
		return
	}
	r, ok := unwrap(ctx).(refV)
	var c *ctxState
	if ok && s.heap[r.obj] != nil {
		c = s.heap[r.obj].ctx
	}
	switch {
	case c == nil || c.cancelled || c.timeout:
		if c != nil {
			s.acquire(gi, ctxKey(r.obj))
		}
		e.start(s, gi, f, nil, pos, "")
	case c.cancellable:
		o := s.obj(r.obj)
		o.ctx.after = append(slices.Clip(o.ctx.after), afterFunc{f: f, pos: pos})
	}
}

// afterFunc is a function context.AfterFunc runs when its context is
// cancelled.
type afterFunc struct {
	f   funcV
	pos token.Pos
}

// runAfterFuncs starts, from goroutine gi that cancelled context id, the
// functions registered on it.
func (e *engine) runAfterFuncs(s *state, gi int, id objID) {
	after := s.heap[id].ctx.after
	if len(after) == 0 {
		return
	}
	s.obj(id).ctx.after = nil
	for _, a := range after {
		e.start(s, gi, a.f, nil, a.pos, "")
	}
}

// spawnsInLibrary reports whether fn calls a library function that runs
// a callback of the package on a goroutine of its own, or runs a
// parallel subtest.
func spawnsInLibrary(fn *ssa.Function) bool {
	return calls(fn, func(c *ssa.CallCommon, pkg, recv, name string) bool {
		if _, ok := libraryCall(pkg, recv, name); ok {
			return true
		}
		if pkg+"."+recv+"."+name != "testing.T.Run" || len(c.Args) < 3 {
			return false
		}
		sub, ok := c.Args[2].(*ssa.Function)
		if mc, isClosure := c.Args[2].(*ssa.MakeClosure); isClosure {
			sub, ok = mc.Fn.(*ssa.Function)
		}
		return ok && calls(sub, func(_ *ssa.CallCommon, pkg, recv, name string) bool {
			return pkg+"."+recv+"."+name == "testing.T.Parallel"
		})
	})
}

// calls reports whether fn makes a static call that match accepts.
func calls(fn *ssa.Function, match func(c *ssa.CallCommon, pkg, recv, name string) bool) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			if callee := c.Call.StaticCallee(); callee != nil {
				pkg, recv, name := funcIdent(callee)
				if match(&c.Call, pkg, recv, name) {
					return true
				}
			}
		}
	}
	return false
}
