// Package benchtest measures one check on top of an already built model, on
// real packages of about 5,000 lines and more that use locks, channels and
// goroutines: what the check adds to a re-analysis after an edit.
package benchtest

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/model"
)

// Packages are the standard library packages measured.
var Packages = []string{"database/sql", "testing", "net/http"}

// Run benchmarks the analyzer a (which requires only the model) on each of
// Packages, reporting their size in lines.
func Run(b *testing.B, a *analysis.Analyzer) {
	for _, path := range Packages {
		pkgs, err := hints.Load(context.Background(), hints.LoadConfig{}, path)
		if err != nil || len(pkgs) != 1 {
			b.Fatalf("loading %s: %v", path, err)
		}
		pkg := pkgs[0]
		m := model.Build(pkg.Fset, pkg.Types, pkg.Files, pkg.Info, nil)
		pass := &analysis.Pass{
			Analyzer:  a,
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
				if _, err := a.Run(pass); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(lines), "lines")
		})
	}
}
