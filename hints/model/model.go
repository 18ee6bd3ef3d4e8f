package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"
)

// Analyzer builds the Model of a package. Checks list it in Requires and
// read it from pass.ResultOf; the language server reads the same result for
// hovers, so the model is built once per package version.
var Analyzer = &analysis.Analyzer{
	Name:             "concmodel",
	Doc:              "build the concurrency model of a package (goroutines, sync objects, lock sets, channel ends, accesses)",
	URL:              "https://github.com/synclens/synclens/tree/main/hints/model",
	Run:              run,
	RunDespiteErrors: true,
	Requires:         []*analysis.Analyzer{ctrlflow.Analyzer},
	ResultType:       reflect.TypeFor[*Model](),
}

func run(pass *analysis.Pass) (any, error) {
	cfgs := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
	return Build(pass.Fset, pass.Pkg, pass.Files, pass.TypesInfo, cfgs.NoReturn), nil
}

// Model is the concurrency model of one package.
type Model struct {
	Fset  *token.FileSet
	Pkg   *types.Package
	Files []*ast.File
	Info  *types.Info
	SSA   *ssa.Package

	hbOnce sync.Once
	hb     *hb // happens-before facts, computed on demand (hb.go)

	entryMu sync.Mutex
	entry   map[*Func][]*Held // entryLocks, memoised

	Funcs      []*Func   // source functions, closures included, in source order
	Ops        []*Op     // concurrency operations in source order
	Objects    []*Object // sync objects, by class (T.mu) or by local identity
	Goroutines []*Goroutine
	LockEdges  []*LockEdge     // "B acquired while A held" facts
	Conflicts  []*LockConflict // a lock acquired while the same goroutine holds it
	Accesses   []*Access       // field and package variable accesses in code that may run concurrently
	Chans      []*Chan         // channels made in the package, each followed to its uses
	// UnlockValues are Unlock method values handed on (unlockvalues.go).
	UnlockValues []*UnlockValue

	funcs    map[*ssa.Function]*Func
	closures map[*ssa.Function]*ssa.MakeClosure
	opsAt    map[token.Pos][]*Op
	objects  map[objectKey]*Object
	owners   map[*types.Var]*types.TypeName // field -> named struct type declaring it
	uf       *unionFind                     // object keys joined through parameter bindings
	reach    map[*Func][]*Func              // functions reached by static calls, the function first
	byVar    map[*types.Var]*Object         // objects by the variable naming them

	dynamic map[ssa.CallInstruction][]*ssa.Function // callees of dynamic calls (callgraph.go)

	chanOf map[*Op]*Chan // make(chan) op -> its channel
	cfg    cfgCache      // loops and branch conditions, computed on demand (channels.go)
}

// Func is a source function of the package and what the model knows of it.
type Func struct {
	SSA   *ssa.Function
	Model *Model
	Ops   []*Op       // operations in this function
	Calls []*CallSite // static calls to functions of this package
	// CalledFrom lists the static call sites of this function in the package;
	// ValueUses counts other references (function and method values passed
	// or stored, closures used other than by a call), after which callers
	// are unknown.
	CalledFrom []*CallSite
	ValueUses  int
	Exported   bool // callable from other packages

	Summary Summary
	Exits   []*Exit // the locks possibly held at each normal return
	// Requires lists the locks held at every call site of this function in
	// the package (empty when it has no call sites, is used as a value, or is
	// started as a goroutine).
	Requires []*Held

	// Goroutines lists the goroutines that run this function (their target
	// reaches it by calls). A function may also run in its callers'
	// goroutines.
	Goroutines []*Goroutine

	states map[ssa.Instruction]*lockState // lock state just before each instruction (final)
}

// CallSite is a call from one function of the package to another: a
// static call, or one of the functions a dynamic call may run (see
// callgraph.go).
type CallSite struct {
	Caller, Callee *Func
	Instr          ssa.CallInstruction
	Pos            token.Pos
	Go, Defer      bool
	Held           []*Held // locks certainly held at the call (caller's goroutine)
	// Dynamic is set for a call through an interface method or a function
	// value, and for a callback a library function runs (Callback); Alts
	// is then the number of package functions the call may run.
	Dynamic, Callback bool
	Alts              int

	recv    ssa.Value // the receiver a method value binds, when known
	hasRecv bool      // Callee's receiver is not among the call's Args
}

// Op is one concurrency operation.
type Op struct {
	Kind     OpKind
	ObjKind  ObjKind
	Path     Path    // the object operated on; invalid when unknown
	Object   *Object // nil when the path is unknown
	Func     *Func
	Instr    ssa.Instruction
	Pos      token.Pos
	Deferred bool // runs when the function returns (defer statement)
	// For OpGo, OpWGGo, OpGroupGo, OpAfterFunc, OpOnceDo, OpOnceFunc: the function run.
	Target *Func
	// For channel operations: the select statement holding this case, if any.
	Select *ssa.Select
	Case   int // index in Select.States
	Held   []*Held
	// For OpMakeChan: the capacity, or -1 when not a constant; CapName
	// then names it as the source does, when it can (limit), and
	// CapParamOf is the function it is a parameter of (NewLimiter).
	Cap                 int64
	CapName, CapParamOf string
	// For OpCondNew: the Cond's Locker (L), when known.
	Locker Path
	// Goroutine is the goroutine started by OpGo, OpWGGo, OpGroupGo, OpAfterFunc.
	Goroutine *Goroutine

	flows []Flow // for OpWithCancel: where the cancel func goes (Flows)
}

