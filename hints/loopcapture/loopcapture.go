package loopcapture

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports loop variables shared by all iterations and captured by
// goroutines or deferred functions.
var Analyzer = &analysis.Analyzer{
	Name:     "loopcapture",
	Doc:      analysisutil.MustExtractDoc(doc, "loopcapture"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#loopcapture",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	for _, f := range pass.Files {
		if !model.OldLoopSemantics(pass.TypesInfo, f) {
			continue
		}
		c := &checker{pass: pass, m: m, file: f}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.RangeStmt:
				if n.Tok == token.DEFINE {
					c.loop(n, n.Body, []ast.Expr{n.Key, n.Value})
				}
			case *ast.ForStmt:
				if as, ok := n.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
					c.loop(n, n.Body, as.Lhs)
				}
			}
			return true
		})
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	m    *model.Model
	file *ast.File
}

// how a function literal in the loop body runs
type runKind int

const (
	runSync runKind = iota
	runGo
	runDefer
)

// async is a function literal that runs after its iteration.
type async struct {
	lit   *ast.FuncLit
	kind  runKind
	stmt  ast.Stmt  // the statement of the loop body that starts it
	start token.Pos // the go, defer or call that starts it
	how   string    // "the goroutine started by g.Go at line 12"
}

func (c *checker) loop(loop ast.Stmt, body *ast.BlockStmt, lhs []ast.Expr) {
	info := c.pass.TypesInfo
	vars := make(map[*types.Var]bool)
	for _, e := range lhs {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			if v, ok := info.Defs[id].(*types.Var); ok {
				vars[v] = true
			}
		}
	}
	if len(vars) == 0 || body == nil {
		return
	}
	vet := vetReports(info, body, vars)
	reported := make(map[*types.Var]bool)
	for _, a := range c.asyncLits(body) {
		if c.joinedInIteration(body, a.stmt) || endsLoop(body, a.stmt) {
			continue
		}
		ast.Inspect(a.lit.Body, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || !vars[v] || vet[id] || reported[v] {
				return true
			}
			reported[v] = true
			c.report(loop, body, v, id, a)
			return true
		})
	}
}

// asyncLits finds the function literals of the loop body that run after
// their iteration, with the statement of the body that starts them. A
// literal nested in one of them runs late too.
func (c *checker) asyncLits(body *ast.BlockStmt) []async {
	info := c.pass.TypesInfo
	var out []async
	// Local variables holding a literal: f := func() {...}; go f().
	held := make(map[*types.Var]*ast.FuncLit)
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, r := range as.Rhs {
				if lit, ok := r.(*ast.FuncLit); ok {
					if id, ok := as.Lhs[i].(*ast.Ident); ok {
						if v, ok := info.ObjectOf(id).(*types.Var); ok {
							held[v] = lit
						}
					}
				}
			}
		}
		return true
	})
	line := func(p token.Pos) int { return c.pass.Fset.Position(p).Line }
	litOf := func(e ast.Expr) *ast.FuncLit {
		switch e := ast.Unparen(e).(type) {
		case *ast.FuncLit:
			return e
		case *ast.Ident:
			if v, ok := info.Uses[e].(*types.Var); ok {
				return held[v]
			}
		}
		return nil
	}
	for _, stmt := range body.List {
		inLit := 0
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				// A literal called in the iteration: look inside it,
				// but its defers run when it returns.
				inLit++
				ast.Inspect(n.Body, visit)
				inLit--
				return false
			case *ast.GoStmt:
				if lit := litOf(n.Call.Fun); lit != nil {
					out = append(out, async{lit, runGo, stmt, n.Go, fmt.Sprintf("the goroutine started at line %d", line(n.Go))})
					return false
				}
			case *ast.DeferStmt:
				if lit := litOf(n.Call.Fun); lit != nil && inLit == 0 {
					out = append(out, async{lit, runDefer, stmt, n.Defer, fmt.Sprintf("the function deferred at line %d", line(n.Defer))})
					return false
				}
			case *ast.CallExpr:
				for i, arg := range n.Args {
					lit := litOf(arg)
					if lit == nil {
						continue
					}
					if how := c.starts(n, i); how != "" {
						out = append(out, async{lit, runGo, stmt, n.Lparen, fmt.Sprintf("the goroutine started by %s at line %d", how, line(n.Lparen))})
					}
				}
			}
			return true
		}
		ast.Inspect(stmt, visit)
	}
	return out
}

