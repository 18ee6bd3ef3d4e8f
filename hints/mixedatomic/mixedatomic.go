package mixedatomic

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports variables accessed both with sync/atomic and plainly.
var Analyzer = &analysis.Analyzer{
	Name:     "mixedatomic",
	Doc:      analysisutil.MustExtractDoc(doc, "mixedatomic"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#mixedatomic",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

type key struct {
	v    *types.Var
	cell *ssa.Alloc
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	if m.RuntimeInternal() {
		return nil, nil
	}
	groups := make(map[key][]*model.Access)
	var order []key
	hasAtomic := make(map[key]bool)
	for _, a := range m.Accesses {
		if a.Map || a.Var == nil && a.Cell == nil {
			continue
		}
		k := key{a.Var, a.Cell}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], a)
		if a.Atomic {
			hasAtomic[k] = true
		}
	}
	for _, k := range order {
		if !hasAtomic[k] || !atomicType(k, groups[k][0]) {
			continue
		}
		check(pass, m, k, groups[k])
	}
	return nil, nil
}

// atomicType reports whether the variable has a type that sync/atomic
// functions operate on (an integer, a pointer, unsafe.Pointer), rather
// than an array or struct of typed atomics.
func atomicType(k key, a *model.Access) bool {
	var t types.Type
	switch {
	case k.v != nil:
		t = k.v.Type()
	case k.cell != nil:
		t = k.cell.Type().(*types.Pointer).Elem()
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsInteger != 0 || u.Kind() == types.UnsafePointer
	case *types.Pointer:
		return true
	}
	return false
}

// race is a plain access racing with an atomic one.
type race struct {
	plain, atomic *model.Access
	why           *model.Parallelism
}

func check(pass *analysis.Pass, m *model.Model, k key, accs []*model.Access) {
	var atomics, plains []*model.Access
	for _, a := range accs {
		if a.Atomic {
			atomics = append(atomics, a)
		} else {
			plains = append(plains, a)
		}
	}
	if len(plains) == 0 {
		return
	}
	var found []race
	seenFunc := make(map[*model.Func]bool)
	for _, p := range plains {
		if seenFunc[p.Func] || m.Unpublished(p) {
			continue
		}
		if !p.Write && onlyWriter(p, accs) {
			continue // the only writer reads its own variable
		}
		if explained(pass, p.Pos) {
			continue
		}
		for _, w := range atomics {
			if !p.Write && !w.Write {
				continue
			}
			// Wherever each runs: a lock the callers hold counts.
			if model.CommonLockHeld(m.HeldAlways(p), m.HeldAlways(w)) != nil {
				continue
			}
			par := m.Parallel(p, w)
			if par == nil && (m.Common(p, w) || !sharedAssumed(m, p, w)) {
				continue // ordered, or no sign that they run at the same time
			}
			found = append(found, race{plain: p, atomic: w, why: par})
			seenFunc[p.Func] = true
			break
		}
	}
	if len(found) == 0 {
		return
	}
	report(pass, m, k, found, accs, atomics)
}

// sharedAssumed decides, when the goroutines of the package say nothing,
// whether the plain access p and the atomic access w can still run at the
// same time. The atomic access says that the variable is shared; a plain
// read is then taken to race with it. A plain write needs more: a lock
// held at it (Close writing under c.mu runs while others use the object);
// a write without any is usually initialization (Init, Reset before use).
// Tests and benchmarks run one at a time, and elements of slices and
// arrays may be distinct.
func sharedAssumed(m *model.Model, p, w *model.Access) bool {
	if p.Path.Elem || w.Path.Elem || m.TestOnly(p.Func) || m.TestOnly(w.Func) {
		return false
	}
	if p.Write && len(p.Held) == 0 {
		return false
	}
	return true
}

// explained reports whether a comment ending on the line above pos talks
// about atomicity ("No need for an atomic read: we have
// exclusive access"): the author decided the plain access is safe.
func explained(pass *analysis.Pass, pos token.Pos) bool {
	line := pass.Fset.PositionFor(pos, false).Line
	for _, f := range pass.Files {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		for _, cg := range f.Comments {
			end := pass.Fset.PositionFor(cg.End(), false).Line
			if end != line-1 || !ownLine(pass, cg.Pos()) {
				continue
			}
			if strings.Contains(strings.ToLower(cg.Text()), "atomic") {
				return true
			}
		}
	}
	return false
}

