package explore_test

import (
	"flag"
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/model"
)

var update = flag.Bool("update", false, "rewrite testdata/witnesses.golden")

// TestScenarios explores each Bug* and OK* function of testdata and checks
// the operations found waiting forever against the "blocks" marks, and
// the "completes" marks against the verdict.
func TestScenarios(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), model.Analyzer, "scenarios")
	m := results[0].Result.(*model.Model)
	x := explore.New(m)
	marks := map[string]string{} // file:line -> mark
	for _, f := range m.Files {
		name := m.Fset.File(f.Pos()).Name()
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, mark := range []string{"blocks", "completes", "race"} {
				if strings.HasSuffix(line, "// "+mark) {
					marks[pos(name, i+1)] = mark
				}
			}
		}
	}
	var roots []*ssa.Function
	for _, f := range m.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !(strings.HasPrefix(fd.Name.Name, "Bug") || strings.HasPrefix(fd.Name.Name, "OK") || strings.HasPrefix(fd.Name.Name, "Race")) {
				continue
			}
			roots = append(roots, m.SSA.Func(fd.Name.Name))
		}
	}
	found := map[string]bool{}
	var witnesses strings.Builder
	for _, root := range roots {
		sc := x.Scenario(root)
		for _, f := range sc.Findings() {
			if !f.Certain() {
				continue
			}
			fmt.Fprintf(&witnesses, "%s: line %d\n", root.Name(), m.Fset.Position(f.Instr.Pos()).Line)
			for i, s := range f.Steps {
				fmt.Fprintf(&witnesses, "\t%d. %s (line %d)\n", i+1, s.Text, m.Fset.Position(s.Pos).Line)
			}
		}
		if !sc.Complete {
			t.Errorf("%s: exploration not complete (%d states)", root.Name(), sc.States)
		}
		for _, f := range sc.Findings() {
			if !f.Certain() {
				continue
			}
			p := m.Fset.Position(f.Instr.Pos())
			at := pos(p.Filename, p.Line)
			found[at] = true
			if marks[at] != "blocks" {
				var steps []string
				for _, s := range f.Steps {
					steps = append(steps, s.Text+" ("+m.Fset.Position(s.Pos).String()+")")
				}
				t.Errorf("%s: unexpected wait forever at %s:\n\t%s", root.Name(), at, strings.Join(steps, "\n\t"))
			}
		}
		for _, r := range sc.Races() {
			for _, a := range []explore.Access{r.First, r.Second} {
				p := m.Fset.Position(a.Instr.Pos())
				at := pos(p.Filename, p.Line)
				found[at] = true
				if marks[at] != "race" {
					t.Errorf("%s: unexpected race at %s (with %s)", root.Name(), at, m.Fset.Position(r.First.Instr.Pos()))
				}
			}
		}
		for _, b := range root.Blocks {
			for _, in := range b.Instrs {
				p := m.Fset.Position(in.Pos())
				at := pos(p.Filename, p.Line)
				if marks[at] != "completes" || !isBlocking(in) {
					continue
				}
				if v, _ := sc.Verdict(in); v != explore.Completes {
					t.Errorf("%s: %s: verdict %d, want Completes", root.Name(), at, v)
				}
			}
		}
	}
	// The witnesses, step by step.
	golden := filepath.Join(analysistest.TestData(), "witnesses.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(witnesses.String()), 0o666); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(golden); err != nil {
		t.Fatal(err)
	} else if string(want) != witnesses.String() {
		t.Errorf("witnesses differ from %s (run with -update):\n%s", golden, witnesses.String())
	}
	var missing []string
	for at, mark := range marks {
		if (mark == "blocks" || mark == "race") && !found[at] {
			missing = append(missing, at)
		}
	}
	sort.Strings(missing)
	for _, at := range missing {
		t.Errorf("no wait forever found at %s", at)
	}
}

func isBlocking(in ssa.Instruction) bool {
	switch in := in.(type) {
	case *ssa.Send, *ssa.Select:
		return true
	case *ssa.UnOp:
		return in.Op.String() == "<-"
	}
	return false
}

func pos(file string, line int) string {
	i := strings.LastIndex(file, "/")
	return file[i+1:] + ":" + itoa(line)
}

func itoa(n int) string {
	s := ""
	for n > 0 || s == "" {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
