package unreleasedlock

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

// releases returns the instructions of f that release the lock of op: its
// Unlock calls and calls of package functions that release it. ok is false
// when a deferred call releases it (the function cannot keep it).
func releases(m *model.Model, f *model.Func, op *model.Op) (stop map[ssa.Instruction]bool, ok bool) {
	key := op.Path.Key()
	stop = make(map[ssa.Instruction]bool)
	for _, o := range f.Ops {
		if o.Kind.Releases() && o.Path.Valid() && o.Path.Key() == key {
			if o.Deferred {
				return nil, false
			}
			stop[o.Instr] = true
		}
	}
	for _, cs := range f.Calls {
		for _, p := range cs.Callee.Summary.Releases {
			if mp, ok := m.Substitute(p, cs); ok && mp.Key() == key {
				if cs.Defer {
					return nil, false
				}
				stop[cs.Instr] = true
			}
		}
	}
	return stop, true
}

// keeper finds a path from the Lock op that keeps its lock: one that comes
// back to the Lock (around a loop) when around is set, else one that
// returns.
func keeper(m *model.Model, f *model.Func, op *model.Op, around bool) (model.PathResult, map[ssa.Instruction]bool, bool) {
	stop, ok := releases(m, f, op)
	if !ok {
		return model.PathResult{}, nil, false
	}
	q := model.PathQuery{Fn: f.SSA, Start: op.Instr, Stop: stop}
	if around {
		q.Until = map[ssa.Instruction]bool{op.Instr: true}
	}
	p, found := m.FindPath(q)
	if !found || around && p.End != op.Instr {
		return model.PathResult{}, nil, false
	}
	return p, stop, true
}

// branchOf says which branch sends path p (from the Lock in block from)
// away from every release of the lock: "the path where `!ok` is true (line
// 12)". It returns "" when no branch of the path decides it.
func branchOf(pass *analysis.Pass, p model.PathResult, stop map[ssa.Instruction]bool, from *ssa.BasicBlock) (string, token.Pos) {
	for i := 0; i+1 < len(p.Blocks); i++ {
		b := p.Blocks[i]
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); !ok {
			continue
		}
		taken := p.Blocks[i+1] == b.Succs[0]
		other := b.Succs[0]
		if taken {
			other = b.Succs[1]
		}
		if !reachesStop(other, stop, from) {
			continue
		}
		text, truth, pos := ifCond(pass, b, p.Blocks[i+1], other)
		if text == "" {
			return "", token.NoPos
		}
		return fmt.Sprintf("the path where `%s` is %t (%s)", text, truth, message.Where(pass, pos, pos)), pos
	}
	return "", token.NoPos
}

// reachesStop reports whether a release is reached from b before the
// Lock's block comes again.
func reachesStop(b *ssa.BasicBlock, stop map[ssa.Instruction]bool, lock *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] || x == lock {
			continue
		}
		seen[x] = true
		for _, in := range x.Instrs {
			if stop[in] {
				return true
			}
		}
		work = append(work, x.Succs...)
	}
	return false
}

// ifCond finds the if statement whose condition block b ends with, and says
// whether taking the edge to next (rather than other) means its condition
// is true. The SSA
// condition may be negated or lack a position (if !ok branches on ok with
// its edges swapped), so the statement is found from the block's last
// positioned instruction, and the truth from the builder's block names.
func ifCond(pass *analysis.Pass, b, next, other *ssa.BasicBlock) (string, bool, token.Pos) {
	var truth bool
	switch {
	case next.Comment == "if.then":
		truth = true
	case next.Comment == "if.else" || next.Comment == "if.done":
		truth = false
	// "if c { continue }" may jump straight to the loop: the other edge
	// tells.
	case other.Comment == "if.then":
		truth = false
	case other.Comment == "if.else" || other.Comment == "if.done":
		truth = true
	default:
		return "", false, token.NoPos // a loop condition, or a part of && or ||
	}
	pos := token.NoPos
	for _, in := range b.Instrs {
		if in.Pos().IsValid() {
			pos = in.Pos()
		}
	}
	if !pos.IsValid() {
		return "", false, token.NoPos
	}
	for _, n := range analysisutil.Path(pass, pos, pos) {
		if st, ok := n.(*ast.IfStmt); ok {
			if pos < st.Cond.Pos() || pos >= st.Cond.End() {
				return "", false, token.NoPos
			}
			if s := analysisutil.Format(pass.Fset, st.Cond); s != "" && len(s) <= 40 {
				return s, truth, st.If
			}
			return "", false, token.NoPos
		}
	}
	return "", false, token.NoPos
}

// checkBreak reports a lock taken in a loop that a path leaves the loop
// with, to return still holding it, when the loop's other paths release it:
// "for ... { mu.RLock(); if k == "" { break }; ...; mu.RUnlock() }". The
// return is reached both with and without the lock, which checkLock leaves
// alone.
func checkBreak(pass *analysis.Pass, m *model.Model, f *model.Func, op *model.Op) {
	l := m.LoopOf(op.Instr.Block())
	if l == nil || !releasedIn(f, op) || releasedByClosure(f, op) || leavesLockToCaller(f) {
		return
	}
	p, stop, ok := keeper(m, f, op, false)
	if !ok || unlocksFirst(f, op, stop) {
		return
	}
	leaves := false
	for _, b := range p.Blocks {
		if !l.Blocks[b] {
			leaves = true
		}
	}
	if !leaves {
		return
	}
	call, _ := analysisutil.CallAt(pass, op.Pos)
	if call == nil {
		return
	}
	how, pos := branchOf(pass, p, stop, op.Instr.Block())
	if how == "" {
		return // no branch to point at: the path may not be one the code can take
	}
	name := lockName(pass, call, op)
	verb := "locked"
	if op.Kind == model.OpRLock {
		verb = "read-locked"
	}
	ret := p.End
	pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "unreleasedlock",
		Message: fmt.Sprintf("%s is %s in a loop, but %s leaves the loop with it held and the function returns %s without unlocking it: the next Lock blocks forever",
			name, verb, how, message.ReturnAt(pass, ret, op.Pos)),
		Related: []analysis.RelatedInformation{
			{Pos: pos, Message: "leaves the loop holding " + name},
			{Pos: model.InstrPos(ret), Message: fmt.Sprintf("returns with %s still %s", name, verb)},
		},
	})
}

// unlocksFirst reports whether f can release the lock of op before taking
// it: it is called with the lock held and drops and retakes it (for ... {
// mu.Unlock(); work(); mu.Lock() }), so leaving with it held is its contract.
func unlocksFirst(f *model.Func, op *model.Op, releases map[ssa.Instruction]bool) bool {
	key := op.Path.Key()
	acquires := make(map[ssa.Instruction]bool)
	for _, o := range f.Ops {
		if o.Kind.Acquires() && o.Path.Valid() && o.Path.Key() == key {
			acquires[o.Instr] = true
		}
	}
	for in := range releases {
		if model.ReachesFromEntry(in, acquires) {
			return true
		}
	}
	return false
}
