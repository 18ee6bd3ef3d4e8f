package model

import "golang.org/x/tools/go/ssa"

// Control-flow questions the checks ask about instructions of one function.

// Reaches reports whether instruction b can run after a in their function
// (a itself again only through a loop).
func Reaches(a, b ssa.Instruction) bool { return ReachesAvoiding(a, b, nil) }

// ReachesAvoiding reports whether b can run after a without running an
// instruction of avoid in between.
func ReachesAvoiding(a, b ssa.Instruction, avoid map[ssa.Instruction]bool) bool {
	if a.Parent() != b.Parent() {
		return false
	}
	for i, in := range a.Block().Instrs {
		if in == a {
			return reachFrom(a.Block(), i+1, b, avoid)
		}
	}
	return false
}

// ReachesFromEntry reports whether b can run from its function's entry
// without running an instruction of avoid.
func ReachesFromEntry(b ssa.Instruction, avoid map[ssa.Instruction]bool) bool {
	fn := b.Parent()
	return len(fn.Blocks) > 0 && reachFrom(fn.Blocks[0], 0, b, avoid)
}

// reachFrom searches forward from instruction i of block blk for target,
// not going past an instruction of avoid.
func reachFrom(blk *ssa.BasicBlock, i int, target ssa.Instruction, avoid map[ssa.Instruction]bool) bool {
	type item struct {
		b *ssa.BasicBlock
		i int
	}
	work := []item{{blk, i}}
	seen := make(map[*ssa.BasicBlock]bool)
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		stopped := false
		for _, in := range it.b.Instrs[it.i:] {
			if in == target {
				return true
			}
			if avoid[in] {
				stopped = true
				break
			}
		}
		if stopped {
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

// BlockReaches reports whether block to can run after block from starts
// (from itself included).
func BlockReaches(from, to *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{from}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == to {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		work = append(work, x.Succs...)
	}
	return false
}

// Dominates reports whether every path to b in their function runs a first
// (a dominates itself).
func Dominates(a, b ssa.Instruction) bool {
	if a.Parent() != b.Parent() {
		return false
	}
	if a.Block() == b.Block() {
		for _, in := range a.Block().Instrs {
			if in == a {
				return true
			}
			if in == b {
				return false
			}
		}
	}
	return a.Block().Dominates(b.Block())
}

// Owner returns the one goroutine that runs f, when no other code does: f
// runs in a single instance of that goroutine, and every function that
// calls f is owned by it too (depth-limited). Otherwise nil.
func (f *Func) Owner() *Goroutine { return ownerDepth(f, 0) }

func ownerDepth(f *Func, depth int) *Goroutine {
	if len(f.Goroutines) != 1 || f.Exported || depth > 8 {
		return nil
	}
	g := f.Goroutines[0]
	if g.Many {
		return nil
	}
	for _, cs := range f.CalledFrom {
		if cs.Go {
			if f != g.Target {
				return nil
			}
			continue
		}
		if cs.Caller == f {
			continue
		}
		if ownerDepth(cs.Caller, depth+1) != g {
			return nil
		}
	}
	return g
}

// InBubble reports whether f runs inside a testing/synctest bubble: it is
// (or is nested in) a function literal passed to synctest.Run or Test.
// There time is fake and advances only when every goroutine of the bubble
// is blocked, so a time.Sleep orders goroutines deterministically.
func (f *Func) InBubble() bool {
	for fn := f.SSA; fn.Parent() != nil; fn = fn.Parent() {
		for _, b := range fn.Parent().Blocks {
			for _, in := range b.Instrs {
				call, ok := in.(*ssa.Call)
				if !ok || !isSynctestRun(call) {
					continue
				}
				for _, arg := range call.Call.Args {
					if arg == ssa.Value(fn) {
						return true
					}
					if mc, ok := arg.(*ssa.MakeClosure); ok && mc.Fn == ssa.Value(fn) {
						return true
					}
				}
			}
		}
	}
	return false
}
