package concurrentmap

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports maps and slices updated concurrently without a lock.
var Analyzer = &analysis.Analyzer{
	Name:     "concurrentmap",
	Doc:      analysisutil.MustExtractDoc(doc, "concurrentmap"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#concurrentmap",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

// key identifies a variable: a field or package variable, or a captured
// local variable; Map separates a map's contents from the variable.
type key struct {
	v    *types.Var
	cell *ssa.Alloc
	m    bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	groups := make(map[key][]*model.Access)
	var order []key
	for _, a := range m.Accesses {
		if a.Atomic || a.Var == nil && a.Cell == nil {
			continue
		}
		k := key{v: a.Var, cell: a.Cell, m: a.Map}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], a)
	}
	old := m.SharedLoopVars()
	for _, k := range order {
		accs := groups[k]
		if !k.m && !anyAppend(accs) || !anyWrite(accs) {
			continue
		}
		// Only races with no lock at either access are reported (see
		// unlocked), and Races looks at pairs: leaving the locked accesses
		// out first gives the same races without the quadratic work on a
		// map that every access locks.
		races := m.Races(unheld(accs), k.v != nil)
		if !k.m {
			races = appendRaces(races)
		}
		if len(races) == 0 {
			continue
		}
		if k.cell != nil && old[cellVar(pass, k.cell)] {
			continue // loopcapture
		}
		report(pass, m, k, pick(races))
	}
	return nil, nil
}

func anyWrite(accs []*model.Access) bool {
	for _, a := range accs {
		if a.Write {
			return true
		}
	}
	return false
}

func anyAppend(accs []*model.Access) bool {
	for _, a := range accs {
		if a.Append {
			return true
		}
	}
	return false
}

// unheld keeps the accesses made with no lock held: a race with a lock at
// one of its accesses, a map guarded by a lock at some accesses and not at
// others, is guardedby's business, and is usually guarded by design
// (fields read without the lock by the goroutine that writes them).
func unheld(accs []*model.Access) []*model.Access {
	var out []*model.Access
	for _, a := range accs {
		if len(a.Held) == 0 {
			out = append(out, a)
		}
	}
	return out
}

// appendRaces keeps the races that involve an append.
func appendRaces(races []model.Race) []model.Race {
	var out []model.Race
	for _, r := range races {
		if r.A.Append || r.B.Append {
			out = append(out, r)
		}
	}
	return out
}

// pick prefers two writes, then a write in a goroutine against the code
// that started it, then instances, then the rest.
func pick(races []model.Race) model.Race {
	rank := func(r model.Race) int {
		n := 0
		if !(r.A.Write && r.B.Write) {
			n += 4
		}
		switch {
		case r.Why.Instances:
			n += 1
		case r.Why.Escapes:
			n += 2
		case r.Why.A.Kind != 0 && r.Why.B.Kind != 0:
			n += 3
		}
		return n
	}
	sort.SliceStable(races, func(i, j int) bool { return rank(races[i]) < rank(races[j]) })
	return races[0]
}

