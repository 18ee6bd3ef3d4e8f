package guardedby

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports fields accessed without the lock that guards them.
var Analyzer = &analysis.Analyzer{
	Name:     "guardedby",
	Doc:      analysisutil.MustExtractDoc(doc, "guardedby"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#guardedby",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

// Thresholds of inference: at least minUnder accesses under the lock, and
// at least num/den of the counted accesses.
const (
	minUnder = 3
	num, den = 3, 4
)

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	if m.RuntimeInternal() {
		return nil, nil
	}
	guards := m.Guards()
	vars := make([]*types.Var, 0, len(guards))
	for v := range guards {
		vars = append(vars, v)
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Pos() < vars[j].Pos() })
	ignored := ignoredDecls(pass)
	var found []finding
	for _, v := range vars {
		g := guards[v]
		if g.Lock == nil || ignored[lineOf(pass, v.Pos())] {
			continue
		}
		if !g.Declared && !g.Convention && (g.Under < minUnder || g.Under*den < g.Total*num) {
			continue
		}
		found = append(found, check(pass, m, g)...)
	}
	// One diagnostic per line, lock and kind of access: String reading
	// c.version, c.source and c.values.
	type key struct {
		line  fileLine
		lock  string
		write bool
	}
	groups := make(map[key][]finding)
	var order []key
	for _, f := range found {
		k := key{lineOf(pass, f.u.Pos), lockName(f.u, f.g), f.u.Write}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	// The guards with findings, in declaration order: an annotation writes
	// down every one of them in the struct of its field.
	var reported []*model.Guard
	for _, f := range found {
		if !slices.Contains(reported, f.g) {
			reported = append(reported, f.g)
		}
	}
	sort.Slice(reported, func(i, j int) bool { return reported[i].Var.Pos() < reported[j].Var.Pos() })
	for _, k := range order {
		report(pass, m, groups[k], reported)
	}
	return nil, nil
}

// finding is an access u of a field without its guard g, and an access w
// with it that can run at the same time (why, when the goroutines of the
// package say so).
type finding struct {
	g    *model.Guard
	u, w *model.Access
	why  *model.Parallelism
}

func check(pass *analysis.Pass, m *model.Model, g *model.Guard) []finding {
	var out []finding
	var guarded []*model.Access
	for _, a := range g.Accesses {
		if g.Guarded[a] && a.Write {
			guarded = append(guarded, a)
		}
	}
	for _, a := range g.Accesses {
		if g.Guarded[a] && !a.Write {
			guarded = append(guarded, a)
		}
	}
	lazy := lazyInit(g)
	reported := make(map[*model.Func]bool)
	for _, u := range g.Accesses {
		if g.Guarded[u] || reported[u.Func] || excused(pass, m, u) {
			continue
		}
		if !u.Write && (lazy || singleWriter(m, u, g.Accesses) || otherLockHeld(m, u, g.Accesses)) {
			continue
		}
		w, why := rival(m, u, guarded, g)
		if w == nil {
			continue
		}
		reported[u.Func] = true
		out = append(out, finding{g, u, w, why})
	}
	return out
}

// excused reports accesses the check leaves alone.
func excused(pass *analysis.Pass, m *model.Model, u *model.Access) bool {
	if u.Path.Elem || m.TestOnly(u.Func) || m.Dead(u) {
		return true
	}
	fn := u.Func.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	name := fn.Name()
	if strings.HasSuffix(name, "Locked") || strings.HasSuffix(name, "locked") || strings.HasSuffix(name, "_l") {
		return true
	}
	if decl, ok := fn.Syntax().(*ast.FuncDecl); ok && decl.Doc != nil {
		text := strings.ToLower(decl.Doc.Text())
		for _, s := range []string{"must hold", "must be held", "lock held", "mu held", "caller holds", "callers hold",
			"must be called with", "requires", "+checklocks", "locked", "with the lock"} {
			if strings.Contains(text, s) {
				return true
			}
		}
		// "must not be called concurrently with", "not safe for concurrent use"
		if strings.Contains(text, "concurren") && strings.Contains(text, "not") {
			return true
		}
	}
	return m.OnceOnly(u.Func) || explained(pass, u.Pos) || notConcurrentType(pass, fn)
}

// notConcurrentType reports whether fn is a method of a type documented as
// not safe for concurrent use ("Methods of QUICConn are not safe for
// concurrent use"): its methods do not run at the same time by contract.
func notConcurrentType(pass *analysis.Pass, fn *ssa.Function) bool {
	recv := fn.Signature.Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() != pass.Pkg {
		return false
	}
	pos := n.Obj().Pos()
	for _, f := range pass.Files {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if ts.Name.Pos() != pos {
					continue
				}
				doc := ts.Doc
				if doc == nil {
					doc = gd.Doc
				}
				if doc == nil {
					return false
				}
				text := strings.ToLower(doc.Text())
				return strings.Contains(text, "not safe for concurrent") || strings.Contains(text, "not safe for use by multiple goroutines") ||
					strings.Contains(text, "not concurrency-safe") || strings.Contains(text, "not thread-safe") || strings.Contains(text, "not goroutine-safe")
			}
		}
	}
	return false
}

