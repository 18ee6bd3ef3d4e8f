package model_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

// TestHappensBefore checks MayHappenInParallel on testdata/src/hb: in each
// function named Par* some pair of accesses of one variable (a write among
// them, no common lock) may run in parallel, in each function named Ord*
// none may. testdata/hb.golden lists the parallel pairs with the reason.
func TestHappensBefore(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), model.Analyzer, "hb")
	m := results[0].Result.(*model.Model)
	par := map[string]bool{}
	var lines []string
	for i, a := range m.Accesses {
		for _, b := range m.Accesses[i:] {
			if !sameVar(a, b) || !(a.Write || b.Write) || a.Atomic && b.Atomic || model.CommonLockHeld(a.Held, b.Held) != nil {
				continue
			}
			p := m.Parallel(a, b)
			if p == nil {
				continue
			}
			top := topLevel(p.Frame, a, p)
			par[top] = true
			pa, pb := m.Position(a.Pos), m.Position(b.Pos)
			why := ""
			switch {
			case p.Instances:
				why = fmt.Sprintf("instances of %d", m.Position(p.A.Pos()).Line)
			default:
				why = start(m, "a", p.A) + start(m, "b", p.B)
			}
			lines = append(lines, fmt.Sprintf("%s: %d:%d %s || %d:%d %s (%s)", top, pa.Line, pa.Column, rw(a), pb.Line, pb.Column, rw(b), why))
		}
	}
	for _, f := range m.Funcs {
		name := f.SSA.Name()
		if f.SSA.Parent() != nil {
			continue
		}
		switch {
		case strings.HasPrefix(name, "Par") && !par[name]:
			t.Errorf("%s: no parallel pair found", name)
		case strings.HasPrefix(name, "Ord") && par[name]:
			t.Errorf("%s: a pair was found parallel", name)
		}
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join(analysistest.TestData(), "hb.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, _ := os.ReadFile(golden)
	if got != string(want) {
		t.Errorf("parallel pairs differ from %s (run with -update to see):\n%s", golden, diff(string(want), got))
	}
}

func start(m *model.Model, side string, s model.Start) string {
	switch s.Kind {
	case model.PlaceGo:
		return fmt.Sprintf(" %s go %d", side, m.Position(s.Pos()).Line)
	case model.PlaceEscape:
		return fmt.Sprintf(" %s escapes %d", side, m.Position(s.Pos()).Line)
	}
	return ""
}

func sameVar(a, b *model.Access) bool {
	if a.Map != b.Map {
		return false
	}
	if a.Cell != nil {
		return a.Cell == b.Cell
	}
	return a.Var != nil && a.Var == b.Var
}

func rw(a *model.Access) string {
	if a.Write {
		return "write"
	}
	return "read"
}

// topLevel names the package-level function holding the frame.
func topLevel(f *model.Func, a *model.Access, p *model.Parallelism) string {
	var fn *ssa.Function
	if f != nil {
		fn = f.SSA
	} else {
		fn = a.Func.SSA
	}
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn.Name()
}
