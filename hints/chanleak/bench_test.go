package chanleak_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/chanleak"
	"github.com/synclens/synclens/hints/closedchan"
	"github.com/synclens/synclens/hints/condmisuse"
	"github.com/synclens/synclens/hints/goroutineleak"
	"github.com/synclens/synclens/hints/lostcancel"
	"github.com/synclens/synclens/hints/model"
	"github.com/synclens/synclens/hints/waitgroupmisuse"
)

// goroutineChecks are the goroutine and channel checks: chanleak,
// goroutineleak, closedchan, waitgroupmisuse, condmisuse, lostcancel.
var goroutineChecks = []*analysis.Analyzer{
	chanleak.Analyzer, goroutineleak.Analyzer, closedchan.Analyzer,
	waitgroupmisuse.Analyzer, condmisuse.Analyzer, lostcancel.Analyzer,
}

// BenchmarkChecks measures what the six goroutine and channel checks add to
// a re-analysis after an edit, on real packages of about 5,000 lines (and
// net/http, about 40,000): each iteration builds a fresh model untimed
// (the checks' caches of loops and branch conditions live in it), then runs
// the six checks, timed. The channel tracing inside the model build is
// measured by the model's BenchmarkCollectChans.
func BenchmarkChecks(b *testing.B) {
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
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				m := model.Build(pkg.Fset, pkg.Types, pkg.Files, pkg.Info, nil)
				b.StartTimer()
				for _, a := range goroutineChecks {
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
					if _, err := a.Run(pass); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(lines), "lines")
		})
	}
}
