package sharedcapture

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports captured variables that a goroutine and other code
// access concurrently.
var Analyzer = &analysis.Analyzer{
	Name:     "sharedcapture",
	Doc:      analysisutil.MustExtractDoc(doc, "sharedcapture"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#sharedcapture",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	if len(m.Goroutines) == 0 {
		return nil, nil
	}
	old := m.SharedLoopVars()
	cells := make(map[*ssa.Alloc][]*model.Access)
	var order []*ssa.Alloc
	for _, a := range m.Accesses {
		if a.Cell == nil || a.Map || a.Atomic {
			continue
		}
		if _, ok := cells[a.Cell]; !ok {
			order = append(order, a.Cell)
		}
		cells[a.Cell] = append(cells[a.Cell], a)
	}
	vars := localVars(pass.TypesInfo)
	var found []finding
	for _, cell := range order {
		accs := cells[cell]
		if !hasWrite(accs) || spread(accs) < 2 && !inGoroutine(accs) {
			continue
		}
		v := vars[cell.Pos()]
		if v != nil && old[v] {
			continue // loopcapture
		}
		races := m.Races(accs, false)
		if len(races) == 0 {
			continue
		}
		appends := false
		for _, r := range races {
			if r.A.Append || r.B.Append {
				appends = true
			}
		}
		if appends {
			continue // concurrentmap reports appends to a shared slice
		}
		found = append(found, newFinding(cell, v, pick(races)))
	}
	report(pass, found)
	return nil, nil
}

func hasWrite(accs []*model.Access) bool {
	for _, a := range accs {
		if a.Write {
			return true
		}
	}
	return false
}

// spread counts the functions the accesses are in.
func spread(accs []*model.Access) int {
	fs := make(map[*model.Func]bool)
	for _, a := range accs {
		fs[a.Func] = true
	}
	return len(fs)
}

func inGoroutine(accs []*model.Access) bool {
	for _, a := range accs {
		if a.Func.SSA.Parent() != nil {
			return true
		}
	}
	return false
}

// pick chooses the race to report: a write in a goroutine against an
// access of the code that started it, then instances of one goroutine,
// then two goroutines.
func pick(races []model.Race) model.Race {
	sort.SliceStable(races, func(i, j int) bool { return rank(races[i]) < rank(races[j]) })
	return races[0]
}

func rank(r model.Race) int {
	w := r.Why
	switch {
	case w.Instances:
		return 1
	case w.A.Kind == 0 || w.B.Kind == 0:
		return 0
	}
	return 2
}

// finding is one race to report on a variable.
type finding struct {
	names   []string
	in      *model.Access // the access reported, in the goroutine
	other   *model.Access
	inStart model.Start
	otStart model.Start
	inst    bool
	result  bool // a named result of the function
}

func newFinding(cell *ssa.Alloc, v *types.Var, r model.Race) finding {
	f := finding{names: []string{cell.Comment}, in: r.A, other: r.B, inStart: r.Why.A, otStart: r.Why.B, inst: r.Why.Instances}
	if !f.inst && f.inStart.Kind == 0 && f.otStart.Kind != 0 {
		f.in, f.other, f.inStart, f.otStart = r.B, r.A, r.Why.B, r.Why.A
	}
	f.result = v != nil && isResult(cell.Parent(), v)
	return f
}

func isResult(fn *ssa.Function, v *types.Var) bool {
	res := fn.Signature.Results()
	for i := range res.Len() {
		if res.At(i) == v {
			return true
		}
	}
	return false
}

