package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"golang.org/x/tools/go/ssa"
)

// Access is a read or write of a struct field, a package variable, a local
// variable shared with a closure, or an element of a map.
type Access struct {
	// Var is the field (generic origin) or package variable accessed; nil
	// for a captured local variable (see Cell).
	Var *types.Var
	// Cell is the captured local variable, for accesses of variables that a
	// closure shares with the function that made it.
	Cell *ssa.Alloc
	// Map is set for an access of a map's contents (m[k], m[k] = v,
	// delete, range); Var or Cell then holds the map.
	Map bool

	Path   Path // the instance accessed (s.count), when known
	Write  bool
	Atomic bool // through sync/atomic functions
	Func   *Func
	Instr  ssa.Instruction
	Pos    token.Pos
	// Held lists the locks certainly held: those taken in the function and
	// those every in-package caller holds.
	Held []*Held
	// Fresh is set when the object is made in this function (a constructor
	// filling it in before publishing it).
	Fresh bool
	// Append is set for a write that appends to the slice it reads
	// (x = append(x, ...)).
	Append bool
	// Handle is set for a read that only fetches a map for an access of its
	// contents, which is recorded separately (Map).
	Handle bool
}

func (m *Model) collectAccesses() {
	for _, f := range m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				m.accessesOf(f, in)
			}
		}
	}
}

// accessesOf records the accesses made by one instruction.
func (m *Model) accessesOf(f *Func, in ssa.Instruction) {
	switch in := in.(type) {
	case *ssa.Store:
		if a := m.memAccess(f, in, in.Addr, true, false); a != nil {
			a.Append = isAppendTo(m, in)
		}
	case *ssa.UnOp:
		if in.Op == token.MUL {
			if a := m.memAccess(f, in, in.X, false, false); a != nil {
				a.Handle = onlyMapUses(in)
			}
		}
	case *ssa.Field:
		if v := structField(in.X.Type(), in.Field); v != nil {
			m.addAccess(f, in, &Access{Var: v, Path: m.pathOrInvalid(in)})
		}
	case *ssa.MapUpdate:
		m.mapAccess(f, in, in.Map, true)
	case *ssa.Lookup:
		if _, isMap := in.X.Type().Underlying().(*types.Map); isMap {
			m.mapAccess(f, in, in.X, false)
		}
	case *ssa.Range:
		if _, isMap := in.X.Type().Underlying().(*types.Map); isMap {
			m.mapAccess(f, in, in.X, false)
		}
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && len(in.Call.Args) > 0 {
			switch b.Name() {
			case "delete", "clear":
				if _, isMap := in.Call.Args[0].Type().Underlying().(*types.Map); isMap {
					m.mapAccess(f, in, in.Call.Args[0], true)
				}
			}
			return
		}
		cl := classifyCall(&in.Call)
		if (cl.kind == OpAtomicLoad || cl.kind == OpAtomicStore) && cl.recv != nil {
			m.memAccess(f, in, cl.recv, cl.kind == OpAtomicStore, true)
		}
	}
}

// memAccess records an access through the address addr.
func (m *Model) memAccess(f *Func, in ssa.Instruction, addr ssa.Value, write, atomic bool) *Access {
	a := &Access{Write: write, Atomic: atomic}
	switch x := addr.(type) {
	case *ssa.FieldAddr:
		a.Var = structField(x.X.Type(), x.Field)
	case *ssa.Global:
		if obj, ok := x.Object().(*types.Var); ok {
			a.Var = obj
		}
	case *ssa.IndexAddr:
		// s.arr[i] = v: an access of the array field.
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			a.Var = structField(fa.X.Type(), fa.Field)
		}
	case *ssa.Alloc, *ssa.FreeVar:
		cell := m.cellOf(x)
		if cell == nil || !cell.Heap || !captured(cell) {
			return nil
		}
		a.Cell = cell
	default:
		return nil
	}
	if a.Var == nil && a.Cell == nil {
		return nil
	}
	if a.Var != nil && objKindOfType(a.Var.Type()) != ObjNone && !atomic {
		// Loading a sync object's address for a method call is not a data access.
		if _, isChan := a.Var.Type().Underlying().(*types.Chan); !isChan {
			return nil
		}
	}
	a.Path = m.pathOrInvalid(addr)
	if !m.addAccess(f, in, a) {
		return nil
	}
	return a
}

