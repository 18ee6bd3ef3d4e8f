package model

import (
	"go/constant"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// Held is a lock held at a program point.
type Held struct {
	Path Path
	Read bool // held in shared mode (RLock)
	// Site is the operation that took the lock: a Lock call in this function
	// or, when a callee returned with it held, the Lock inside that callee.
	Site *Op
	// Via lists the calls through which a callee took the lock, outermost first.
	Via []*CallSite
	// FromCaller is set when the lock is held by every caller of the function
	// (see Func.Requires) rather than taken in it.
	FromCaller bool

	guard *guard // for may-held locks: held exactly when the condition guard.cond is guard.val
}

// guard correlates a conditionally held lock with a branch condition, so that
// "if c { mu.Lock() } ... if c { mu.Unlock() }" is understood.
type guard struct {
	cond condKey
	val  bool
}

// condKey identifies a branch condition by what it computes, so that two
// evaluations of "b == 10" or of "s.locking" are the same condition.
type condKey string

// Summary is what callers need to know of a function's locking.
type Summary struct {
	// Acquires lists the locks the function may take while not already
	// holding them itself, directly or through calls: a caller that holds one
	// of them deadlocks (or, for two read locks, risks it).
	Acquires []*Acquire
	// Returns lists the locks taken by the function and held on every normal
	// return: the caller owns them afterwards (lockX helpers).
	Returns []*Held
	// Releases lists locks the function releases on every normal return
	// without having taken them: the caller's locks (unlock helpers). A lock
	// the function releases and takes again before returning (a ...Locked
	// helper that drops the caller's lock for a while) is in neither list.
	Releases []Path
	// ParamCalls lists the calls of the function's function-typed
	// parameters (callbacks), directly or through calls, with the locks
	// held at each: a callback passed here runs while they are held.
	ParamCalls []*ParamCall
	done       bool

	// steps lists, per instruction of the function, the locks it acquires
	// (a Lock call, or a call of a function that acquires them), with paths
	// in the function's frame.
	steps map[ssa.Instruction][]*Acquire
}

// ParamCall is a call of a function-typed parameter: a callback.
type ParamCall struct {
	Param int     // index of the parameter in the function's Params
	Held  []*Held // locks certainly held at the call, in the function's frame
	// Func and Instr are the innermost function that makes the call, and
	// the call; Chain lists the calls from the function down to Func.
	Func  *Func
	Instr ssa.CallInstruction
	Chain []*CallSite
}

// Acquire is a lock a function may take.
type Acquire struct {
	Path  Path
	Read  bool
	Lock  *Op         // the innermost Lock or RLock call
	Chain []*CallSite // calls from the function down to Lock's function
	// Always is set when the acquisition happens on every path that returns
	// normally from the function.
	Always bool
	// Callback is set when the lock is taken by a function value the
	// function passes to a callee that calls it (see ParamCall).
	Callback bool
	// Conds lists conditions on the function's boolean parameters that
	// hold whenever the lock is taken (if !locked { mu.Lock() }): a caller
	// passing a constant that contradicts one does not take the lock.
	Conds []ParamCond
	// Guarded is set when the lock is taken only under a test of the
	// program's state (a flag, a mode or version field compared with a
	// constant, a boolean parameter the caller passes a variable for),
	// which a caller's own state may rule out.
	Guarded bool
	// Dropped is set when the function releases the lock, its caller's,
	// before taking it (RUnlock then Lock to upgrade): a caller holding it
	// does not deadlock there.
	Dropped bool
}

// ParamCond says that boolean parameter Param of a function is Val.
type ParamCond struct {
	Param int
	Val   bool
}

// LockConflict is a lock taken by a goroutine that already holds it.
type LockConflict struct {
	First  *Held       // the lock already held
	Second *Op         // the Lock or RLock that blocks (possibly in a callee)
	Chain  []*CallSite // calls from First's function down to Second, if through calls
	Func   *Func       // the function in which both are visible
	// Loop is set when the lock is possibly still held from a previous
	// iteration of a loop (held on some path only); otherwise it is held on
	// every path reaching Second.
	Loop bool
	// Guarded is set when a callee of the chain takes the lock only under a
	// test of the program's state (see Acquire.Guarded).
	Guarded bool
}

// LockEdge records that To was acquired while From was held, in one
// goroutine: the raw material of lock-order graphs.
type LockEdge struct {
	From  *Held
	To    Path
	ToOp  *Op         // the Lock of To (possibly in a callee)
	Chain []*CallSite // calls from Func down to ToOp
	Func  *Func
	Pos   token.Pos // where To is acquired in Func (the Lock, or the call leading to it)
	Read  bool      // To is taken in shared mode
	// Guarded is set when a callee takes To only under a test of the
	// program's state (see Acquire.Guarded).
	Guarded bool
}

// Exit describes the locks held when a function returns.
type Exit struct {
	Return *ssa.Return
	Held   []*Held // may be held at the return and not released by a deferred call
	Must   []*Held // the part of Held that is held on every path to the return
	// Released lists the locks released on every path to the return
	// without being taken in the function first, and not taken again: the
	// caller's locks that the function gives up.
	Released []Path
}

type lockState struct {
	must     map[Key]*Held
	may      map[Key][]*Held
	deferred map[Key]Path // releases registered by defer statements (on some path)
	retake   map[Key]bool // caller's locks released here and taken again by a deferred Lock
	relEntry map[Key]Path // locks released without being taken here (on every path)
	facts    map[condKey]bool
}

func newLockState() *lockState {
	return &lockState{
		must:     map[Key]*Held{},
		may:      map[Key][]*Held{},
		deferred: map[Key]Path{},
		retake:   map[Key]bool{},
		relEntry: map[Key]Path{},
		facts:    map[condKey]bool{},
	}
}

func (s *lockState) clone() *lockState {
	n := &lockState{
		must:     make(map[Key]*Held, len(s.must)),
		may:      make(map[Key][]*Held, len(s.may)),
		deferred: make(map[Key]Path, len(s.deferred)),
		retake:   make(map[Key]bool, len(s.retake)),
		relEntry: make(map[Key]Path, len(s.relEntry)),
		facts:    make(map[condKey]bool, len(s.facts)),
	}
	for k, v := range s.must {
		n.must[k] = v
	}
	for k, v := range s.may {
		n.may[k] = v
	}
	for k, v := range s.deferred {
		n.deferred[k] = v
	}
	for k := range s.retake {
		n.retake[k] = true
	}
	for k, v := range s.relEntry {
		n.relEntry[k] = v
	}
	for k, v := range s.facts {
		n.facts[k] = v
	}
	return n
}

func (s *lockState) equal(o *lockState) bool {
	if len(s.must) != len(o.must) || len(s.may) != len(o.may) || len(s.deferred) != len(o.deferred) || len(s.retake) != len(o.retake) ||
		len(s.relEntry) != len(o.relEntry) || len(s.facts) != len(o.facts) {
		return false
	}
	for k, v := range s.must {
		if w, ok := o.must[k]; !ok || w.Read != v.Read || w.Site != v.Site {
			return false
		}
	}
	for k, v := range s.may {
		w, ok := o.may[k]
		if !ok || len(w) != len(v) {
			return false
		}
		for i := range v {
			if v[i].Site != w[i].Site || (v[i].guard == nil) != (w[i].guard == nil) {
				return false
			}
		}
	}
	for k := range s.deferred {
		if _, ok := o.deferred[k]; !ok {
			return false
		}
	}
	for k := range s.retake {
		if !o.retake[k] {
			return false
		}
	}
	for k := range s.relEntry {
		if _, ok := o.relEntry[k]; !ok {
			return false
		}
	}
	for k, v := range s.facts {
		if w, ok := o.facts[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// acquire records that h, whose path has key k, is now held.
func (s *lockState) acquire(h *Held, k Key) {
	s.must[k] = h
	s.may[k] = []*Held{h}
}

// release records the release of p; it reports whether p was held here.
// A lock not taken here on every path is (on some path) the caller's: it
// counts as released from entry, which a later Lock does not undo (a
// ...Locked function that drops its caller's lock in a loop).
func (s *lockState) release(p Path, k Key) bool {
	_, held := s.may[k]
	_, must := s.must[k]
	delete(s.must, k)
	delete(s.may, k)
	if !must {
		s.relEntry[k] = p
	}
	return held || must
}

// HeldList returns the must-held locks in a stable order.
func (s *lockState) heldList() []*Held {
	if len(s.must) == 0 {
		return nil
	}
	keys := make([]Key, 0, len(s.must))
	for k := range s.must {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]*Held, len(keys))
	for i, k := range keys {
		out[i] = s.must[k]
	}
	return out
}

// pathID identifies a path cheaply (without rendering its key), for paths
// of up to four fields.
type pathID struct {
	root   Root
	fields [4]*types.Var
	n      int
	elem   bool
}

// keyCache memoizes Path.Key, which renders function and type names.
type keyCache map[pathID]Key

func (c keyCache) key(p Path) Key {
	if len(p.Fields) > 4 {
		return p.Key()
	}
	id := pathID{root: p.Root, n: len(p.Fields), elem: p.Elem}
	copy(id.fields[:], p.Fields)
	if k, ok := c[id]; ok {
		return k
	}
	k := p.Key()
	c[id] = k
	return k
}

// meet joins the states flowing into a block.
func (fl *flow) meet(b *ssa.BasicBlock, in []*lockState) *lockState {
	var live []*lockState
	var preds []int
	for i, s := range in {
		if s != nil {
			live = append(live, s)
			preds = append(preds, i)
		}
	}
	if len(live) == 0 {
		return nil
	}
	if len(live) == 1 {
		return live[0]
	}
	out := live[0].clone()
	for _, s := range live[1:] {
		for k, h := range out.must {
			if o, ok := s.must[k]; !ok || o.Read != h.Read {
				delete(out.must, k)
			}
		}
		for k, hs := range s.may {
			out.may[k] = unionHeld(out.may[k], hs)
		}
		for k, p := range s.deferred {
			out.deferred[k] = p
		}
		for k := range s.retake {
			out.retake[k] = true
		}
		for k := range out.relEntry {
			if _, ok := s.relEntry[k]; !ok {
				delete(out.relEntry, k)
			}
		}
		for v, val := range out.facts {
			if w, ok := s.facts[v]; !ok || w != val {
				delete(out.facts, v)
			}
		}
	}
	// A lock held on some incoming paths only: find a branch condition or a
	// boolean phi that tells the paths apart, so a later "if c { Unlock }"
	// releases exactly the paths that locked.
	for k, hs := range out.may {
		if _, certain := out.must[k]; certain {
			continue
		}
		var with, without []int
		for i, s := range live {
			if _, ok := s.may[k]; ok {
				with = append(with, i)
			} else {
				without = append(without, i)
			}
		}
		if len(without) == 0 {
			continue
		}
		g := fl.findGuard(b, live, preds, with, without)
		if g == nil {
			continue
		}
		guarded := make([]*Held, len(hs))
		for i, h := range hs {
			c := *h
			c.guard = g
			guarded[i] = &c
		}
		out.may[k] = guarded
	}
	return out
}

func unionHeld(a, b []*Held) []*Held {
	out := a
	for _, h := range b {
		dup := false
		for _, x := range a {
			if x.Site == h.Site {
				dup = true
				break
			}
		}
		if !dup {
			if len(out) == len(a) {
				out = append([]*Held(nil), a...)
			}
			out = append(out, h)
		}
	}
	return out
}

func (fl *flow) findGuard(b *ssa.BasicBlock, live []*lockState, preds, with, without []int) *guard {
	// A fact (a branch taken earlier) true on one side and false on the other.
	for v, val := range live[with[0]].facts {
		ok := true
		for _, i := range with {
			if w, has := live[i].facts[v]; !has || w != val {
				ok = false
				break
			}
		}
		for _, i := range without {
			if w, has := live[i].facts[v]; !has || w == val {
				ok = false
				break
			}
		}
		if ok {
			return &guard{cond: v, val: val}
		}
	}
	// A boolean phi in this block whose value tells the paths apart
	// ("locked := false; if c { mu.Lock(); locked = true }").
	for _, in := range b.Instrs {
		phi, ok := in.(*ssa.Phi)
		if !ok {
			break
		}
		val, ok := phiConst(phi, preds[with[0]])
		if !ok {
			continue
		}
		match := true
		for _, i := range with {
			if c, ok := phiConst(phi, preds[i]); !ok || c != val {
				match = false
			}
		}
		for _, i := range without {
			if c, ok := phiConst(phi, preds[i]); !ok || c == val {
				match = false
			}
		}
		if match {
			return &guard{cond: fl.m.condKey(phi), val: val}
		}
	}
	return nil
}

func phiConst(phi *ssa.Phi, pred int) (bool, bool) {
	if pred >= len(phi.Edges) {
		return false, false
	}
	c, ok := phi.Edges[pred].(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(c.Value), true
}

// condKey returns the identity of a branch condition: comparisons and loads
// are identified by their operands, other values by themselves.
func (m *Model) condKey(v ssa.Value) condKey {
	switch v := v.(type) {
	case *ssa.BinOp:
		return condKey(v.Op.String() + "(" + string(m.condKey(v.X)) + "," + string(m.condKey(v.Y)) + ")")
	case *ssa.Const:
		if v.Value == nil {
			return "nil"
		}
		return condKey("const " + v.Value.ExactString())
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if p, ok := m.PathOf(v.X); ok {
				return condKey("load " + string(p.Key()))
			}
		}
		if v.Op == token.NOT {
			return condKey("!" + string(m.condKey(v.X)))
		}
	}
	return condKey(v.Name())
}

// DisplayName names a function for messages: (*Server).Refresh, load, or
// "the func literal in (*Server).Flush" for a closure.
func (f *Func) DisplayName() string {
	fn := f.SSA
	if fn.Parent() != nil {
		outer := fn.Parent()
		for outer.Parent() != nil {
			outer = outer.Parent()
		}
		return "the func literal in " + outer.RelString(f.Model.Pkg)
	}
	return fn.RelString(f.Model.Pkg)
}

// Type returns the type of the object a path names (the last field's
// type, or the root's), or nil.
func (p Path) Type() types.Type {
	if n := len(p.Fields); n > 0 {
		return p.Fields[n-1].Type()
	}
	switch p.Root.Kind {
	case RootGlobal:
		return deref(p.Root.Global.Type())
	case RootParam:
		return p.Root.Frame.Params[p.Root.Param].Type()
	case RootValue:
		if a, ok := p.Root.Value.(*ssa.Alloc); ok {
			return deref(a.Type())
		}
		return p.Root.Value.Type()
	}
	return nil
}

// LockKind returns the kind of lock a path names when its static type
// says so (sync.Mutex, sync.RWMutex or a pointer to one); ObjLocker for a
// sync.Locker interface; ObjNone otherwise.
func (p Path) LockKind() ObjKind {
	t := p.Type()
	if t == nil {
		return ObjNone
	}
	return objKindOfType(t)
}

// Local reports whether the object p names lies in a local variable of its
// frame (var mu sync.Mutex, or a field of a local struct value): only the
// function and the closures it makes can reach it.
func (p Path) Local() bool {
	a, ok := p.Root.Value.(*ssa.Alloc)
	if p.Root.Kind != RootValue || !ok || spilledParam(a) >= 0 {
		return false
	}
	return inCopy(deref(a.Type()), p.Fields)
}

// ParamOf returns the index of the parameter of fn that p is rooted at (a
// parameter, or the local copy of one), or -1.
func (p Path) ParamOf(fn *ssa.Function) int { return frameParam(p, fn) }

// ExitsHolding splits the normal returns of f that follow the Lock op:
// holding lists those that hold its lock on every path to them (not
// released by a deferred call), clean those reached from it that hold it on
// none. A return reached both with and without the lock is in neither: the
// lock may be kept on purpose under a condition the analysis does not
// follow. The hover card of a Lock and the unreleasedlock warning both read
// this, so they never disagree about where the lock is released.
func (f *Func) ExitsHolding(op *Op) (holding, clean []*Exit) {
	after := ReachableFrom(op.Instr.Block())
	for _, e := range f.Exits {
		switch {
		case takenBy(e.Must, op):
			holding = append(holding, e)
		case !takenBy(e.Held, op) && after[e.Return.Block()]:
			clean = append(clean, e)
		}
	}
	return holding, clean
}

// takenBy reports whether the lock taken by op itself (not by a callee) is
// among held.
func takenBy(held []*Held, op *Op) bool {
	for _, h := range held {
		if h.Site == op && len(h.Via) == 0 {
			return true
		}
	}
	return false
}

// ReachableFrom returns the blocks reachable from b, b included.
func ReachableFrom(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{b: true}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range x.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return seen
}