// onlyWriter reports whether every write of the variable is in p's
// function.
func onlyWriter(p *model.Access, accs []*model.Access) bool {
	for _, a := range accs {
		if a.Write && a.Func != p.Func {
			return false
		}
	}
	return true
}

func report(pass *analysis.Pass, m *model.Model, k key, found []race, accs, atomics []*model.Access) {
	r := found[0]
	p, w := r.plain, r.atomic
	where := func(pos token.Pos) string {
		a, b := pass.Fset.Position(pos), pass.Fset.Position(p.Pos)
		if a.Filename == b.Filename {
			return fmt.Sprintf("line %d", a.Line)
		}
		return fmt.Sprintf("%s:%d", filepath.Base(a.Filename), a.Line)
	}
	name := varName(p, k)
	fn := atomicFunc(w)
	var msg string
	if p.Write {
		msg = fmt.Sprintf("%s is written here without sync/atomic, but %s accesses it with %s (%s): the plain write races with the atomic access",
			name, funcName(w.Func), fn, where(w.Pos))
	} else {
		msg = fmt.Sprintf("%s is read here without sync/atomic, but %s writes it with %s (%s): the plain read races with the atomic write",
			name, funcName(w.Func), fn, where(w.Pos))
	}
	if r.why != nil && r.why.A.Kind != 0 || r.why != nil && r.why.B.Kind != 0 {
		msg += "; they run in different goroutines"
	}
	diag := analysis.Diagnostic{
		Pos:      p.Pos,
		Category: "mixedatomic",
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: w.Pos, Message: fmt.Sprintf("%s uses %s here", funcName(w.Func), fn)}},
	}
	for _, o := range found[1:] {
		diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: o.plain.Pos, Message: fmt.Sprintf("also accessed without sync/atomic in %s", funcName(o.plain.Func))})
	}
	if fix, ok := typedAtomicFix(pass, k, name); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(diag)
}

// atomicFunc names the sync/atomic function of an atomic access.
func atomicFunc(a *model.Access) string {
	if c, ok := a.Instr.(ssa.CallInstruction); ok {
		if fn := c.Common().StaticCallee(); fn != nil && fn.Pkg != nil {
			return "atomic." + fn.Name()
		}
	}
	return "sync/atomic"
}

func varName(a *model.Access, k key) string {
	if k.cell != nil {
		return k.cell.Comment
	}
	if a.Path.Valid() {
		if n := a.Path.Name(); n != "" {
			return n
		}
	}
	return k.v.Name()
}

func funcName(f *model.Func) string {
	fn := f.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn.Name()
}

// ---- the quick fix: a typed atomic ----

var typedAtomics = map[types.BasicKind]string{
	types.Int32: "Int32", types.Int64: "Int64", types.Uint32: "Uint32", types.Uint64: "Uint64", types.Uintptr: "Uintptr",
}

// typedAtomicFix changes the variable to the typed atomic and rewrites
// every use in the package, or gives up.
func typedAtomicFix(pass *analysis.Pass, k key, name string) (analysis.SuggestedFix, bool) {
	var obj *types.Var
	if k.v != nil {
		obj = k.v
	} else if k.cell != nil {
		for id, o := range pass.TypesInfo.Defs {
			if id.Pos() == k.cell.Pos() {
				obj, _ = o.(*types.Var)
			}
		}
	}
	if obj == nil || obj.Exported() || obj.Pkg() != pass.Pkg {
		return analysis.SuggestedFix{}, false
	}
	basic, ok := obj.Type().(*types.Basic) // the basic type itself, not a named one
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	typed, ok := typedAtomics[basic.Kind()]
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	r := &rewriter{pass: pass, obj: obj, typed: typed, basic: basic}
	if !r.run() {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Change %s to atomic.%s and use its methods everywhere", obj.Name(), typed),
		TextEdits: r.edits,
	}, true
}

type rewriter struct {
	pass  *analysis.Pass
	obj   *types.Var
	typed string
	basic *types.Basic
	edits []analysis.TextEdit
	// per file: the local name of sync/atomic, calls rewritten, other uses
	atomicName map[*ast.File]string
	removed    map[*ast.File]int
}