// report merges findings on the same statements (body, err = get(url))
// and reports them.
func report(pass *analysis.Pass, found []finding) {
	line := func(pos token.Pos) int { return pass.Fset.Position(pos).Line }
	type key struct {
		in   int
		inst bool
		fn   *model.Func
	}
	var merged []*finding
	byKey := make(map[key]*finding)
	for i := range found {
		f := &found[i]
		k := key{line(f.in.Pos), f.inst, f.in.Func}
		if prev, ok := byKey[k]; ok {
			prev.names = append(prev.names, f.names...)
			continue
		}
		byKey[k] = f
		merged = append(merged, f)
	}
	for _, f := range merged {
		where := func(pos token.Pos) string {
			p, q := pass.Fset.Position(pos), pass.Fset.Position(f.in.Pos)
			if p.Filename == q.Filename {
				return fmt.Sprintf("line %d", p.Line)
			}
			return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
		}
		name := strings.Join(f.names, " and ")
		plural := len(f.names) > 1
		fn := funcName(f.other.Func)
		it := "it"
		if plural {
			it = "them"
		}
		var msg string
		related := []analysis.RelatedInformation{{Pos: f.inStart.Pos(), Message: startText(f.inStart)}}
		switch {
		case f.inst:
			be := "is"
			if plural {
				be = "are"
			}
			rw := "written"
			if !f.in.Write || !f.other.Write {
				rw = "written and read"
			}
			msg = fmt.Sprintf("%s %s %s by every goroutine started at %s, which run at the same time with no lock: a data race", name, be, rw, where(f.inStart.Pos()))
		case f.otStart.Kind == 0 && f.inStart.Kind == model.PlaceEscape:
			msg = fmt.Sprintf("the function literal that escapes at %s %s %s here and can run at any time, while %s %s %s at %s: a data race",
				where(f.inStart.Pos()), verb(f.in), name, fn, verb(f.other), it, where(f.other.Pos))
		case f.otStart.Kind == 0:
			ret := returnOf(f.other)
			if f.result && ret != nil && f.in.Write {
				msg = fmt.Sprintf("%s %s %s here, possibly after %s has returned at %s (which %s %s) without waiting for it: a data race",
					startName(f.inStart), verb(f.in), name, fn, where(ret.Pos()), verb(f.other), it)
			} else {
				msg = fmt.Sprintf("%s %s %s here while %s %s %s at %s, with no Wait, receive or common lock in between: a data race",
					startName(f.inStart), verb(f.in), name, fn, verb(f.other), it, where(f.other.Pos))
			}
		default:
			msg = fmt.Sprintf("%s %s %s here while %s %s %s at %s, with nothing ordering them: a data race",
				startName(f.inStart), verb(f.in), name, startName(f.otStart), verb(f.other), it, where(f.other.Pos))
			related = append(related, analysis.RelatedInformation{Pos: f.otStart.Pos(), Message: startText(f.otStart)})
		}
		if f.other != f.in {
			related = append(related, analysis.RelatedInformation{Pos: f.other.Pos, Message: fmt.Sprintf("%s %s here", verb(f.other), name)})
		}
		pass.Report(analysis.Diagnostic{
			Pos:      f.in.Pos,
			Category: "sharedcapture",
			Message:  msg,
			Related:  related,
		})
	}
}

func verb(a *model.Access) string {
	if a.Write {
		return "writes"
	}
	return "reads"
}

// startName names the goroutine (or escaping function) of a start.
func startName(s model.Start) string {
	line := ""
	if s.Instr != nil {
		if fn := s.Instr.Parent(); fn != nil && fn.Prog != nil {
			line = fmt.Sprint(fn.Prog.Fset.Position(s.Pos()).Line)
		}
	}
	if s.Kind == model.PlaceEscape {
		if _, ok := s.Instr.(*ssa.Return); ok {
			return "the function literal returned at line " + line
		}
		return "the function literal that escapes at line " + line
	}
	return "the goroutine started at line " + line
}

func startText(s model.Start) string {
	if s.Kind == model.PlaceEscape {
		if _, ok := s.Instr.(*ssa.Return); ok {
			return "the function literal is returned here"
		}
		return "the function literal escapes here"
	}
	return "the goroutine starts here"
}

// returnOf returns the return that an access of a named result belongs to
// (return x, y stores the results, then returns), if any.
func returnOf(a *model.Access) *ssa.Return {
	b := a.Instr.Block()
	if b == nil {
		return nil
	}
	after := false
	for _, in := range b.Instrs {
		if in == a.Instr {
			after = true
			continue
		}
		if !after {
			continue
		}
		switch in := in.(type) {
		case *ssa.Return:
			return in
		case *ssa.Call, *ssa.Go, *ssa.Defer, *ssa.Send, *ssa.Select:
			return nil
		}
	}
	return nil
}

// funcName names the function an access is in, as the source does; a
// function literal is named after its enclosing function.
func funcName(f *model.Func) string {
	fn := f.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn.Name()
}

// localVars indexes local variables by position: the cell of a captured
// variable has the variable's position.
func localVars(info *types.Info) map[token.Pos]*types.Var {
	out := make(map[token.Pos]*types.Var)
	for id, obj := range info.Defs {
		if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
			out[id.Pos()] = v
		}
	}
	return out
}
