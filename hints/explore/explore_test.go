package explore_test

import (
	"go/ast"
	"os"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/model"
)

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
			for _, mark := range []string{"blocks", "completes"} {
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
			if !ok || fd.Recv != nil || !(strings.HasPrefix(fd.Name.Name, "Bug") || strings.HasPrefix(fd.Name.Name, "OK")) {
				continue
			}
			roots = append(roots, m.SSA.Func(fd.Name.Name))
		}
	}
	found := map[string]bool{}
	for _, root := range roots {
		sc := x.Scenario(root)
		if !sc.Complete {
			t.Errorf("%s: exploration not complete (%d states)", root.Name(), sc.States)
		}
		for _, f := range sc.Findings() {
			if f.External {
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
	var missing []string
	for at, mark := range marks {
		if mark == "blocks" && !found[at] {
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