func (r *rewriter) run() bool {
	r.atomicName = make(map[*ast.File]string)
	r.removed = make(map[*ast.File]int)
	declFile := (*ast.File)(nil)
	for _, f := range r.pass.Files {
		if !r.versionOK(f) {
			if r.mentions(f) {
				return false
			}
			continue
		}
		ok := true
		path := []ast.Node{}
		ast.Inspect(f, func(n ast.Node) bool {
			if !ok {
				return false
			}
			if n == nil {
				path = path[:len(path)-1]
				return true
			}
			path = append(path, n)
			id, isID := n.(*ast.Ident)
			if !isID {
				return true
			}
			switch {
			case r.pass.TypesInfo.Defs[id] == r.obj:
				declFile = f
				ok = r.decl(f, path)
			case r.pass.TypesInfo.Uses[id] == r.obj:
				ok = r.use(f, path)
			}
			return true
		})
		if !ok {
			return false
		}
	}
	if declFile == nil {
		return false
	}
	// Imports: the declaring file needs sync/atomic; a file whose last use
	// of the package went away must drop it.
	for _, f := range r.pass.Files {
		uses := r.atomicUses(f)
		need := uses - r.removed[f]
		if f == declFile {
			need++
		}
		imported := r.importSpec(f)
		switch {
		case need > 0 && imported == nil:
			if f != declFile || !r.addImport(f) {
				return false
			}
		case need == 0 && imported != nil:
			r.edits = append(r.edits, deleteSpec(r.pass, f, imported))
		}
	}
	return true
}

// versionOK reports whether typed atomics exist at the file's Go version.
func (r *rewriter) versionOK(f *ast.File) bool {
	v := r.pass.TypesInfo.FileVersions[f]
	if v == "" {
		return true
	}
	var maj, min int
	fmt.Sscanf(v, "go%d.%d", &maj, &min)
	return maj > 1 || min >= 19
}

func (r *rewriter) mentions(f *ast.File) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && (r.pass.TypesInfo.Uses[id] == r.obj || r.pass.TypesInfo.Defs[id] == r.obj) {
			found = true
		}
		return !found
	})
	return found
}

// decl changes the declared type.
func (r *rewriter) decl(f *ast.File, path []ast.Node) bool {
	if len(path) < 2 {
		return false
	}
	name := r.localAtomic(f)
	switch d := path[len(path)-2].(type) {
	case *ast.Field: // a struct field
		if len(d.Names) != 1 || d.Type == nil {
			return false
		}
		r.edits = append(r.edits, analysis.TextEdit{Pos: d.Type.Pos(), End: d.Type.End(), NewText: []byte(name + "." + r.typed)})
		return true
	case *ast.ValueSpec: // var n int64
		if len(d.Names) != 1 || d.Type == nil || len(d.Values) != 0 {
			return false
		}
		r.edits = append(r.edits, analysis.TextEdit{Pos: d.Type.Pos(), End: d.Type.End(), NewText: []byte(name + "." + r.typed)})
		return true
	}
	return false
}

// localAtomic is the name sync/atomic has (or will have) in f.
func (r *rewriter) localAtomic(f *ast.File) string {
	if spec := r.importSpec(f); spec != nil && spec.Name != nil {
		return spec.Name.Name
	}
	return "atomic"
}

func (r *rewriter) importSpec(f *ast.File) *ast.ImportSpec {
	for _, spec := range f.Imports {
		if spec.Path.Value == `"sync/atomic"` {
			return spec
		}
	}
	return nil
}

// atomicUses counts the references to sync/atomic in f.
func (r *rewriter) atomicUses(f *ast.File) int {
	n := 0
	ast.Inspect(f, func(x ast.Node) bool {
		if sel, ok := x.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if pn, ok := r.pass.TypesInfo.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == "sync/atomic" {
					n++
				}
			}
		}
		return true
	})
	return n
}

func (r *rewriter) addImport(f *ast.File) bool {
	if len(f.Imports) == 0 {
		r.edits = append(r.edits, analysis.TextEdit{Pos: f.Name.End(), End: f.Name.End(), NewText: []byte("\n\nimport \"sync/atomic\"")})
		return true
	}
	last := f.Imports[len(f.Imports)-1]
	r.edits = append(r.edits, analysis.TextEdit{Pos: last.End(), End: last.End(), NewText: []byte("\n\t\"sync/atomic\"")})
	return true
}

// deleteSpec removes an import spec (its line).
func deleteSpec(pass *analysis.Pass, f *ast.File, spec *ast.ImportSpec) analysis.TextEdit {
	tf := pass.Fset.File(spec.Pos())
	line := analysisutil.Line(tf, spec.Pos())
	start, end := tf.LineStart(line), spec.End()
	if line < tf.LineCount() {
		end = tf.LineStart(line + 1)
	}
	// A single import without parentheses: remove the whole declaration.
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT && !gd.Lparen.IsValid() && len(gd.Specs) == 1 && gd.Specs[0] == spec {
			start = tf.LineStart(analysisutil.Line(tf, gd.Pos()))
		}
	}
	return analysis.TextEdit{Pos: start, End: end}
}

