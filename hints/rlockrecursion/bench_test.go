package rlockrecursion_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/model"
	"github.com/synclens/synclens/hints/rlockrecursion"
)

// BenchmarkRun measures the check alone, on top of a model already built,
// on real packages of about 5,000 lines that use locks, channels and
// goroutines: what the check adds to a re-analysis after an edit.
func BenchmarkRun(b *testing.B) {
	for _, path := range []string{"database/sql", "testing", "net/http"} {
		pkgs, err := hints.Load(context.Background(), hints.LoadConfig{}, path)
		if err != nil || len(pkgs) != 1 {
			b.Fatalf("loading %s: %v", path, err)
		}
		pkg := pkgs[0]
		m := model.Build(pkg.Fset, pkg.Types, pkg.Files, pkg.Info, nil)
		pass := &analysis.Pass{
			Analyzer:  rlockrecursion.Analyzer,
			Fset:      pkg.Fset,
			Files:     pkg.Files,
			Pkg:       pkg.Types,
			TypesInfo: pkg.Info,
			ResultOf:  map[*analysis.Analyzer]any{model.Analyzer: m},
			Report:    func(analysis.Diagnostic) {},
			ReadFile:  os.ReadFile,
		}
		lines := 0
		for _, f := range pkg.Files {
			lines += pkg.Fset.File(f.FileStart).LineCount()
		}
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				if _, err := rlockrecursion.Analyzer.Run(pass); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(lines), "lines")
		})
	}
}