// starts says whether call runs its argument i in a new goroutine, and
// names the call.
func (c *checker) starts(call *ast.CallExpr, i int) string {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	name := analysisutil.Format(c.pass.Fset, call.Fun)
	recv := ""
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		recv = typeName(sig.Recv().Type())
	}
	switch fn.Pkg().Path() + " " + recv + " " + fn.Name() {
	case "golang.org/x/sync/errgroup Group Go", "golang.org/x/sync/errgroup Group TryGo", "sync WaitGroup Go":
		return name
	case "time  AfterFunc", "context  AfterFunc":
		if i == 1 {
			return name
		}
		return ""
	}
	if fn.Pkg() != c.pass.Pkg {
		return ""
	}
	f := c.m.FuncOf(c.m.SSA.Prog.FuncValue(fn.Origin()))
	if f == nil {
		return ""
	}
	if recv != "" {
		i++ // the receiver is the first parameter
	}
	if c.m.StartsParam(f, i) {
		return name
	}
	return ""
}

func typeName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// joinedInIteration reports whether the body waits after stmt (a Wait, or
// a receive), so the goroutine may be done before the next iteration.
func (c *checker) joinedInIteration(body *ast.BlockStmt, stmt ast.Stmt) bool {
	after := false
	waits := false
	for _, s := range body.List {
		if s == stmt {
			after = true
			continue
		}
		if !after {
			continue
		}
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					waits = true
				}
			case *ast.CallExpr:
				if fn, _ := typeutil.Callee(c.pass.TypesInfo, n).(*types.Func); fn != nil && fn.Name() == "Wait" {
					waits = true
				}
			}
			return !waits
		})
	}
	return waits
}

// endsLoop reports whether the statement starting the goroutine is followed
// in the body by a break or return at the same level: no next iteration.
func endsLoop(body *ast.BlockStmt, stmt ast.Stmt) bool {
	for i, s := range body.List {
		if s != stmt {
			continue
		}
		for _, next := range body.List[i+1:] {
			switch next := next.(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				return next.Tok == token.BREAK && next.Label == nil
			}
		}
	}
	return false
}

// vetReports returns the identifiers go vet's loopclosure reports in this
// loop body: uses of the loop variables in the function literal of a go,
// defer or errgroup.Group.Go statement that is a "last" statement of the
// body (recursively into if, switch, select and nested loops), and in
// t.Run literals that call t.Parallel.
func vetReports(info *types.Info, body *ast.BlockStmt, vars map[*types.Var]bool) map[*ast.Ident]bool {
	out := make(map[*ast.Ident]bool)
	mark := func(lit ast.Expr) {
		fl, ok := lit.(*ast.FuncLit)
		if !ok {
			return
		}
		for _, s := range fl.Body.List {
			ast.Inspect(s, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && vars[v] {
						out[id] = true
					}
				}
				return true
			})
		}
	}
	forEachLastStmt(body.List, func(last ast.Stmt) {
		switch s := last.(type) {
		case *ast.GoStmt:
			mark(s.Call.Fun)
		case *ast.DeferStmt:
			mark(s.Call.Fun)
		case *ast.ExprStmt:
			if call, ok := s.X.(*ast.CallExpr); ok {
				if fn, _ := typeutil.Callee(info, call).(*types.Func); fn != nil && fn.Pkg() != nil &&
					fn.Pkg().Path() == "golang.org/x/sync/errgroup" && fn.Name() == "Go" && len(call.Args) == 1 {
					mark(call.Args[0])
				}
			}
		}
	})
	return out
}