// mapAccess records an access of the contents of the map m.
func (m *Model) mapAccess(f *Func, in ssa.Instruction, mv ssa.Value, write bool) {
	a := &Access{Map: true, Write: write}
	load, ok := mv.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return
	}
	switch x := load.X.(type) {
	case *ssa.FieldAddr:
		a.Var = structField(x.X.Type(), x.Field)
	case *ssa.Global:
		a.Var, _ = x.Object().(*types.Var)
	case *ssa.Alloc, *ssa.FreeVar:
		cell := m.cellOf(x)
		if cell == nil || !cell.Heap || !captured(cell) {
			return
		}
		a.Cell = cell
	}
	if a.Var == nil && a.Cell == nil {
		return
	}
	a.Path = m.pathOrInvalid(load.X)
	m.addAccess(f, in, a)
}

func (m *Model) addAccess(f *Func, in ssa.Instruction, a *Access) bool {
	if a.Var != nil {
		a.Var = a.Var.Origin()
	}
	a.Func, a.Instr = f, in
	a.Pos = in.Pos()
	if !a.Pos.IsValid() {
		if v, ok := in.(ssa.Value); ok {
			a.Pos = v.Pos()
		}
	}
	if !a.Pos.IsValid() {
		return false // compiler-made: a parameter spilled to the cell a closure captures
	}
	if s := f.states[in]; s != nil {
		a.Held = s.heldList()
	}
	a.Held = append(a.Held, f.Requires...)
	if a.Path.Root.Kind == RootValue && a.Path.Root.Frame == f.SSA {
		switch a.Path.Root.Value.(type) {
		case *ssa.Alloc:
			a.Fresh = a.Cell == nil
		}
	}
	m.Accesses = append(m.Accesses, a)
	return true
}

// captured reports whether a local variable cell is shared with a closure.
func captured(a *ssa.Alloc) bool {
	refs := a.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.MakeClosure); ok {
			return true
		}
	}
	return false
}

