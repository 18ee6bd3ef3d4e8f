package model

import (
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A nil channel never delivers: a receive from it blocks forever and a
// select case on it is never taken. Loops that retire a channel by setting
// its variable to nil ("close(out); in = nil; continue") rely on that to
// make the code after the receive unreachable.

// ReachesPastNil reports whether b can run after a on some path that does
// not need a receive from a channel variable the path itself set to nil
// (a local variable, captured or not, assigned nil after a and not
// reassigned before the receive).
func ReachesPastNil(a, b ssa.Instruction) bool {
	if a.Parent() != b.Parent() {
		return false
	}
	start := -1
	for i, in := range a.Block().Instrs {
		if in == a {
			start = i + 1
		}
	}
	if start < 0 {
		return false
	}
	type item struct {
		b   *ssa.BasicBlock
		i   int
		nil nilState
	}
	work := []item{{a.Block(), start, nilState{}}}
	seen := map[string]bool{}
	for len(work) > 0 && len(seen) < 4096 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		st := it.nil.clone()
		blocked := false
		for _, in := range it.b.Instrs[it.i:] {
			if in == b {
				return true
			}
			switch in := in.(type) {
			case *ssa.Store:
				if isCell(in.Addr) {
					st.cells[in.Addr] = isNilConst(in.Val)
				}
			case *ssa.UnOp:
				switch in.Op {
				case token.MUL:
					if st.cells[in.X] {
						st.vals[in] = true
					}
				case token.ARROW:
					if st.vals[in.X] {
						blocked = true // blocks forever
					}
				}
			case *ssa.Select:
				var off []int
				for i, s := range in.States {
					if st.vals[s.Chan] {
						off = append(off, i)
					}
				}
				st.selects[in] = off
			}
			if blocked {
				break
			}
		}
		if blocked {
			continue
		}
		for i, s := range it.b.Succs {
			if st.caseDisabled(it.b, i) {
				continue
			}
			next := st.clone()
			for _, in := range s.Instrs {
				phi, ok := in.(*ssa.Phi)
				if !ok {
					break
				}
				for k, p := range s.Preds {
					if p == it.b {
						next.vals[phi] = isNilConst(phi.Edges[k]) || next.vals[phi.Edges[k]]
					}
				}
			}
			key := next.key(s)
			if !seen[key] {
				seen[key] = true
				work = append(work, item{s, 0, next})
			}
		}
	}
	return false
}

// nilState is what a path knows to be nil: values (loads, φs) and local
// variable cells (an Alloc, or a closure's free variable captured from
// one), and the select cases it disabled.
type nilState struct {
	vals    map[ssa.Value]bool
	cells   map[ssa.Value]bool
	selects map[*ssa.Select][]int
}

// isCell reports whether addr is a local variable cell.
func isCell(addr ssa.Value) bool {
	switch addr.(type) {
	case *ssa.Alloc, *ssa.FreeVar:
		return true
	}
	return false
}

func (s nilState) clone() nilState {
	c := nilState{vals: map[ssa.Value]bool{}, cells: map[ssa.Value]bool{}, selects: map[*ssa.Select][]int{}}
	for k, v := range s.vals {
		if v {
			c.vals[k] = true
		}
	}
	for k, v := range s.cells {
		if v {
			c.cells[k] = true
		}
	}
	for k, v := range s.selects {
		c.selects[k] = v
	}
	return c
}

// caseDisabled reports whether successor i of b is the body of a select
// case that the path disabled: b ends in "if index == k" for the select's
// chosen index, k a disabled case, and i is its true edge.
func (s nilState) caseDisabled(b *ssa.BasicBlock, i int) bool {
	if i != 0 || len(b.Instrs) == 0 {
		return false
	}
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	cmp, ok := iff.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.EQL {
		return false
	}
	ex, ok := cmp.X.(*ssa.Extract)
	k, ok2 := cmp.Y.(*ssa.Const)
	if !ok || !ok2 || ex.Index != 0 {
		return false
	}
	sel, ok := ex.Tuple.(*ssa.Select)
	if !ok {
		return false
	}
	for _, d := range s.selects[sel] {
		if k.Int64() == int64(d) {
			return true
		}
	}
	return false
}

// key identifies a block with the nil facts a path brings to it.
func (s nilState) key(b *ssa.BasicBlock) string {
	var parts []string
	for v, ok := range s.vals {
		if ok {
			parts = append(parts, v.Name())
		}
	}
	for c, ok := range s.cells {
		if ok {
			parts = append(parts, "*"+c.Name())
		}
	}
	sort.Strings(parts)
	return b.String() + ":" + strings.Join(parts, ",")
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}