// use rewrites one use of the variable, given the syntax path to it.
func (r *rewriter) use(f *ast.File, path []ast.Node) bool {
	// The expression denoting the variable: x.f (selector) or n (ident).
	i := len(path) - 1
	expr := path[i].(ast.Expr)
	if i > 0 {
		if sel, ok := path[i-1].(*ast.SelectorExpr); ok && sel.Sel == path[i] {
			i--
			expr = sel
		}
	}
	for i > 0 {
		if p, ok := path[i-1].(*ast.ParenExpr); ok {
			i--
			expr = p
			continue
		}
		break
	}
	if i == 0 {
		return false
	}
	src := r.text(expr)
	parent := path[i-1]
	switch p := parent.(type) {
	case *ast.KeyValueExpr:
		if p.Key == expr {
			return false // S{n: 1}: cannot initialize a typed atomic in a literal
		}
	case *ast.UnaryExpr:
		if p.Op == token.AND {
			return r.addrUse(f, path[:i-1], p, src)
		}
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == expr {
				return r.assign(p, expr, src)
			}
		}
	case *ast.IncDecStmt:
		delta := "1"
		if p.Tok == token.DEC {
			if r.unsigned() {
				delta = "^" + r.basic.Name() + "(0)"
			} else {
				delta = "-1"
			}
		}
		r.replace(p.Pos(), p.End(), src+".Add("+delta+")")
		return true
	case *ast.SelectorExpr:
		if p.X == expr {
			return false // a method of the basic type: not possible; be safe
		}
	}
	// A plain read.
	r.replace(expr.Pos(), expr.End(), src+".Load()")
	return true
}

func (r *rewriter) unsigned() bool { return r.basic.Info()&types.IsUnsigned != 0 }

// assign rewrites x.f = v, x.f += d, x.f -= d.
func (r *rewriter) assign(a *ast.AssignStmt, lhs ast.Expr, src string) bool {
	if len(a.Lhs) != 1 || len(a.Rhs) != 1 {
		return false
	}
	rhs := r.text(a.Rhs[0])
	switch a.Tok {
	case token.ASSIGN:
		r.replace(a.Pos(), a.End(), src+".Store("+rhs+")")
	case token.ADD_ASSIGN:
		r.replace(a.Pos(), a.End(), src+".Add("+rhs+")")
	case token.SUB_ASSIGN:
		if r.unsigned() {
			return false
		}
		r.replace(a.Pos(), a.End(), src+".Add(-("+rhs+"))")
	default:
		return false
	}
	return true
}

var methods = map[string]string{"Load": "Load", "Store": "Store", "Add": "Add", "Swap": "Swap", "CompareAndSwap": "CompareAndSwap", "And": "And", "Or": "Or"}

// addrUse rewrites atomic.XxxT(&v, args...) as v.Xxx(args...).
func (r *rewriter) addrUse(f *ast.File, path []ast.Node, amp *ast.UnaryExpr, src string) bool {
	if len(path) == 0 {
		return false
	}
	call, ok := path[len(path)-1].(*ast.CallExpr)
	if !ok || len(call.Args) == 0 || call.Args[0] != amp {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := r.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" {
		return false
	}
	op, ok := strings.CutSuffix(fn.Name(), r.typed)
	if !ok {
		return false
	}
	method, ok := methods[op]
	if !ok {
		return false
	}
	var args []string
	for _, a := range call.Args[1:] {
		args = append(args, r.text(a))
	}
	r.replace(call.Pos(), call.End(), src+"."+method+"("+strings.Join(args, ", ")+")")
	r.removed[f]++
	return true
}

func (r *rewriter) replace(pos, end token.Pos, text string) {
	r.edits = append(r.edits, analysis.TextEdit{Pos: pos, End: end, NewText: []byte(text)})
}

// text is the source of an expression as written.
func (r *rewriter) text(e ast.Expr) string { return analysisutil.Source(r.pass, e) }

// ownLine reports whether pos starts its line (after white space): a
// comment of its own, not one trailing code.
func ownLine(pass *analysis.Pass, pos token.Pos) bool {
	tf := pass.Fset.File(pos)
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return false
	}
	start := tf.Offset(tf.LineStart(analysisutil.Line(tf, pos)))
	return strings.TrimSpace(string(content[start:tf.Offset(pos)])) == ""
}