// isAppendTo reports whether a store writes append(x, ...) back to x.
func isAppendTo(m *Model, st *ssa.Store) bool {
	call, ok := st.Val.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	if !ok || b.Name() != "append" || len(call.Call.Args) == 0 {
		return false
	}
	load, ok := call.Call.Args[0].(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	if load.X == st.Addr {
		return true
	}
	p, ok1 := m.PathOf(load.X)
	q, ok2 := m.PathOf(st.Addr)
	return ok1 && ok2 && p.Key() == q.Key()
}

// onlyMapUses reports whether a loaded value is a map used only for
// accesses of its contents (m[k], m[k] = v, delete, range, len).
func onlyMapUses(load *ssa.UnOp) bool {
	if _, isMap := load.Type().Underlying().(*types.Map); !isMap {
		return false
	}
	refs := load.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map != load {
				return false
			}
		case *ssa.Lookup, *ssa.Range, *ssa.DebugRef:
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			if !ok {
				return false
			}
			switch b.Name() {
			case "delete", "clear":
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Guard is the lock that guards a struct field or package variable: the
// lock held at most of its accesses, or the one named by a gVisor
// checklocks annotation (// +checklocks:mu) on the field.
type Guard struct {
	Var  *types.Var // the field (generic origin) or package variable
	Lock *types.Var // the mutex field or package variable
	// Name is the lock as a method of the type spells it (s.mu), and Rel
	// as the annotation on the field spells it (mu, Mutex, inner.mu; a
	// package variable's name); Rel is empty when the lock cannot be
	// named from the field's struct.
	Name, Rel string
	// Under counts the accesses made with the lock held, Writes the writes
	// among them, Total the accesses counted: constructors (objects made
	// in the function), package initialization, atomic accesses and
	// accesses of functions that only receive new objects are left out.
	Under, Writes, Total int
	// Declared is set when the guard comes from an annotation; Under and
	// Total are still counted.
	Declared bool
	// Convention is set when the guard comes from the declaration: the
	// field follows the mutex in its group of fields (no blank line
	// between), and every write holds it, though too few accesses do for
	// the counts alone.
	Convention bool
	// Accesses lists the accesses counted, in source order.
	Accesses []*Access
	// Guarded reports, for each counted access, whether the lock is held.
	Guarded map[*Access]bool
}

// GuardOf returns the guard of field or package variable v: the lock held
// at the most counted accesses of v, when it is held at two or more of
// them including a write, or the lock its annotation names. nil when v
// has no guard (no lock, atomic accesses, a channel).
func (m *Model) GuardOf(v *types.Var) *Guard {
	return m.guards()[v.Origin()]
}

// Guards returns the guards of every field and package variable that has
// one.
func (m *Model) Guards() map[*types.Var]*Guard { return m.guards() }

func (m *Model) guards() map[*types.Var]*Guard {
	h := m.hbState()
	h.guardOnce.Do(func() { h.guards = m.inferGuards() })
	return h.guards
}

// lockCand is a lock that may guard a variable, keyed relative to it.
type lockCand struct {
	lock *types.Var
	rel  string // path from the variable's struct to the lock, or a global's name
	up   int    // how many fields above the variable's struct the lock is
}

func (m *Model) inferGuards() map[*types.Var]*Guard {
	out := make(map[*types.Var]*Guard)
	declared := m.annotations()
	conventional := m.mutexGroups()
	byVar := make(map[*types.Var][]*Access)
	atomic := make(map[*types.Var]bool)
	var order []*types.Var
	for _, a := range m.Accesses {
		if a.Var == nil {
			continue
		}
		if a.Atomic {
			atomic[a.Var] = true
			continue
		}
		if _, seen := byVar[a.Var]; !seen {
			order = append(order, a.Var)
		}
		byVar[a.Var] = append(byVar[a.Var], a)
	}
	for _, v := range order {
		if atomic[v] || objKindOfType(v.Type()) != ObjNone {
			continue
		}
		var counted []*Access
		for _, a := range byVar[v] {
			if a.Handle || m.Unpublished(a) {
				continue
			}
			counted = append(counted, a)
		}
		if len(counted) == 0 {
			continue
		}
		under := make(map[lockCand]int)
		writes := make(map[lockCand]int)
		names := make(map[lockCand]string)
		var cands []lockCand
		for _, a := range counted {
			seen := make(map[lockCand]bool)
			for _, h := range m.HeldAlways(a) {
				c, ok := guardCand(a.Path, h.Path)
				if !ok || seen[c] {
					continue
				}
				seen[c] = true
				if _, known := under[c]; !known {
					cands = append(cands, c)
				}
				under[c]++
				if a.Write {
					writes[c]++
				}
				if n, ok := names[c]; !ok || len(n) > len(h.Path.Name()) || h.Path.Root.Kind == RootParam && !strings.Contains(n, ".") {
					names[c] = h.Path.Name()
				}
			}
		}
		var best lockCand
		found, convention := false, false
		if d, ok := declared[v]; ok {
			best, found = d, true
			if _, known := under[best]; !known {
				names[best] = d.rel
			}
		} else {
			for _, c := range cands {
				if !found || under[c] > under[best] || under[c] == under[best] && c.up < best.up {
					best, found = c, true
				}
			}
			if !found || under[best] < 2 || writes[best] == 0 || 2*under[best] < len(counted) {
				// Go's convention: a mutex guards the fields declared
				// after it in its group; every write holds it.
				found = false
				if lock := conventional[v]; lock != nil {
					for _, c := range cands {
						if c.lock == lock && c.up == 0 && writes[c] > 0 && writes[c] == countWrites(counted) {
							best, found = c, true
						}
					}
				}
				if !found {
					continue
				}
			}
			convention = conventional[v] == best.lock && best.up == 0 && writes[best] > 0 && writes[best] == countWrites(counted)
		}
		g := &Guard{Var: v, Lock: best.lock, Name: names[best], Rel: best.rel,
			Under: under[best], Writes: writes[best], Total: len(counted), Declared: declared[v] == best && best.lock != nil,
			Convention: convention, Accesses: counted, Guarded: make(map[*Access]bool)}
		if best.up > 0 {
			g.Rel = ""
		}
		for _, a := range counted {
			for _, h := range m.HeldAlways(a) {
				if c, ok := guardCand(a.Path, h.Path); ok && c == best {
					g.Guarded[a] = true
				}
			}
		}
		out[v] = g
	}
	return out
}

func countWrites(accs []*Access) int {
	n := 0
	for _, a := range accs {
		if a.Write {
			n++
		}
	}
	return n
}

// mutexGroups maps each struct field that follows a sync.Mutex or
// sync.RWMutex field in its group (fields not separated by a blank line)
// to that mutex: Go's convention for "mu guards the fields below".
func (m *Model) mutexGroups() map[*types.Var]*types.Var {
	out := make(map[*types.Var]*types.Var)
	for _, file := range m.Files {
		tf := m.Fset.File(file.FileStart)
		if tf == nil {
			continue
		}
		comments := make(map[int]bool)
		for _, cg := range file.Comments {
			for l := analysisutil.Line(tf, cg.Pos()); l <= analysisutil.Line(tf, cg.End()); l++ {
				comments[l] = true
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok || st.Fields == nil {
				return true
			}
			var mu *types.Var
			prevEnd := 0
			for _, field := range st.Fields.List {
				start := analysisutil.Line(tf, field.Pos())
				if field.Doc != nil {
					start = analysisutil.Line(tf, field.Doc.Pos())
				}
				// A blank line ends the group.
				for l := prevEnd + 1; prevEnd > 0 && l < start; l++ {
					if !comments[l] {
						mu = nil
						break
					}
				}
				prevEnd = analysisutil.Line(tf, field.End())
				var vars []*types.Var
				if len(field.Names) == 0 {
					if v, ok := m.Info.Defs[embeddedIdent(field.Type)].(*types.Var); ok {
						vars = append(vars, v)
					}
				}
				for _, id := range field.Names {
					if v, ok := m.Info.Defs[id].(*types.Var); ok {
						vars = append(vars, v)
					}
				}
				for _, v := range vars {
					switch objKindOfType(v.Type()) {
					case ObjMutex, ObjRWMutex:
						if _, isPtr := v.Type().(*types.Pointer); !isPtr {
							mu = v.Origin()
							continue
						}
					}
					if mu != nil {
						out[v.Origin()] = mu
					}
				}
			}
			return true
		})
	}
	return out
}

// embeddedIdent returns the identifier naming an embedded field's type.
func embeddedIdent(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.StarExpr:
		return embeddedIdent(e.X)
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.IndexExpr:
		return embeddedIdent(e.X)
	}
	return nil
}

// guardCand returns the candidate guard that lock path l is for an access
// of path p: a lock of the same object or of an enclosing one (s.mu for
// s.count or s.inner.count), or a package-level lock.
func guardCand(p, l Path) (lockCand, bool) {
	if !l.Valid() || l.Elem {
		return lockCand{}, false
	}
	if l.Root.Kind == RootGlobal {
		v, _ := l.Root.Global.Object().(*types.Var)
		if v == nil {
			return lockCand{}, false
		}
		if len(l.Fields) > 0 {
			return lockCand{lock: l.Fields[len(l.Fields)-1], rel: l.Root.Global.Name() + "." + fieldsName(l.Fields), up: 1 << 8}, true
		}
		return lockCand{lock: v, rel: l.Root.Global.Name(), up: 1 << 8}, true
	}
	if !p.Valid() || len(p.Fields) == 0 || len(l.Fields) == 0 {
		return lockCand{}, false
	}
	if p.Root.Kind != l.Root.Kind || p.Root.Frame != l.Root.Frame || p.Root.Param != l.Root.Param || p.Root.Value != l.Root.Value {
		return lockCand{}, false
	}
	base := p.Fields[:len(p.Fields)-1]
	lbase := l.Fields[:len(l.Fields)-1]
	if len(lbase) > len(base) {
		return lockCand{}, false
	}
	for i := range lbase {
		if lbase[i] != base[i] {
			return lockCand{}, false
		}
	}
	up := len(base) - len(lbase)
	// A lock of an enclosing object guards the fields of the structs it
	// contains, not those of objects it points to.
	for _, f := range base[len(lbase):] {
		if _, isStruct := f.Type().Underlying().(*types.Struct); !isStruct {
			return lockCand{}, false
		}
	}
	return lockCand{lock: l.Fields[len(l.Fields)-1], rel: l.Fields[len(l.Fields)-1].Name(), up: up}, true
}

func fieldsName(fs []*types.Var) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.Name())
	}
	return b.String()
}

