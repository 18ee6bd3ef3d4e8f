package model

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// An UnlockValue is a lock's Unlock (or RUnlock) method value used other
// than by calling it on the spot: passed to a function or a goroutine,
// stored in a field (NotifyStartedFunc: mu.Unlock), or handed to
// sync.Once.Do. Whoever ends up holding the value may release the lock, in
// any goroutine: a Mutex has no owner.
type UnlockValue struct {
	Path  Path // the lock released
	Kind  OpKind
	Func  *Func
	Instr *ssa.MakeClosure
	Pos   token.Pos
}

// releaseValue recognises mc as the method value of a lock release
// (mu.Unlock, rw.RUnlock, l.Unlock of a sync.Locker), returning the
// receiver it binds.
func releaseValue(mc *ssa.MakeClosure) (OpKind, ObjKind, ssa.Value, bool) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || !isBoundWrapper(fn) || len(mc.Bindings) != 1 {
		return OpNone, ObjNone, nil, false
	}
	cl := classifyCall(&ssa.CallCommon{Value: mc})
	if !cl.kind.Releases() || cl.recv == nil {
		return OpNone, ObjNone, nil, false
	}
	obj := cl.obj
	if obj == ObjLocker {
		if k := objKindOfValue(cl.recv); k.IsLock() {
			obj = k
		}
	}
	return cl.kind, obj, cl.recv, true
}

// collectUnlockValue records mc if it is a release method value used as a
// value.
func (m *Model) collectUnlockValue(f *Func, mc *ssa.MakeClosure) {
	kind, _, recv, ok := releaseValue(mc)
	if !ok {
		return
	}
	p, ok := m.PathOf(recv)
	if !ok {
		return
	}
	used := false
	for _, r := range *mc.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
			continue
		case ssa.CallInstruction:
			if r.Common().Value == ssa.Value(mc) {
				continue // u := mu.Unlock; u(): an ordinary Unlock op
			}
		}
		used = true
	}
	if used {
		m.UnlockValues = append(m.UnlockValues, &UnlockValue{Path: p, Kind: kind, Func: f, Instr: mc, Pos: mc.Pos()})
	}
}

// onceRelease returns the release op that once.Do(mu.Unlock) performs in
// the calling goroutine (on the first Do of that Once; a later Do finds
// the lock already released by it), or nil.
func (m *Model) onceRelease(fn ssa.Value) *Op {
	mc, ok := fn.(*ssa.MakeClosure)
	if !ok {
		return nil
	}
	kind, obj, recv, ok := releaseValue(mc)
	if !ok {
		return nil
	}
	return &Op{Kind: kind, ObjKind: obj, Path: m.pathOrInvalid(recv)}
}

// ReleasedByValue reports whether an Unlock method value of the lock at
// path key is handed on somewhere in the package.
func (m *Model) ReleasedByValue(key Key) bool {
	for _, u := range m.UnlockValues {
		if u.Path.Key() == key {
			return true
		}
	}
	return false
}

// makerArgs returns the arguments of the call of maker that made the
// function value cs calls, when cs calls a closure that maker returned
// (unlock := unlockOnce(&s.mu); unlock()): the closure acts on the
// parameters maker bound into it, which are those arguments.
func (m *Model) makerArgs(cs *CallSite, maker *ssa.Function) []ssa.Value {
	if cs.Instr == nil {
		return nil
	}
	v := cs.Instr.Common().Value
	for range 8 {
		switch x := v.(type) {
		case *ssa.Call:
			if x.Call.StaticCallee() == maker {
				return x.Call.Args
			}
			return nil
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			a := m.cellOf(x.X)
			if a == nil {
				return nil
			}
			if v = singleStore(a); v == nil {
				return nil
			}
		default:
			return nil
		}
	}
	return nil
}
