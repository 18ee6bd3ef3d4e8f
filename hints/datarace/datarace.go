package datarace

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports data races the interleaving engine finds.
var Analyzer = &analysis.Analyzer{
	Name:     "datarace",
	Doc:      analysisutil.MustExtractDoc(doc, "datarace"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#datarace",
	Requires: []*analysis.Analyzer{model.Analyzer, explore.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	x := pass.ResultOf[explore.Analyzer].(*explore.Explorer)
	own := newOwners(m)
	seen := make(map[token.Pos]bool)
	for _, root := range explore.Roots(m) {
		scens := []*explore.Scenario{x.Scenario(root)}
		if scens[0].Outlived && scens[0].Complete {
			// A constructor whose goroutines outlive it: the methods
			// its callers then call run alongside them. (When its own
			// exploration ran out of budget, so would theirs.)
			for _, then := range explore.Continuations(m, root) {
				scens = append(scens, x.Continued(root, then))
			}
		}
		for _, sc := range scens {
			races := sc.Races()
			// Two writes first: of the races at one write, they say the
			// most (lost updates, concurrent map writes).
			for _, both := range []bool{true, false} {
				for _, r := range races {
					if (r.First.Write && r.Second.Write) == both && !own.elsewhere(r) {
						report(pass, own, r, sc, seen)
					}
				}
			}
		}
	}
	return nil, nil
}

// isAppend reports whether in stores what append returned: x = append(x, ...).
func isAppend(in ssa.Instruction) bool {
	st, ok := in.(*ssa.Store)
	if !ok {
		return false
	}
	call, ok := st.Val.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "append"
}

func report(pass *analysis.Pass, own *owners, r *explore.Race, sc *explore.Scenario, seen map[token.Pos]bool) {
	// Report at the write (the second access when both write).
	here, other := r.Second, r.First
	if !here.Write {
		here, other = other, here
	}
	hexpr, oexpr := accessed(pass, here.Instr), accessed(pass, other.Instr)
	if hexpr == nil || oexpr == nil || seen[hexpr.Pos()] {
		return
	}
	seen[hexpr.Pos()] = true
	name := quote(analysisutil.Format(pass.Fset, hexpr))
	// What the race does: every race is undefined behaviour, but a map's
	// and an append's have consequences users recognise.
	effect := "a data race"
	switch {
	case r.Path == explore.MapCell:
		if ix, ok := hexpr.(*ast.IndexExpr); ok {
			name = "map " + quote(analysisutil.Format(pass.Fset, ix.X))
		}
		effect = "a data race; a map read during a write aborts the program"
		if other.Write {
			effect = "a data race; concurrent map writes abort the program"
		}
	case isAppend(here.Instr) || isAppend(other.Instr):
		effect = "a data race; the appends lose elements"
	}
	verb := "reads"
	if other.Write {
		verb = "writes"
	}
	who, whom := goroutine(pass, here, sc, hexpr.Pos()), goroutine(pass, other, sc, hexpr.Pos())
	same := here.Start == other.Start && here.Then == other.Then
	if same && here.Start.IsValid() {
		whom = "another instance of it"
	}
	exprs := [2]ast.Expr{hexpr, oexpr} // in the race's order, for the fix
	if here != r.First {
		exprs = [2]ast.Expr{oexpr, hexpr}
	}
	d := analysis.Diagnostic{Pos: hexpr.Pos(), End: hexpr.End(), Category: "datarace", SuggestedFixes: fixes(pass, own, r, exprs)}
	line := pass.Fset.Position(oexpr.Pos()).Line
	if same && line == pass.Fset.Position(hexpr.Pos()).Line {
		// Two instances of one goroutine at the same statement (x++
		// reads and writes it).
		d.Message = fmt.Sprintf("%s writes %s here, and so does every other instance of it, with nothing ordering them: %s", who, name, effect)
		pass.Report(d)
		return
	}
	where := fmt.Sprintf("at line %d", line)
	if pass.Fset.Position(oexpr.Pos()).Filename != pass.Fset.Position(hexpr.Pos()).Filename {
		where = "(" + shortPos(pass, oexpr.Pos()) + ")"
	}
	d.Message = fmt.Sprintf("%s writes %s here while %s %s it %s, with nothing ordering the two: %s", who, name, whom, verb, where, effect)
	d.Related = []analysis.RelatedInformation{{Pos: oexpr.Pos(), End: oexpr.End(), Message: fmt.Sprintf("%s %s %s here", whom, verb, analysisutil.Format(pass.Fset, oexpr))}}
	pass.Report(d)
}

// fixes offers one quick fix for race r between the accesses of exprs:
// a typed atomic for a counter, otherwise the struct's own lock around
// both statements, when either keeps the package building and cannot
// deadlock (atomicfix.go, lockfix.go).
func fixes(pass *analysis.Pass, own *owners, r *explore.Race, exprs [2]ast.Expr) []analysis.SuggestedFix {
	if r.Path == explore.MapCell {
		return nil
	}
	if fix, ok := atomicFix(pass, variable(pass, exprs[0])); ok {
		return []analysis.SuggestedFix{fix}
	}
	if fix, ok := lockFix(pass, own, r, exprs); ok {
		return []analysis.SuggestedFix{fix}
	}
	return nil
}

// variable is the field or package variable e denotes, if any.
func variable(pass *analysis.Pass, e ast.Expr) *types.Var {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if s := pass.TypesInfo.Selections[e]; s != nil && s.Kind() == types.FieldVal {
			v, _ := s.Obj().(*types.Var)
			return v
		}
	case *ast.Ident:
		if v, ok := pass.TypesInfo.Uses[e].(*types.Var); ok && v.Parent() == pass.Pkg.Scope() {
			return v
		}
	}
	return nil
}

// accessed is the expression an access instruction reads or writes: a
// selector, an index expression, a dereference or a variable.
func accessed(pass *analysis.Pass, in ssa.Instruction) ast.Expr {
	var addr ssa.Value
	switch in := in.(type) {
	case *ssa.Store:
		addr = in.Addr
	case *ssa.UnOp:
		addr = in.X
	}
	pos := in.Pos()
	switch addr.(type) {
	case *ssa.FieldAddr, *ssa.IndexAddr:
		// The selector or index itself; the instruction's position is
		// that of the assignment.
		if addr.Pos().IsValid() {
			pos = addr.Pos()
		}
	}
	if !pos.IsValid() {
		return nil
	}
	path := analysisutil.Path(pass, pos, pos)
	for i, n := range path {
		switch n := n.(type) {
		case *ast.Ident:
			if i+1 < len(path) {
				if sel, ok := path[i+1].(*ast.SelectorExpr); ok && sel.Sel == n {
					return sel
				}
			}
			return n
		case *ast.SelectorExpr, *ast.IndexExpr, *ast.StarExpr:
			return n.(ast.Expr)
		case *ast.IncDecStmt:
			// At the operator of x++: a package variable, a pointer.
			return n.X
		case *ast.AssignStmt:
			return assigned(pass, n, addr)
		case ast.Stmt:
			return nil
		}
	}
	return nil
}

// assigned is the left-hand side of assignment a that stores at addr: the
// only one, or the package variable addr names.
func assigned(pass *analysis.Pass, a *ast.AssignStmt, addr ssa.Value) ast.Expr {
	if len(a.Lhs) == 1 {
		return a.Lhs[0]
	}
	g, ok := addr.(*ssa.Global)
	if !ok {
		return nil
	}
	for _, l := range a.Lhs {
		if id, ok := ast.Unparen(l).(*ast.Ident); ok && pass.TypesInfo.Uses[id] == g.Object() {
			return id
		}
	}
	return nil
}

// goroutine names the goroutine making access a in scenario sc, in a
// message reported at at.
func goroutine(pass *analysis.Pass, a explore.Access, sc *explore.Scenario, at token.Pos) string {
	switch {
	case a.Then:
		return fmt.Sprintf("%s, called after %s returns,", sc.Then.Name(), sc.Root.Name())
	case !a.Start.IsValid():
		return sc.Root.Name()
	}
	line := fmt.Sprintf("line %d", pass.Fset.Position(a.Start).Line)
	if pass.Fset.Position(a.Start).Filename != pass.Fset.Position(at).Filename {
		line = shortPos(pass, a.Start)
	}
	// A goroutine a library starts is named for what the library runs.
	if call, _ := analysisutil.CallAt(pass, a.Start); call != nil {
		if fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func); ok && fn.Pkg() != nil {
			switch fn.Pkg().Path() + "." + fn.Name() {
			case "testing.Run":
				return "the parallel subtest run at " + line
			case "context.AfterFunc", "time.AfterFunc":
				return fmt.Sprintf("the function %s.AfterFunc runs (%s)", fn.Pkg().Name(), line)
			case "net/http.ListenAndServe", "net/http.ListenAndServeTLS", "net/http.Serve", "net/http.ServeTLS",
				"net/http.HandleFunc", "net/http.Handle", "net/http/httptest.NewServer", "net/http/httptest.NewTLSServer":
				return "the handler served from " + line
			}
		}
	}
	return "the goroutine started at " + line
}

func shortPos(pass *analysis.Pass, pos token.Pos) string {
	p := pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", shortFile(p.Filename), p.Line)
}

func shortFile(f string) string {
	for i := len(f) - 1; i >= 0; i-- {
		if f[i] == '/' {
			return f[i+1:]
		}
	}
	return f
}

func quote(s string) string { return "`" + s + "`" }