// explained reports whether a comment ending on the line above pos talks
// about locking ("No need to lock because the reader has already exited"):
// the author decided.
func explained(pass *analysis.Pass, pos token.Pos) bool {
	line := pass.Fset.PositionFor(pos, false).Line
	tf := pass.Fset.File(pos)
	content, _ := pass.ReadFile(tf.Name())
	// The statements of a paragraph share the comment above it: go up
	// while the lines are not blank.
	top := line
	for top > 1 && top-1 >= 1 && !blank(content, tf, top-1) && line-top < 4 {
		top--
	}
	for _, f := range pass.Files {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		for _, cg := range f.Comments {
			end := pass.Fset.PositionFor(cg.End(), false).Line
			if end < top-1 || end >= line || !ownLine(content, tf, cg.Pos()) {
				continue
			}
			text := strings.ToLower(cg.Text())
			if strings.Contains(text, "lock") || strings.Contains(text, "race") || strings.Contains(text, "concurren") {
				return true
			}
		}
	}
	return false
}

// singleWriter reports whether u, a read, is made by the only goroutine
// that writes the field: every write is in functions run only by one
// goroutine started once, which also runs u.
func singleWriter(m *model.Model, u *model.Access, accs []*model.Access) bool {
	g := onlyGoroutine(m, u.Func)
	if g == nil {
		return false
	}
	for _, a := range accs {
		if a.Write && onlyGoroutine(m, a.Func) != g {
			return false
		}
	}
	return true
}

// lazyInit reports whether the field is set by a lazy initializer: every
// write is in one function that, holding the lock, first tests a field of
// the same object that it sets itself (if t.version != verUnknown {
// return }) and returns when it is set. The field is then written once,
// and read afterwards without the lock by code that ran the initializer
// first.
func lazyInit(g *model.Guard) bool {
	var f *model.Func
	for _, a := range g.Accesses {
		if !a.Write {
			continue
		}
		if f != nil && a.Func != f || !g.Guarded[a] {
			return false
		}
		f = a.Func
	}
	if f == nil || f.SSA.Parent() != nil {
		return false
	}
	written := make(map[*types.Var]bool)
	for _, b := range f.SSA.Blocks {
		for _, in := range b.Instrs {
			if st, ok := in.(*ssa.Store); ok {
				if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
					if v := fieldOf(fa); v != nil {
						written[v] = true
					}
				}
			}
		}
	}
	for _, b := range f.SSA.Blocks {
		n := len(b.Instrs)
		if n == 0 {
			continue
		}
		iff, ok := b.Instrs[n-1].(*ssa.If)
		if !ok || !returnsAt(iff.Block().Succs[0]) && !returnsAt(iff.Block().Succs[1]) {
			continue
		}
		for _, v := range flagsTested(iff.Cond) {
			if written[v] && v != g.Var {
				return true
			}
		}
	}
	return false
}