func report(pass *analysis.Pass, m *model.Model, k key, r model.Race) {
	in, other, inStart, otStart := r.A, r.B, r.Why.A, r.Why.B
	if !r.Why.Instances && inStart.Kind == 0 && otStart.Kind != 0 {
		in, other, inStart, otStart = r.B, r.A, r.Why.B, r.Why.A
	}
	where := func(pos token.Pos) string { return analysisutilWhere(pass.Fset, pos, in.Pos) }
	name := varName(in, k)
	fn := funcName(other.Func)
	both := in.Write && other.Write
	var msg string
	related := []analysis.RelatedInformation{{Pos: inStart.Pos(), Message: "the goroutine starts here"}}
	if r.Why.Handler {
		report2 := func(msg string) {
			pass.Report(analysis.Diagnostic{Pos: in.Pos, Category: "concurrentmap", Message: msg,
				Related: []analysis.RelatedInformation{{Pos: other.Pos, Message: fmt.Sprintf("%s %s here", verb(other), name)}}})
		}
		kind := "map"
		effect := "concurrent map writes abort the program"
		if !both {
			effect = "a map read during a write aborts the program"
		}
		advice := "guard the map with a sync.Mutex or use a sync.Map"
		if !k.m {
			kind, effect, advice = "slice", "the slice header races and elements are lost", "guard the slice with a sync.Mutex"
		}
		ea, eb := r.Why.EntryA.SSA.Name(), r.Why.EntryB.SSA.Name()
		if in != r.A {
			ea, eb = eb, ea
		}
		switch {
		case r.Why.Instances:
			also := ""
			if other != in {
				also = fmt.Sprintf(" and %s it at %s", verb(other), where(other.Pos))
			}
			report2(fmt.Sprintf("%s %s %s here%s; net/http calls %s for many requests at once, with no lock: %s; %s",
				ea, verb(in), kind+" "+name, also, ea, effect, advice))
		default:
			report2(fmt.Sprintf("%s %s %s here while %s %s it at %s; a polling loop and an HTTP handler run in different goroutines, with no lock: %s; %s",
				ea, verb(in), kind+" "+name, eb, verb(other), where(other.Pos), effect, advice))
		}
		return
	}
	if k.m {
		effect := "concurrent map writes abort the program"
		if !both {
			effect = "a map read during a write aborts the program"
		}
		advice := "guard the map with a sync.Mutex or use a sync.Map"
		switch {
		case r.Why.Instances:
			rw := "written"
			if !both {
				rw = "written and read"
			}
			msg = fmt.Sprintf("map %s is %s by every goroutine started at %s with no lock: %s; %s", name, rw, where(inStart.Pos()), effect, advice)
		case r.Why.Escapes:
			msg = fmt.Sprintf("the goroutine started at %s %s map %s here and keeps running after %s returns, while %s %s it at %s with no common lock: %s; %s",
				where(inStart.Pos()), verb(in), name, funcName(&model.Func{SSA: inStart.Instr.Parent()}), fn, verb(other), where(other.Pos), effect, advice)
		case otStart.Kind != 0:
			msg = fmt.Sprintf("the goroutine started at %s %s map %s here while the goroutine started at %s %s it at %s, with no common lock: %s; %s",
				where(inStart.Pos()), verb(in), name, where(otStart.Pos()), verb(other), where(other.Pos), effect, advice)
			related = append(related, analysis.RelatedInformation{Pos: otStart.Pos(), Message: "the other goroutine starts here"})
		default:
			msg = fmt.Sprintf("the goroutine started at %s %s map %s here while %s %s it at %s, with no common lock: %s; %s",
				where(inStart.Pos()), verb(in), name, fn, verb(other), where(other.Pos), effect, advice)
		}
	} else {
		advice := "guard the slice with a sync.Mutex, or send the values on a channel and append in one goroutine"
		switch {
		case r.Why.Instances:
			msg = fmt.Sprintf("%s = append(%s, ...) runs in every goroutine started at %s with no lock: the appends race on the slice and lose elements; %s",
				name, name, where(inStart.Pos()), advice)
		default:
			what := "appends to"
			if !in.Append {
				what = verb(in)
			}
			starter := fn
			if otStart.Kind != 0 {
				starter = fmt.Sprintf("the goroutine started at %s", where(otStart.Pos()))
			}
			msg = fmt.Sprintf("the goroutine started at %s %s %s here while %s %s it at %s, with no common lock: the slice header races and elements are lost; %s",
				where(inStart.Pos()), what, name, starter, verb(other), where(other.Pos), advice)
		}
	}
	if other != in {
		related = append(related, analysis.RelatedInformation{Pos: other.Pos, Message: fmt.Sprintf("%s %s here", verb(other), name)})
	}
	pass.Report(analysis.Diagnostic{
		Pos:      in.Pos,
		Category: "concurrentmap",
		Message:  msg,
		Related:  related,
	})
}

func verb(a *model.Access) string {
	switch {
	case a.Append:
		return "appends to"
	case a.Write:
		return "writes"
	}
	return "reads"
}

// varName names the variable as the code at the access spells it.
func varName(a *model.Access, k key) string {
	if k.cell != nil {
		return k.cell.Comment
	}
	if a.Path.Valid() {
		p := a.Path
		p.Elem = false
		if n := p.Name(); n != "" {
			return n
		}
	}
	return k.v.Name()
}

// funcName names a function; a function literal by its enclosing function.
func funcName(f *model.Func) string {
	fn := f.SSA
	for fn != nil && fn.Parent() != nil {
		fn = fn.Parent()
	}
	if fn == nil {
		return "the caller"
	}
	return fn.Name()
}

// cellVar returns the local variable of a cell (same position).
func cellVar(pass *analysis.Pass, cell *ssa.Alloc) *types.Var {
	for id, obj := range pass.TypesInfo.Defs {
		if id.Pos() == cell.Pos() {
			v, _ := obj.(*types.Var)
			return v
		}
	}
	return nil
}

// analysisutilWhere names a position as "line N" in the file of from, or
// "file.go:N" in another file.
func analysisutilWhere(fset *token.FileSet, pos, from token.Pos) string {
	p, q := fset.Position(pos), fset.Position(from)
	if p.Filename == q.Filename {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
