package guardedby_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/concurrentmap"
	"github.com/synclens/synclens/hints/copiedlock"
	"github.com/synclens/synclens/hints/guardedby"
	"github.com/synclens/synclens/hints/loopcapture"
	"github.com/synclens/synclens/hints/mixedatomic"
	"github.com/synclens/synclens/hints/model"
	"github.com/synclens/synclens/hints/sharedcapture"
)

// BenchmarkRaceChecks measures what the race checks (guardedby,
// sharedcapture, concurrentmap, mixedatomic, loopcapture, copiedlock) add
// to a re-analysis after an edit, on real packages of about 5,000 lines
// (and net/http, about 40,000): each iteration gets a freshly built model,
// as an edit does, so the happens-before facts the checks compute lazily
// are computed again; building the model is not timed.
func BenchmarkRaceChecks(b *testing.B) {
	analyzers := []*analysis.Analyzer{guardedby.Analyzer, sharedcapture.Analyzer, concurrentmap.Analyzer,
		mixedatomic.Analyzer, loopcapture.Analyzer, copiedlock.Analyzer}
	for _, path := range []string{"database/sql", "testing", "net/http"} {
		pkgs, err := hints.Load(context.Background(), hints.LoadConfig{}, path)
		if err != nil || len(pkgs) != 1 {
			b.Fatalf("loading %s: %v", path, err)
		}
		pkg := pkgs[0]
		lines := 0
		for _, f := range pkg.Files {
			lines += pkg.Fset.File(f.FileStart).LineCount()
		}
		ins := inspector.New(pkg.Files)
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				m := model.Build(pkg.Fset, pkg.Types, pkg.Files, pkg.Info, nil)
				b.StartTimer()
				for _, a := range analyzers {
					pass := &analysis.Pass{
						Analyzer:  a,
						Fset:      pkg.Fset,
						Files:     pkg.Files,
						Pkg:       pkg.Types,
						TypesInfo: pkg.Info,
						ResultOf:  map[*analysis.Analyzer]any{model.Analyzer: m, inspect.Analyzer: ins},
						Report:    func(analysis.Diagnostic) {},
						ReadFile:  os.ReadFile,
					}
					if _, err := a.Run(pass); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(lines), "lines")
		})
	}
}