// Unpublished reports whether a is made before its object can be shared:
// in the function that made the object (a constructor), in package
// initialization, or in a helper that only ever receives new objects.
func (m *Model) Unpublished(a *Access) bool {
	return a.Fresh || m.InitOnly(a.Func) || m.freshParam(a) || m.freshCall(a) || m.OnceOnly(a.Func)
}

// freshCall reports whether a is an access of an object returned by a
// constructor of the package called in a's function (n := newNamed(...);
// n.loader = load): every return of the constructor returns a value it
// made.
func (m *Model) freshCall(a *Access) bool {
	if a.Path.Root.Kind != RootValue || a.Path.Root.Frame != a.Func.SSA || len(a.Path.Fields) == 0 {
		return false
	}
	call, ok := a.Path.Root.Value.(*ssa.Call)
	if !ok {
		return false
	}
	callee := m.staticCallee(&call.Call)
	if callee == nil {
		return false
	}
	rets := 0
	for _, b := range callee.SSA.Blocks {
		if n := len(b.Instrs); n > 0 {
			if r, ok := b.Instrs[n-1].(*ssa.Return); ok {
				rets++
				if len(r.Results) == 0 {
					return false
				}
				if _, made := r.Results[0].(*ssa.Alloc); !made {
					return false
				}
			}
		}
	}
	return rets > 0
}