// forEachLastStmt is vet's definition of the last statements of a list.
func forEachLastStmt(stmts []ast.Stmt, onLast func(last ast.Stmt)) {
	if len(stmts) == 0 {
		return
	}
	switch s := stmts[len(stmts)-1].(type) {
	case *ast.IfStmt:
	loop:
		for {
			forEachLastStmt(s.Body.List, onLast)
			switch e := s.Else.(type) {
			case *ast.BlockStmt:
				forEachLastStmt(e.List, onLast)
				break loop
			case *ast.IfStmt:
				s = e
			case nil:
				break loop
			}
		}
	case *ast.ForStmt:
		forEachLastStmt(s.Body.List, onLast)
	case *ast.RangeStmt:
		forEachLastStmt(s.Body.List, onLast)
	case *ast.SwitchStmt:
		for _, cc := range s.Body.List {
			forEachLastStmt(cc.(*ast.CaseClause).Body, onLast)
		}
	case *ast.TypeSwitchStmt:
		for _, cc := range s.Body.List {
			forEachLastStmt(cc.(*ast.CaseClause).Body, onLast)
		}
	case *ast.SelectStmt:
		for _, cc := range s.Body.List {
			forEachLastStmt(cc.(*ast.CommClause).Body, onLast)
		}
	default:
		onLast(s)
	}
}

func (c *checker) report(loop ast.Stmt, body *ast.BlockStmt, v *types.Var, id *ast.Ident, a async) {
	version := c.pass.TypesInfo.FileVersions[c.file]
	var msg string
	switch a.kind {
	case runDefer:
		msg = fmt.Sprintf("loop variable %s is one variable for the whole loop in this file (%s, before Go 1.22), and %s runs after the loop: it sees the last value", v.Name(), version, a.how)
	default:
		msg = fmt.Sprintf("loop variable %s is one variable for the whole loop in this file (%s, before Go 1.22), and %s reads it while the loop assigns the next value: a data race, and the goroutine may see a later value", v.Name(), version, a.how)
	}
	diag := analysis.Diagnostic{
		Pos:      id.Pos(),
		End:      id.End(),
		Category: "loopcapture",
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: a.start, Message: "started here"}, {Pos: v.Pos(), Message: fmt.Sprintf("%s is declared here", v.Name())}},
	}
	if fix, ok := c.copyFix(body, v); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	c.pass.Report(diag)
}

// copyFix declares name := name at the top of the loop body, unless the
// body assigns the variable.
func (c *checker) copyFix(body *ast.BlockStmt, v *types.Var) (analysis.SuggestedFix, bool) {
	assigned := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == v {
					assigned = true
				}
			}
		case *ast.IncDecStmt:
			if id, ok := n.X.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == v {
				assigned = true
			}
		case *ast.UnaryExpr:
			if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND && c.pass.TypesInfo.Uses[id] == v {
				assigned = true // its address escapes
			}
		}
		return !assigned
	})
	if assigned || len(body.List) == 0 {
		return analysis.SuggestedFix{}, false
	}
	first := body.List[0]
	indent := c.indent(first.Pos())
	text := fmt.Sprintf("%s := %s\n%s", v.Name(), v.Name(), indent)
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Copy %s for each iteration (%s := %s)", v.Name(), v.Name(), v.Name()),
		TextEdits: []analysis.TextEdit{{Pos: first.Pos(), End: first.Pos(), NewText: []byte(text)}},
	}, true
}

// indent returns the white space before pos on its line.
func (c *checker) indent(pos token.Pos) string {
	tf := c.pass.Fset.File(pos)
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return "\t"
	}
	start := tf.Offset(tf.LineStart(analysisutil.Line(tf, pos)))
	end := tf.Offset(pos)
	if end > len(content) || start > end {
		return "\t"
	}
	return string(bytes.TrimRight(content[start:end], "\n"))
}
