package datarace

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/model"
)

// What other checks explain better. A race the engine finds is left to
// another check when that check reports the same variable: sharedcapture
// (and concurrentmap) the variables a closure captures, guardedby the
// fields the model infers a lock guard for, concurrentmap the maps and
// slices whose updates the model's own race analysis pairs. Each rule asks
// the model what the other check asks it, so that a variable is reported
// once, by the check that explains it best, and the engine reports what
// the model cannot see (a map written by an observer reached through a
// slice of interfaces, a field guarded nowhere).

// owners answers, per variable, whether another check reports it.
type owners struct {
	m        *model.Model
	byInstr  map[ssa.Instruction][]*model.Access
	concMaps map[mapKey]bool // memo of concurrentmap
}

type mapKey struct {
	v     *types.Var
	isMap bool
}

func newOwners(m *model.Model) *owners {
	o := &owners{m: m, byInstr: make(map[ssa.Instruction][]*model.Access), concMaps: make(map[mapKey]bool)}
	for _, a := range m.Accesses {
		o.byInstr[a.Instr] = append(o.byInstr[a.Instr], a)
	}
	return o
}

// elsewhere reports whether another check reports race r.
func (o *owners) elsewhere(r *explore.Race) bool {
	if al, ok := r.Site.(*ssa.Alloc); ok && r.Path == "" && al.Comment != "" {
		return true // a captured variable: sharedcapture
	}
	for _, side := range []explore.Access{r.First, r.Second} {
		for _, a := range o.byInstr[side.Instr] {
			switch {
			case a.Cell != nil:
				return true // a captured variable's map or slice: concurrentmap, sharedcapture
			case a.Var == nil || a.Atomic:
			case o.m.GuardOf(a.Var) != nil:
				return true // guardedby
			case (a.Map || a.Append) && o.concurrentmap(a.Var, a.Map):
				return true
			}
		}
	}
	return false
}

// concurrentmap reports whether concurrentmap reports variable v (the
// map's contents when isMap): the model pairs two of its accesses, a
// write among them and, for a slice, an append, with no lock held at
// either.
func (o *owners) concurrentmap(v *types.Var, isMap bool) bool {
	k := mapKey{v, isMap}
	if done, ok := o.concMaps[k]; ok {
		return done
	}
	var accs []*model.Access
	appends := false
	for _, a := range o.m.Accesses {
		if a.Var == v && a.Map == isMap && a.Cell == nil && !a.Atomic {
			accs = append(accs, a)
			appends = appends || a.Append
		}
	}
	found := false
	if isMap || appends {
		for _, r := range o.m.Races(accs, true) {
			if len(r.A.Held) == 0 && len(r.B.Held) == 0 && (isMap || r.A.Append || r.B.Append) {
				found = true
				break
			}
		}
	}
	o.concMaps[k] = found
	return found
}
