package model

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// FlowKind says where a value goes other than into the operations made on
// it: a cancel func that is not called here may be handed to someone who
// calls it.
type FlowKind uint8

const (
	FlowReturned FlowKind = iota + 1 // returned to the function's caller
	FlowStored                       // stored in a field, package variable, map or slice element
	FlowPassed                       // passed as an argument to a call (not called)
)

// Flow is one place a value goes.
type Flow struct {
	Kind FlowKind
	Pos  token.Pos
	Func *Func // the function where it goes
	// Path is where a FlowStored value is stored: the map itself when
	// InMap is set (m[k] = v).
	Path  Path
	InMap bool
	// Callee is the function a FlowPassed value is passed to, when static.
	Callee *ssa.Function
}

// maxFlowValues bounds the values followed per flow question.
const maxFlowValues = 200

// flowsOf follows v (a value of f) through local variables, closures that
// capture it, phis and conversions, and lists where it leaves: returns,
// stores into memory that outlives the call, and arguments of calls other
// than calls of v itself.
func (m *Model) flowsOf(v ssa.Value) []Flow {
	var out []Flow
	seen := make(map[ssa.Value]bool)
	work := []ssa.Value{v}
	push := func(x ssa.Value) {
		if !seen[x] && len(seen) < maxFlowValues {
			seen[x] = true
			work = append(work, x)
		}
	}
	seen[v] = true
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			f := m.FuncOf(r.Parent())
			switch r := r.(type) {
			case *ssa.Return:
				out = append(out, Flow{Kind: FlowReturned, Pos: InstrPos(r), Func: f})
			case *ssa.Store:
				if r.Val != x {
					continue
				}
				if cell := m.cellOf(r.Addr); cell != nil {
					m.followCell(cell, push)
					continue
				}
				p, _ := m.PathOf(r.Addr)
				out = append(out, Flow{Kind: FlowStored, Pos: r.Pos(), Func: f, Path: p})
			case *ssa.MapUpdate:
				if r.Value == x {
					p, _ := m.PathOf(r.Map)
					out = append(out, Flow{Kind: FlowStored, Pos: r.Pos(), Func: f, Path: p, InMap: true})
				}
			case ssa.CallInstruction:
				c := r.Common()
				if c.Value == x {
					continue // a call of the value itself
				}
				for _, a := range c.Args {
					if a == x {
						pos := c.Pos()
						if !pos.IsValid() {
							pos = r.Pos()
						}
						out = append(out, Flow{Kind: FlowPassed, Pos: pos, Func: f, Callee: c.StaticCallee()})
						break
					}
				}
			case *ssa.MakeClosure:
				fn := r.Fn.(*ssa.Function)
				for i, b := range r.Bindings {
					if b == x && i < len(fn.FreeVars) {
						push(fn.FreeVars[i])
					}
				}
			case *ssa.Phi, *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface:
				push(r.(ssa.Value))
			case *ssa.UnOp:
				if r.Op == token.MUL {
					push(r) // a load of a cell (a captured variable) holding it
				}
			}
		}
	}
	return out
}

// followCell pushes the loads of a local variable cell, in its function and
// in the closures that capture it.
func (m *Model) followCell(cell *ssa.Alloc, push func(ssa.Value)) {
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		refs := v.Referrers()
		if refs == nil || depth > 4 {
			return
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.UnOp:
				if r.Op == token.MUL {
					push(r)
				}
			case *ssa.MakeClosure:
				fn := r.Fn.(*ssa.Function)
				for i, b := range r.Bindings {
					if b == v && i < len(fn.FreeVars) {
						visit(fn.FreeVars[i], depth+1)
					}
				}
			}
		}
	}
	visit(cell, 0)
}

// Flows lists where the cancel func made by an OpWithCancel goes besides
// being called: returned to the caller, stored, passed on. A cancel func
// that is never called here is not lost when it is handed to the caller.
func (op *Op) Flows() []Flow { return op.flows }

// collectFlows records the flows of the values the model reports on.
func (m *Model) collectFlows() {
	for _, op := range m.Ops {
		if op.Kind != OpWithCancel {
			continue
		}
		if call, ok := op.Instr.(*ssa.Call); ok {
			if cancel := extractOf(call, 1); cancel != nil {
				op.flows = m.flowsOf(cancel)
			}
		}
	}
}
