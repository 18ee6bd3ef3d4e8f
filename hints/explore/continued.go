package explore

import (
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

// Continued scenarios. A constructor that starts a goroutine and returns
// the object it works on hands its caller an object already in use: every
// method the caller then calls runs alongside that goroutine. A continued
// scenario explores the constructor, and then, from the root's goroutine
// while the goroutines it started still run, one exported method on the
// object it returned, with unknown arguments. Methods of an object that
// its constructor does not share with a goroutine are left alone: whether
// callers may call them concurrently is theirs to say.

// maxThen bounds the methods continued after one constructor.
const maxThen = 8

// Continuations lists the methods worth continuing root with: when root is
// a function of the package (not a method) whose first result is a
// pointer to a struct type T declared in the package, T's exported methods
// with pointer receivers, in source order.
func Continuations(m *model.Model, root *ssa.Function) []*ssa.Function {
	if root == nil || root.Signature.Recv() != nil || root.Parent() != nil || root.Signature.Results().Len() == 0 {
		return nil
	}
	ptr, ok := root.Signature.Results().At(0).Type().(*types.Pointer)
	if !ok {
		return nil
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok || named.Obj().Pkg() != m.Pkg || named.TypeParams().Len() > 0 {
		return nil
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return nil
	}
	var out []*ssa.Function
	mset := root.Prog.MethodSets.MethodSet(ptr)
	for i := range mset.Len() {
		sel := mset.At(i)
		if !sel.Obj().Exported() || len(sel.Index()) > 1 {
			continue // promoted from an embedded field: its type's business
		}
		fn := root.Prog.MethodValue(sel)
		if fn == nil || fn.Blocks == nil || fn.Synthetic != "" {
			continue
		}
		if _, ptrRecv := fn.Signature.Recv().Type().(*types.Pointer); ptrRecv {
			out = append(out, fn)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	if len(out) > maxThen {
		out = out[:maxThen]
	}
	return out
}

// continueWith, at the return of a continued scenario's root from
// goroutine 0 with results vs, calls the scenario's method on the first
// result, and reports whether it did: only when some goroutine the root
// started still runs, for otherwise the call races with nothing.
func (e *engine) continueWith(s *state, vs []value, last *frame) bool {
	if e.then == nil || last.fn != e.res.Root || len(vs) == 0 {
		return false
	}
	recv, ok := unwrap(vs[0]).(refV)
	if !ok {
		return false
	}
	alive := false
	for _, g := range s.gs[1:] {
		alive = alive || !g.done
	}
	if !alive {
		return false
	}
	for _, v := range vs[1:] {
		e.escape(s, v) // what else the root returns goes to its caller
	}
	args := []value{recv}
	for range e.then.Params[1:] {
		args = append(args, s.newSym())
	}
	e.push(s, 0, e.then, 0, args, nil, false)
	s.record(0, "calls "+e.then.Name(), e.then.Pos())
	return true
}

// inThen reports whether goroutine gi runs the method of a continued
// scenario.
func (e *engine) inThen(s *state, gi int) bool {
	return gi == 0 && e.then != nil && len(s.gs[0].frames) > 0 && s.gs[0].frames[0].fn == e.then
}
