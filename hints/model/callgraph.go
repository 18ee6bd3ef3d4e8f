package model

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/ssa"
)

// Call resolution.
//
// A call runs a function the code names (a static call) or one chosen at
// run time: a method of an interface value, or a function value (a closure,
// a method value, a function kept in a field, map or slice, passed as an
// argument or returned). The model resolves dynamic calls with variable
// type analysis (golang.org/x/tools/go/callgraph/vta) over the package's
// functions: such a call may run the functions of the package whose values,
// or whose receivers' concrete types, flow to the called value inside the
// package. Values made in other packages are not seen, so a dynamic call is
// never known to run only these: a check treats what it runs as possible,
// not certain, unless one function is the only one that reaches it
// (CallSite.Alts == 1).
//
// A few functions of the standard library call a function argument before
// they return (sort.Slice, sync.Map.Range, slices.SortFunc, ...): the model
// records such a call as a call of that function from the call site
// (CallSite.Callback), since it runs in the caller's goroutine with the
// caller's locks held.

// resolveCalls computes the package functions that each dynamic call of
// the package may run.
func (m *Model) resolveCalls() {
	m.dynamic = make(map[ssa.CallInstruction][]*ssa.Function)
	funcs := make(map[*ssa.Function]bool, len(m.Funcs))
	any := false
	for _, f := range m.Funcs {
		funcs[f.SSA] = true
		if !any {
			any = hasDynamicCall(f.SSA)
		}
	}
	if !any {
		return
	}
	// The wrappers of method values (s.flush as a value) and method
	// expressions are what flows to such calls: VTA resolves a call only
	// to functions in the set it is given.
	for _, f := range m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				for _, rand := range in.Operands(nil) {
					if fn, ok := (*rand).(*ssa.Function); ok && fn.Synthetic != "" && fn.Blocks != nil {
						funcs[fn] = true
					}
				}
			}
		}
	}
	// With no initial call graph, VTA starts from class hierarchy analysis
	// over funcs alone: the package's own functions are the only callees
	// it can find, which is what the model follows.
	g := vta.CallGraph(funcs, nil)
	for fn, n := range g.Nodes {
		if !funcs[fn] {
			continue
		}
		for _, e := range n.Out {
			if e.Site.Common().StaticCallee() != nil {
				continue
			}
			m.dynamic[e.Site] = append(m.dynamic[e.Site], e.Callee.Func)
		}
	}
}

func hasDynamicCall(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(ssa.CallInstruction); ok {
				if _, builtin := c.Common().Value.(*ssa.Builtin); !builtin && c.Common().StaticCallee() == nil {
					return true
				}
			}
		}
	}
	return false
}

// dynamicSites returns the call sites of a dynamic call: one per package
// function it may run, in a stable order.
func (m *Model) dynamicSites(f *Func, in ssa.CallInstruction) []*CallSite {
	c := in.Common()
	if !c.IsInvoke() && paramIndex(f.SSA, c.Value) >= 0 {
		// A call of a function parameter: the summary's ParamCalls apply
		// it at each call site, with the function passed there.
		return nil
	}
	var out []*CallSite
	seen := make(map[*Func]bool)
	for _, fn := range m.dynamic[in] {
		callee, recv := m.resolvedFunc(fn, c.Value)
		if callee == nil || seen[callee] {
			continue
		}
		seen[callee] = true
		out = append(out, &CallSite{Caller: f, Callee: callee, Instr: in, Dynamic: true, recv: recv, hasRecv: c.IsInvoke() || isBoundWrapper(fn)})
	}
	sortSites(out)
	for _, cs := range out {
		cs.Alts = len(out)
	}
	return out
}

// resolvedFunc maps a function VTA resolved a call of v to onto the
// package function that runs: the method behind a method value's wrapper
// (with the receiver it binds, when v shows it), the method behind a
// method expression's thunk, the generic function behind an instance.
func (m *Model) resolvedFunc(fn *ssa.Function, v ssa.Value) (*Func, ssa.Value) {
	if f := m.funcOrOriginOf(fn); f != nil {
		return f, nil
	}
	if fn.Synthetic == "" {
		return nil, nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return nil, nil
	}
	mfn := m.SSA.Prog.FuncValue(obj)
	if mfn == nil {
		return nil, nil // an interface method: its thunk calls through the interface
	}
	method := m.funcOrOriginOf(mfn)
	if method == nil {
		return nil, nil
	}
	if isBoundWrapper(fn) {
		if mc, ok := v.(*ssa.MakeClosure); ok && len(mc.Bindings) == 1 {
			return method, mc.Bindings[0]
		}
		return method, nil
	}
	if strings.HasSuffix(fn.Name(), "$thunk") {
		return method, nil
	}
	return nil, nil
}

