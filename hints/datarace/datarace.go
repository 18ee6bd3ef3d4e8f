package datarace

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

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
	locked := lockedFields(m)
	seen := make(map[token.Pos]bool)
	for _, root := range explore.Roots(m) {
		for _, r := range x.Scenario(root).Races() {
			if !reportable(r, locked) {
				continue
			}
			report(pass, r, root, seen)
		}
	}
	return nil, nil
}

// lockedFields lists the fields some access reads or writes holding a
// lock: guardedby explains their races.
func lockedFields(m *model.Model) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	for _, a := range m.Accesses {
		if a.Var != nil && len(a.Held) > 0 {
			out[a.Var] = true
		}
	}
	return out
}

// reportable keeps the races of fields, elements and package variables
// that no other check reports.
func reportable(r *explore.Race, locked map[*types.Var]bool) bool {
	if r.Path == "{map}" {
		return false // concurrentmap
	}
	if al, ok := r.Site.(*ssa.Alloc); ok && r.Path == "" && al.Comment != "" {
		return false // a captured variable: sharedcapture
	}
	for _, a := range []explore.Access{r.First, r.Second} {
		if f := field(a.Instr); f != nil && locked[f] {
			return false // guardedby
		}
		if isAppend(a.Instr) {
			return false // concurrentmap
		}
	}
	return true
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

// field is the struct field an access reads or writes, if any.
func field(in ssa.Instruction) *types.Var {
	var addr ssa.Value
	switch in := in.(type) {
	case *ssa.Store:
		addr = in.Addr
	case *ssa.UnOp:
		addr = in.X
	}
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	st, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	s, ok := st.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	return s.Field(fa.Field)
}

func report(pass *analysis.Pass, r *explore.Race, root *ssa.Function, seen map[token.Pos]bool) {
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
	name := analysisutil.Format(pass.Fset, hexpr)
	verb := "reads"
	if other.Write {
		verb = "writes"
	}
	who, whom := goroutine(pass, here.Start, root), goroutine(pass, other.Start, root)
	if here.Start == other.Start && here.Start.IsValid() {
		whom = "another instance of it"
	}
	line := pass.Fset.Position(oexpr.Pos()).Line
	if here.Start == other.Start && line == pass.Fset.Position(hexpr.Pos()).Line {
		// Two instances of one goroutine at the same statement (x++
		// reads and writes it).
		pass.Report(analysis.Diagnostic{
			Pos: hexpr.Pos(), End: hexpr.End(), Category: "datarace",
			Message: fmt.Sprintf("%s writes %s here, and so does every other instance of it, with nothing ordering them: a data race", who, quote(name)),
		})
		return
	}
	msg := fmt.Sprintf("%s writes %s here while %s %s it at line %d, with nothing ordering the two: a data race",
		who, quote(name), whom, verb, line)
	if pass.Fset.Position(oexpr.Pos()).Filename != pass.Fset.Position(hexpr.Pos()).Filename {
		msg = fmt.Sprintf("%s writes %s here while %s %s it (%s), with nothing ordering the two: a data race",
			who, quote(name), whom, verb, shortPos(pass, oexpr.Pos()))
	}
	pass.Report(analysis.Diagnostic{
		Pos: hexpr.Pos(), End: hexpr.End(), Category: "datarace", Message: msg,
		Related: []analysis.RelatedInformation{{Pos: oexpr.Pos(), End: oexpr.End(), Message: fmt.Sprintf("%s %s %s here", whom, verb, analysisutil.Format(pass.Fset, oexpr))}},
	})
}

// accessed is the expression an access instruction reads or writes: a
// selector, an index expression or a variable.
func accessed(pass *analysis.Pass, in ssa.Instruction) ast.Expr {
	var pos token.Pos
	switch in := in.(type) {
	case *ssa.Store:
		pos = in.Addr.Pos()
		if !pos.IsValid() {
			pos = in.Pos()
		}
	case *ssa.UnOp:
		pos = in.X.Pos()
		if !pos.IsValid() {
			pos = in.Pos()
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
		case *ast.SelectorExpr, *ast.IndexExpr:
			return n.(ast.Expr)
		case *ast.StarExpr:
			return n
		case ast.Stmt:
			return nil
		}
	}
	return nil
}

// goroutine names the goroutine started at pos (the root's own when
// invalid).
func goroutine(pass *analysis.Pass, pos token.Pos, root *ssa.Function) string {
	if !pos.IsValid() {
		return root.Name()
	}
	return fmt.Sprintf("the goroutine started at line %d", pass.Fset.Position(pos).Line)
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