// returnsAt reports whether block b returns at once (after running defers).
func returnsAt(b *ssa.BasicBlock) bool {
	for _, in := range b.Instrs {
		switch in.(type) {
		case *ssa.Return:
			return true
		case *ssa.RunDefers, *ssa.DebugRef:
		default:
			return false
		}
	}
	return false
}

// flagsTested returns the fields whose loads a condition compares.
func flagsTested(v ssa.Value) []*types.Var {
	var out []*types.Var
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 3 {
			return
		}
		switch v := v.(type) {
		case *ssa.BinOp:
			visit(v.X, depth+1)
			visit(v.Y, depth+1)
		case *ssa.UnOp:
			if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
				if f := fieldOf(fa); f != nil {
					out = append(out, f)
				}
			} else {
				visit(v.X, depth+1)
			}
		}
	}
	visit(v, 0)
	return out
}

func fieldOf(fa *ssa.FieldAddr) *types.Var {
	t := fa.X.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field).Origin()
}

// otherLockHeld reports whether the read u holds a lock that every write
// of the field holds too: a field written under two locks and read under
// either ("locking both mu and wmu lets the encoder read with only wmu").
func otherLockHeld(m *model.Model, u *model.Access, accs []*model.Access) bool {
	for _, h := range m.HeldAlways(u) {
		all := true
		for _, a := range accs {
			if a.Write && model.CommonLockHeld([]*model.Held{h}, m.HeldAlways(a)) == nil {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// onlyGoroutine returns the goroutine that runs f, when only one does
// (started once) and the package's callers do not call f themselves.
func onlyGoroutine(m *model.Model, f *model.Func) *model.Goroutine {
	if len(f.Goroutines) != 1 || f.Goroutines[0].Many || m.API(f) {
		return nil
	}
	return f.Goroutines[0]
}

// rival returns an access under the lock that can run at the same time as
// u: a write when u is a read. why explains it (nil: the lock's callers).
func rival(m *model.Model, u *model.Access, guarded []*model.Access, guardOf *model.Guard) (*model.Access, *model.Parallelism) {
	var fallback *model.Access
	for _, w := range guarded {
		if !u.Write && !w.Write {
			continue
		}
		if par := m.Parallel(u, w); par != nil {
			return w, par
		}
		if m.Common(u, w) {
			continue // ordered by the goroutines of the package
		}
		if !m.Unpublished(u) {
			// A goroutine that outlives the method starting it (a timer
			// callback) runs while the callers call other methods.
			if par := m.ParallelWithAPI(u, w); par != nil {
				return w, par
			}
			if par := m.ParallelWithAPI(w, u); par != nil {
				par.A, par.B = par.B, par.A
				return w, par
			}
		}
		if fallback == nil && w.Func != u.Func {
			fallback = w
		}
	}
	if fallback == nil || m.Unpublished(u) || !apiPathWithout(m, u, guardOf) {
		return nil, nil
	}
	if !u.Write && (handedOver(m, u) || publishedUnderLock(m, u, guardOf)) {
		return nil, nil
	}
	return fallback, nil
}

// apiPathWithout reports whether the package's callers can reach u
// without the guard held: some frame of u is a function or method with an
// exported name, which they can call, and no call on the way takes the
// lock. A function reached only through function values has unknown
// callers.
func apiPathWithout(m *model.Model, u *model.Access, g *model.Guard) bool {
	for _, v := range m.Views(u) {
		root := v.Root()
		if root.SSA.Parent() != nil || !token.IsExported(root.SSA.Name()) || !v.Sync() {
			continue
		}
		held := false
		for _, h := range v.Held {
			if isGuard(h.Path, g) {
				held = true
			}
		}
		if !held {
			return true
		}
	}
	return false
}

// handedOver reports whether every path to the read u first waits for
// another goroutine (a receive, Wait, errgroup.Wait, once.Do): the value
// is then usually published by that goroutine before it signals.
func handedOver(m *model.Model, u *model.Access) bool {
	return m.Preceded(u, func(op *model.Op) bool {
		switch op.Kind {
		case model.OpRecv, model.OpRange, model.OpWGWait, model.OpGroupWait, model.OpOnceDo, model.OpCondWait:
			return true
		}
		return false
	}, nil)
}

// publishedUnderLock reports whether every path to the read u first takes
// the guard (itself or in a call): lazy initialization checked under the
// lock, after which the field is only read.
func publishedUnderLock(m *model.Model, u *model.Access, g *model.Guard) bool {
	return m.Preceded(u, func(op *model.Op) bool {
		return (op.Kind.Acquires() || op.Kind.Releases()) && isGuard(op.Path, g)
	}, func(cs *model.CallSite) bool {
		for _, a := range cs.Callee.Summary.Acquires {
			if isGuard(a.Path, g) {
				return true
			}
		}
		return false
	})
}

// isGuard reports whether lock path p is the guard g (of any instance).
func isGuard(p model.Path, g *model.Guard) bool {
	if !p.Valid() {
		return false
	}
	if n := len(p.Fields); n > 0 {
		return p.Fields[n-1] == g.Lock
	}
	if p.Root.Kind == model.RootGlobal {
		return p.Root.Global.Object() == g.Lock
	}
	return false
}

func report(pass *analysis.Pass, m *model.Model, fs []finding, reported []*model.Guard) {
	g, u, w, why := fs[0].g, fs[0].u, fs[0].w, fs[0].why
	where := func(pos token.Pos) string {
		a, b := pass.Fset.Position(pos), pass.Fset.Position(u.Pos)
		if a.Filename == b.Filename {
			return fmt.Sprintf("line %d", a.Line)
		}
		return fmt.Sprintf("%s:%d", filepath.Base(a.Filename), a.Line)
	}
	var names []string
	for _, f := range fs {
		names = append(names, fieldName(f.u, f.g))
	}
	name, be, it := names[0], "is", "it"
	if len(names) > 1 {
		name = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
		be, it = "are", "them"
	}
	lock := lockName(u, g)
	rw, wrw := "read", "reads"
	if u.Write {
		rw = "written"
	}
	if w.Write {
		wrw = "writes"
	}
	var rule string
	switch {
	case g.Declared:
		rule = "which its +checklocks annotation says guards " + it
	case g.Convention && (g.Under < minUnder || g.Under*den < g.Total*num):
		rule = fmt.Sprintf("which every write holds and which %s follows in the struct (%d of %d accesses)", names0(names), g.Under, g.Total)
	default:
		rule = fmt.Sprintf("which guards %s at %d of %d accesses", it, g.Under, g.Total)
	}
	var when string
	switch {
	case why != nil && why.Instances:
		when = fmt.Sprintf("several goroutines started at %s run this at once", where(why.A.Pos()))
	case why != nil && why.Escapes && why.A.Kind != 0:
		when = fmt.Sprintf("this runs in the goroutine started at %s, which keeps running while %s %s %s under the lock (%s)", where(why.A.Pos()), funcName(w.Func), wrw, it, where(w.Pos))
	case why != nil && why.Escapes:
		when = fmt.Sprintf("%s %s %s under the lock (%s) in the goroutine started at %s, which keeps running while this runs", funcName(w.Func), wrw, it, where(w.Pos), where(why.B.Pos()))
	case why != nil && why.A.Kind != 0 && why.B.Kind != 0:
		when = fmt.Sprintf("this runs in the goroutine started at %s while %s, in the goroutine started at %s, %s %s under the lock (%s)",
			where(why.A.Pos()), funcName(w.Func), where(why.B.Pos()), wrw, it, where(w.Pos))
	case why != nil && why.A.Kind != 0:
		when = fmt.Sprintf("this runs in the goroutine started at %s while %s %s %s under the lock (%s)", where(why.A.Pos()), funcName(w.Func), wrw, it, where(w.Pos))
	case why != nil && why.B.Kind != 0:
		when = fmt.Sprintf("%s %s %s under the lock (%s) in the goroutine started at %s, which runs at the same time", funcName(w.Func), wrw, it, where(w.Pos), where(why.B.Pos()))
	default:
		when = fmt.Sprintf("%s %s %s under the lock (%s) and can run at the same time", funcName(w.Func), wrw, it, where(w.Pos))
	}
	diag := analysis.Diagnostic{
		Pos:      u.Pos,
		Category: "guardedby",
		Message:  fmt.Sprintf("%s %s %s here without %s, %s; %s", name, be, rw, lock, rule, when),
		Related:  []analysis.RelatedInformation{{Pos: w.Pos, Message: fmt.Sprintf("%s with %s held", wrw, lock)}},
	}
	if fix, ok := annotate(pass, m, fs[0].g, reported); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(diag)
}

// names0 is the first name, for the convention's wording.
func names0(names []string) string {
	if len(names) == 1 {
		return "it"
	}
	return "each"
}

// fieldName names the field as the access spells it (s.count).
func fieldName(a *model.Access, g *model.Guard) string {
	if a.Path.Valid() {
		if n := a.Path.Name(); n != "" {
			// Path.Name spells an embedded field last as its lock
			// would be spelled (s for s.Mutex); a field of data is
			// spelled out (l.Ticks).
			if fs := a.Path.Fields; len(fs) > 0 && fs[len(fs)-1].Embedded() && !strings.HasSuffix(n, "."+g.Var.Name()) {
				n += "." + g.Var.Name()
			}
			return n
		}
	}
	return g.Var.Name()
}

// lockName names the lock as the access's function would spell it.
func lockName(a *model.Access, g *model.Guard) string {
	if g.Lock != nil && a.Path.Valid() && len(a.Path.Fields) > 0 && g.Lock.IsField() {
		base := a.Path
		base.Fields = base.Fields[:len(base.Fields)-1]
		base.Elem = false
		if n := base.Name(); n != "" && g.Rel != "" {
			return n + "." + g.Rel
		}
	}
	if g.Name != "" {
		return g.Name
	}
	return g.Lock.Name()
}

func funcName(f *model.Func) string {
	fn := f.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn.Name()
}

// ignoredDecls returns the lines that carry a //synclens:ignore guardedby
// comment, or follow one.
func ignoredDecls(pass *analysis.Pass) map[fileLine]bool {
	out := make(map[fileLine]bool)
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text, ok := strings.CutPrefix(c.Text, "//synclens:ignore")
				if !ok {
					continue
				}
				if t := strings.TrimSpace(text); t != "" && !strings.Contains(t, "guardedby") {
					continue
				}
				fl := lineOf(pass, c.Slash)
				out[fl] = true
				fl.line++
				out[fl] = true
			}
		}
	}
	return out
}

type fileLine struct {
	file string
	line int
}

func lineOf(pass *analysis.Pass, pos token.Pos) fileLine {
	p := pass.Fset.PositionFor(pos, false)
	return fileLine{p.Filename, p.Line}
}

// blank reports whether line (1-based) of the file is empty or white space.
func blank(content []byte, tf *token.File, line int) bool {
	if content == nil || line < 1 || line > tf.LineCount() {
		return true
	}
	start := tf.Offset(tf.LineStart(line))
	end := len(content)
	if line < tf.LineCount() {
		end = tf.Offset(tf.LineStart(line + 1))
	}
	return strings.TrimSpace(string(content[start:end])) == ""
}

// ownLine reports whether pos starts its line (after white space): a
// comment of its own, not one trailing code.
func ownLine(content []byte, tf *token.File, pos token.Pos) bool {
	if content == nil {
		return false
	}
	start := tf.Offset(tf.LineStart(analysisutil.Line(tf, pos)))
	return strings.TrimSpace(string(content[start:tf.Offset(pos)])) == ""
}