// Object is a synchronization object with identity: a field of a type (all
// instances of T.mu together), a package variable, or a value made in one
// function.
type Object struct {
	Kind  ObjKind
	Name  string   // as the source spells it: "s.mu", "cacheMu", "jobs"
	Class ClassKey // "" for function-local objects
	Type  types.Type
	Decl  token.Pos // declaring field, variable or make site
	Ops   []*Op
	// Cap is the capacity of a channel made with a constant size (-1 unknown).
	Cap int64
	// CapName and CapParamOf name a capacity that is not a constant (see
	// Op.CapName).
	CapName, CapParamOf string
}

type objectKey struct {
	class ClassKey
	key   Key
}

// OpsAt returns the operations whose position is pos.
func (m *Model) OpsAt(pos token.Pos) []*Op { return m.opsAt[pos] }

// FuncOf returns the model's function for fn, or nil.
func (m *Model) FuncOf(fn *ssa.Function) *Func { return m.funcs[fn] }

// Owner returns the named struct type that declares field f, or nil.
func (m *Model) Owner(f *types.Var) *types.TypeName { return m.owners[f.Origin()] }

// ObjectOfField returns the object for field f (of any instance), or nil.
func (m *Model) ObjectOfField(f *types.Var) *Object {
	return m.objects[m.uf.find(objectKey{class: ClassKey(FieldClass(f))})]
}

// Build builds the model of a type-checked package. noReturn reports
// functions that never return normally (from ctrlflow); it may be nil.
func Build(fset *token.FileSet, pkg *types.Package, files []*ast.File, info *types.Info, noReturn func(*types.Func) bool) *Model {
	m := &Model{
		Fset: fset, Pkg: pkg, Files: files, Info: info,
		funcs:    make(map[*ssa.Function]*Func),
		closures: make(map[*ssa.Function]*ssa.MakeClosure),
		opsAt:    make(map[token.Pos][]*Op),
		objects:  make(map[objectKey]*Object),
		owners:   make(map[*types.Var]*types.TypeName),
		entry:    make(map[*Func][]*Held),
	}
	prog := ssa.NewProgram(fset, ssa.GlobalDebug)
	if noReturn != nil {
		prog.SetNoReturn(noReturn)
	}
	for _, p := range pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	m.SSA = prog.CreatePackage(pkg, files, info, false)
	m.SSA.Build()

	m.collectFuncs()
	m.resolveCalls()
	m.indexOwners()
	m.collectOps()
	m.computeLockStates()
	m.collectGoroutines()
	m.collectChans()
	m.collectAccesses()
	m.collectFlows()
	sort.SliceStable(m.Ops, func(i, j int) bool { return m.Ops[i].Pos < m.Ops[j].Pos })
	return m
}

// collectFuncs lists source functions in source order, with their closures.
func (m *Model) collectFuncs() {
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn.Blocks == nil {
			return
		}
		f := &Func{SSA: fn, Model: m}
		if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil {
			f.Exported = obj.Exported()
			if sig := obj.Type().(*types.Signature); sig.Recv() != nil {
				f.Exported = obj.Exported() && isExportedType(sig.Recv().Type())
			}
		}
		m.funcs[fn] = f
		m.Funcs = append(m.Funcs, f)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range m.Files {
		for _, decl := range file.Decls {
			decl, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, _ := m.Info.Defs[decl.Name].(*types.Func)
			if obj == nil {
				continue
			}
			if fn := m.SSA.Prog.FuncValue(obj); fn != nil {
				add(fn)
			}
		}
	}
	// The package initializer runs the package variables' initial values
	// (var once = sync.OnceFunc(...)), with their closures.
	if init := m.SSA.Func("init"); init != nil {
		add(init)
	}
	for _, f := range m.Funcs {
		for _, b := range f.SSA.Blocks {
			for _, in := range b.Instrs {
				if mc, ok := in.(*ssa.MakeClosure); ok {
					m.closures[mc.Fn.(*ssa.Function)] = mc
				}
			}
		}
	}
}

func isExportedType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Exported()
	}
	return false
}

// indexOwners maps each struct field declared in the package to its type.
func (m *Model) indexOwners() {
	var visit func(tn *types.TypeName, st *types.Struct)
	visit = func(tn *types.TypeName, st *types.Struct) {
		for i := range st.NumFields() {
			f := st.Field(i)
			if _, seen := m.owners[f]; seen {
				continue
			}
			m.owners[f] = tn
			if inner, ok := f.Type().Underlying().(*types.Struct); ok {
				if _, named := f.Type().(*types.Named); !named {
					visit(tn, inner) // anonymous struct field: fields belong to the outer type
				}
			}
		}
	}
	scope := m.Pkg.Scope()
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok {
			if st, ok := tn.Type().Underlying().(*types.Struct); ok {
				visit(tn, st)
			}
		}
	}
	// Types declared inside functions.
	for _, obj := range m.Info.Defs {
		if tn, ok := obj.(*types.TypeName); ok && tn.Parent() != scope {
			if st, ok := tn.Type().Underlying().(*types.Struct); ok {
				visit(tn, st)
			}
		}
	}
}

// FieldName renders a field as Type.field.
func (m *Model) FieldName(f *types.Var) string {
	if tn := m.Owner(f); tn != nil {
		return tn.Name() + "." + f.Name()
	}
	return f.Name()
}

// Position returns the position of pos.
func (m *Model) Position(pos token.Pos) token.Position { return m.Fset.Position(pos) }