// HeldAlways returns the locks held at a: those of a.Held, and the locks
// held wherever a's function runs (entryLocks).
func (m *Model) HeldAlways(a *Access) []*Held {
	entry := m.entryLocks(a.Func, 0)
	if len(entry) == 0 {
		return a.Held
	}
	out := append([]*Held(nil), a.Held...)
	for _, h := range entry {
		if !slices.ContainsFunc(out, func(o *Held) bool { return o.Path.Key() == h.Path.Key() }) {
			out = append(out, h)
		}
	}
	return out
}

// maxEntryDepth bounds how many callers up entryLocks looks.
const maxEntryDepth = 6

// entryLocks returns the locks certainly held whenever f runs, in f's
// frame: the locks its callers hold at each call (and those held where
// they run, callers up), for a function only called or deferred, and for
// a function literal only called (a callback run synchronously, as
// f.ForeachSetting(func(...){...}) under cc.mu). Two kinds of call do not
// count: calls from _test.go files when the function has others (a unit
// test runs alone: see productionCalls), and, for the locks of the
// receiver, calls on an object the caller has just made and not yet shared
// (NewReader's r.readBlock before r is returned).
func (m *Model) entryLocks(f *Func, depth int) []*Held {
	m.entryMu.Lock()
	hs, ok := m.entry[f]
	m.entryMu.Unlock()
	if ok {
		return hs
	}
	if depth > maxEntryDepth {
		return f.Requires
	}
	m.entryMu.Lock()
	m.entry[f] = f.Requires // recursion guard
	m.entryMu.Unlock()
	hs = m.computeEntryLocks(f, depth)
	m.entryMu.Lock()
	m.entry[f] = hs
	m.entryMu.Unlock()
	return hs
}

func (m *Model) computeEntryLocks(f *Func, depth int) []*Held {
	// Callers outside the package are not seen: computeRequires's rule.
	if f.Exported && f.SSA.Parent() == nil {
		return f.Requires
	}
	ps := m.Places(f)
	if len(ps) == 0 {
		return f.Requires
	}
	var prod []*Place
	for _, pl := range ps {
		if pl.Kind != PlaceCall && pl.Kind != PlaceDefer {
			return f.Requires
		}
		if !strings.HasSuffix(m.Fset.Position(pl.Instr.Pos()).Filename, "_test.go") {
			prod = append(prod, pl)
		}
	}
	if len(prod) > 0 {
		ps = prod
	}
	var common map[Key]*Held
	var fresh []map[Key]*Held
	for _, pl := range ps {
		here := make(map[Key]*Held)
		var at []*Held
		if pl.Site != nil {
			at = pl.Site.Held
		} else if st := pl.In.states[pl.Instr]; st != nil {
			at = st.heldList()
		}
		for _, h := range append(append([]*Held(nil), at...), m.entryLocks(pl.In, depth+1)...) {
			p := h.Path
			if pl.Site != nil {
				var ok bool
				if p, ok = m.unsubstitute(h.Path, pl.Site); !ok {
					continue
				}
			}
			here[p.Key()] = &Held{Path: p, Read: h.Read, Site: h.Site, Via: h.Via, FromCaller: true}
		}
		if pl.Site != nil && m.freshReceiver(pl.Site) {
			fresh = append(fresh, here)
			continue
		}
		if common == nil {
			common = here
			continue
		}
		for k, h := range common {
			if o, ok := here[k]; !ok || o.Read != h.Read {
				delete(common, k)
			}
		}
	}
	if common == nil {
		return f.Requires
	}
	// At a call on a new object, only the receiver's own locks are excused.
	for _, here := range fresh {
		for k, h := range common {
			if _, ok := here[k]; !ok && !(h.Path.Root.Kind == RootParam && h.Path.Root.Param == 0) {
				delete(common, k)
			}
		}
	}
	out := append([]*Held(nil), f.Requires...)
	for k, h := range common {
		if !slices.ContainsFunc(out, func(o *Held) bool { return o.Path.Key() == k }) {
			out = append(out, h)
		}
	}
	sortHeld(out)
	return out
}