// callbackSite returns the call site of a function value that call in
// passes to a standard library function which calls it before returning,
// or nil.
func (m *Model) callbackSite(f *Func, in ssa.CallInstruction) *CallSite {
	c := in.Common()
	if _, isGo := in.(*ssa.Go); isGo {
		return nil
	}
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return nil
	}
	i := syncCallbackArg(obj)
	if i < 0 || i >= len(c.Args) {
		return nil
	}
	target := m.targetOf(c.Args[i], nil)
	if target == nil {
		return nil
	}
	return &CallSite{Caller: f, Callee: target, Instr: in, Dynamic: true, Callback: true, Alts: 1}
}

// syncCallbackArg returns the index in the call's arguments (the receiver
// first, for methods) of the function that fn calls before it returns, or
// -1. These run their argument in the caller's goroutine.
func syncCallbackArg(fn *types.Func) int {
	if fn.Pkg() == nil {
		return -1
	}
	name := fn.Name()
	if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil {
		switch fn.Pkg().Path() + "." + typeName(sig.Recv().Type()) + "." + name {
		case "sync.Map.Range":
			// sync.Once.Do is the model's OpOnceDo, with its own place.
			return 1
		}
		return -1
	}
	switch fn.Pkg().Path() + "." + name {
	case "sort.Slice", "sort.SliceStable", "sort.Search", "sort.SliceIsSorted",
		"slices.SortFunc", "slices.SortStableFunc", "slices.IsSortedFunc", "slices.IndexFunc",
		"slices.ContainsFunc", "slices.DeleteFunc", "slices.CompactFunc", "slices.MinFunc",
		"slices.MaxFunc", "maps.DeleteFunc",
		"strings.FieldsFunc", "strings.IndexFunc", "strings.LastIndexFunc", "strings.TrimFunc",
		"strings.TrimLeftFunc", "strings.TrimRightFunc", "strings.ContainsFunc",
		"bytes.FieldsFunc", "bytes.IndexFunc", "bytes.LastIndexFunc", "bytes.TrimFunc",
		"bytes.ContainsFunc", "path/filepath.Walk", "path/filepath.WalkDir":
		return 1
	case "slices.BinarySearchFunc", "slices.EqualFunc", "io/fs.WalkDir":
		return 2
	case "strings.Map", "bytes.Map":
		return 0
	}
	return -1
}

// Args returns the values a call site passes to its callee's parameters,
// in the order of Callee.SSA.Params: the receiver first for a method
// reached through an interface or a method value. An entry is nil when the
// value is not known here (a method value whose receiver was bound
// elsewhere, or the arguments a library function passes a callback).
func (cs *CallSite) Args() []ssa.Value {
	if cs.Callback {
		return make([]ssa.Value, len(cs.Callee.SSA.Params))
	}
	c := cs.Instr.Common()
	if !cs.hasRecv {
		return c.Args
	}
	recv := cs.recv
	if c.IsInvoke() {
		recv = c.Value
	}
	return append([]ssa.Value{recv}, c.Args...)
}

// Certain reports whether the call surely runs its callee when it runs: a
// static call, or a dynamic call that only this package function reaches.
func (cs *CallSite) Certain() bool { return !cs.Dynamic || cs.Alts == 1 }

// CallSitesAt returns the call sites of instruction in: one for a static
// call, one per possible callee for a dynamic one.
func (f *Func) CallSitesAt(in ssa.Instruction) []*CallSite {
	var out []*CallSite
	for _, cs := range f.Calls {
		if cs.Instr == in {
			out = append(out, cs)
		}
	}
	return out
}

func sortSites(cs []*CallSite) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Callee.SSA.Pos() < cs[j-1].Callee.SSA.Pos(); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}
