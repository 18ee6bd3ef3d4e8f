package datarace_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/datarace"
	"github.com/synclens/synclens/hints/explore"
	"github.com/synclens/synclens/hints/internal/benchtest"
	"github.com/synclens/synclens/hints/model"
)

// BenchmarkRun measures what datarace adds to a re-analysis after an
// edit, on the packages of benchtest: each iteration gets a freshly built
// model (untimed, as an edit builds one) and a fresh explorer, whose
// scenarios the check explores (timed: the engine's work is the check's
// cost, as no other default check but chanleak asks for scenarios). It
// reports the warnings too (on the standard library, each is a false
// alarm to judge), and the work: the scenarios explored, those that ran
// out of budget, and the states they went through.
func BenchmarkRun(b *testing.B) {
	for _, path := range benchtest.Packages {
		pkgs, err := hints.Load(context.Background(), hints.LoadConfig{}, path)
		if err != nil || len(pkgs) != 1 {
			b.Fatalf("loading %s: %v", path, err)
		}
		pkg := pkgs[0]
		lines := 0
		for _, f := range pkg.Files {
			lines += pkg.Fset.File(f.FileStart).LineCount()
		}
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			warnings := 0
			var x *explore.Explorer
			for b.Loop() {
				b.StopTimer()
				m := model.Build(pkg.Fset, pkg.Types, pkg.Files, pkg.Info, nil)
				x = explore.New(m)
				b.StartTimer()
				warnings = 0
				pass := &analysis.Pass{
					Analyzer:  datarace.Analyzer,
					Fset:      pkg.Fset,
					Files:     pkg.Files,
					Pkg:       pkg.Types,
					TypesInfo: pkg.Info,
					ResultOf:  map[*analysis.Analyzer]any{model.Analyzer: m, explore.Analyzer: x},
					Report:    func(analysis.Diagnostic) { warnings++ },
					ReadFile:  os.ReadFile,
				}
				if _, err := datarace.Analyzer.Run(pass); err != nil {
					b.Fatal(err)
				}
			}
			scenarios, over, states := x.Stats()
			b.ReportMetric(float64(lines), "lines")
			b.ReportMetric(float64(warnings), "warnings")
			b.ReportMetric(float64(scenarios), "scenarios")
			b.ReportMetric(float64(over), "over-budget")
			b.ReportMetric(float64(states), "states")
		})
	}
}