// freshReceiver reports whether the call at cs is a method call on an
// object its caller made and has not yet handed to a goroutine.
func (m *Model) freshReceiver(cs *CallSite) bool {
	if cs.Callee.SSA.Signature.Recv() == nil || cs.Callback {
		return false
	}
	return m.freshArg(cs, 0)
}

// freshParam reports whether a is an access of an object that every
// caller of its function made itself and has not published: a helper of a
// constructor (s.init() called from New).
func (m *Model) freshParam(a *Access) bool {
	if a.Path.Root.Kind != RootParam || a.Path.Root.Frame != a.Func.SSA {
		return false
	}
	f := a.Func
	if f.Exported || f.ValueUses > 0 || len(f.CalledFrom) == 0 {
		return false
	}
	for _, cs := range f.CalledFrom {
		if cs.Go || cs.Defer {
			return false
		}
		if !m.freshArg(cs, a.Path.Root.Param) {
			return false
		}
	}
	return true
}

// freshArg reports whether argument i of the call at cs is an object the
// caller made and has not yet handed to a goroutine.
func (m *Model) freshArg(cs *CallSite, i int) bool {
	args := cs.Args()
	if i >= len(args) || args[i] == nil {
		return false
	}
	p, ok := m.PathOf(args[i])
	if !ok || p.Root.Kind != RootValue || p.Root.Frame != cs.Caller.SSA || len(p.Fields) > 0 {
		return false
	}
	if _, isAlloc := p.Root.Value.(*ssa.Alloc); !isAlloc {
		return false
	}
	for _, op := range cs.Caller.Ops {
		if op.Goroutine != nil && op.Pos < cs.Pos {
			return false
		}
	}
	return true
}

// annotations reads gVisor checklocks annotations on struct fields:
// "// +checklocks:mu" in the field's doc or line comment.
func (m *Model) annotations() map[*types.Var]lockCand {
	out := make(map[*types.Var]lockCand)
	for _, file := range m.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok || st.Fields == nil {
				return true
			}
			for _, field := range st.Fields.List {
				name := checklocksName(field.Doc)
				if name == "" {
					name = checklocksName(field.Comment)
				}
				if name == "" {
					continue
				}
				lock := m.lockNamed(st, name)
				for _, id := range field.Names {
					if v, ok := m.Info.Defs[id].(*types.Var); ok {
						out[v.Origin()] = lockCand{lock: lock, rel: name}
					}
				}
			}
			return true
		})
	}
	return out
}

// checklocksName returns the lock named by a "+checklocks:" comment.
func checklocksName(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	for _, c := range cg.List {
		text := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(c.Text, "//"), "/*"))
		if rest, ok := strings.CutPrefix(text, "+checklocks:"); ok {
			if i := strings.IndexAny(rest, " \t*"); i >= 0 {
				rest = rest[:i]
			}
			return rest
		}
	}
	return ""
}

// lockNamed resolves a lock named in an annotation of a field of st: a
// field of st (mu, inner.mu) or a package variable.
func (m *Model) lockNamed(st *ast.StructType, name string) *types.Var {
	tv, ok := m.Info.Types[st]
	if !ok {
		return nil
	}
	t := tv.Type
	parts := strings.Split(name, ".")
	var last *types.Var
	for _, part := range parts {
		s, ok := t.Underlying().(*types.Struct)
		if !ok {
			last = nil
			break
		}
		var found *types.Var
		for i := range s.NumFields() {
			if s.Field(i).Name() == part {
				found = s.Field(i)
			}
		}
		if found == nil {
			last = nil
			break
		}
		last, t = found, deref(found.Type())
	}
	if last != nil {
		return last.Origin()
	}
	if v, ok := m.Pkg.Scope().Lookup(name).(*types.Var); ok {
		return v
	}
	return nil
}
