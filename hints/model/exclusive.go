package model

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Operations on one object that never both run: they sit on branches of
// one run of a function that exclude each other (the cases of a switch
// that each start one goroutine, "close(x); return" against installing a
// callback that closes x on the other path), or the second one runs only
// where its object was tested to differ from the first one's.

// ExclusiveUses reports whether uses a and b of channel c never both run
// for one channel: in the lowest goroutine that leads to both, which runs
// once per channel, the calls and go statements that lead to them part
// (in one function, after any calls they share) at instructions on
// branches that exclude each other (neither can run after the other).
func ExclusiveUses(c *Chan, a, b *ChanUse) bool {
	l := commonCtx(a.Ctx, b.Ctx)
	if l == nil || l.ManyBelow(c.Ctxs[0]) {
		return false
	}
	ca, cb := chainIn(a, l), chainIn(b, l)
	for i := 0; i < len(ca) && i < len(cb); i++ {
		x, y := ca[i], cb[i]
		if x == y {
			continue // one call leading to both: they part below it
		}
		return x.Parent() == y.Parent() && !Reaches(x, y) && !Reaches(y, x)
	}
	return false
}

// commonCtx returns the lowest goroutine context both a and b descend from.
func commonCtx(a, b *ChanCtx) *ChanCtx {
	for x := a; x != nil; x = x.Parent {
		if b.Descends(x) {
			return x
		}
	}
	return nil
}

// chainIn returns the instructions, from ancestor l's function down, that
// lead to use u: the calls to u's operation when u runs in l, else the
// calls to the go statement that leads to u's goroutine, and that
// statement.
func chainIn(u *ChanUse, l *ChanCtx) []ssa.Instruction {
	if u.Ctx == l {
		return append(append([]ssa.Instruction(nil), u.Via...), u.Op.Instr)
	}
	for x := u.Ctx; x != nil; x = x.Parent {
		if x.Parent == l {
			return x.Via
		}
	}
	return nil
}

// ExclusiveSites reports whether operations a and b, in different
// functions, never both run for one call of the function enclosing both: a
// function literal stands for the place that makes it, and those places
// (or a and b themselves) are on branches that exclude each other. They
// must act on one object per call (the same path, rooted in that
// function's frame but not at its receiver, which outlives the call) for
// that to mean one operation per object.
func (m *Model) ExclusiveSites(a, b *Op) bool {
	if !a.Path.Valid() || a.Path.Key() != b.Path.Key() {
		return false
	}
	p := a.Path
	x, y := a.Instr, b.Instr
	for range 8 {
		if x.Parent() == y.Parent() {
			break
		}
		switch {
		case encloses(y.Parent(), x.Parent()):
			if x = m.madeAt(x.Parent()); x == nil {
				return false
			}
		case encloses(x.Parent(), y.Parent()):
			if y = m.madeAt(y.Parent()); y == nil {
				return false
			}
		default:
			return false
		}
	}
	fn := x.Parent()
	if fn != y.Parent() || x == y || !perCall(p, fn) {
		return false
	}
	return !Reaches(x, y) && !Reaches(y, x)
}

// madeAt returns the MakeClosure of function literal fn, or nil.
func (m *Model) madeAt(fn *ssa.Function) ssa.Instruction {
	if mc := m.closures[fn]; mc != nil {
		return mc
	}
	return nil
}

// perCall reports whether p is rooted in fn's frame at something other
// than its receiver: a parameter or a value made by the call.
func perCall(p Path, fn *ssa.Function) bool {
	if p.Root.Frame != fn {
		return false
	}
	switch p.Root.Kind {
	case RootParam:
		return fn.Signature.Recv() == nil || p.Root.Param > 0
	case RootValue:
		return spilledParam(p.Root.Value) != 0 || fn.Signature.Recv() == nil
	}
	return false
}

// Distinct reports whether x and y are certainly different objects at in:
// in runs only where a test "x != y" held (or "x == y" failed).
func (m *Model) Distinct(x, y ssa.Value, in ssa.Instruction) bool {
	same := func(u, v ssa.Value) bool {
		if u == v {
			return true
		}
		pu, ok1 := m.PathOf(u)
		pv, ok2 := m.PathOf(v)
		return ok1 && ok2 && !pu.Elem && pu.Key() == pv.Key()
	}
	for d := in.Block().Idom(); d != nil; d = d.Idom() {
		br, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := br.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.NEQ && cmp.Op != token.EQL {
			continue
		}
		if !(same(cmp.X, x) && same(cmp.Y, y) || same(cmp.X, y) && same(cmp.Y, x)) {
			continue
		}
		// in runs only after the edge taken when they differ.
		edge := d.Succs[0]
		if cmp.Op == token.EQL {
			edge = d.Succs[1]
		}
		if len(edge.Preds) == 1 && edge.Dominates(in.Block()) {
			return true
		}
	}
	return false
}
