package hints_test

import (
	"context"
	"go/ast"
	"go/token"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/model"
)

// benchPackages are real packages of at least 5,000 lines that use locks,
// channels and goroutines.
var benchPackages = []string{"database/sql", "testing"}

func loadBench(b *testing.B, path string) *hints.Package {
	b.Helper()
	pkgs, err := hints.Load(context.Background(), hints.LoadConfig{}, path)
	if err != nil || len(pkgs) != 1 {
		b.Fatalf("loading %s: %v (%d packages)", path, err, len(pkgs))
	}
	return pkgs[0]
}

func loadBenchDir(b *testing.B, dir string) *hints.Package {
	b.Helper()
	pkgs, err := hints.Load(context.Background(), hints.LoadConfig{Dir: dir}, ".")
	if err != nil || len(pkgs) != 1 {
		b.Fatalf("loading %s: %v (%d packages)", dir, err, len(pkgs))
	}
	return pkgs[0]
}

func lines(pkg *hints.Package) int {
	n := 0
	for _, f := range pkg.Files {
		n += pkg.Fset.File(f.FileStart).LineCount()
	}
	return n
}

// BenchmarkModel measures building the concurrency model (SSA included) of a
// type-checked package: the work done once per package version.
func BenchmarkModel(b *testing.B) {
	for _, path := range benchPackages {
		pkg := loadBench(b, path)
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				model.Build(pkg.Fset, pkg.Types, pkg.Files, pkg.Info, nil)
			}
			b.ReportMetric(float64(lines(pkg)), "lines")
		})
	}
}

// BenchmarkAnalyze measures a whole re-analysis after an edit: re-parse and
// re-type-check the package against cached imports, build the model, run
// every default check.
func BenchmarkAnalyze(b *testing.B) {
	for _, path := range benchPackages {
		pkg := loadBench(b, path)
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				np, err := pkg.Reparse(nil)
				if err != nil {
					b.Fatal(err)
				}
				hints.Analyze(np, nil)
			}
			b.ReportMetric(float64(lines(pkg)), "lines")
		})
		b.Run(strings.ReplaceAll(path, "/", "_")+"_checks_only", func(b *testing.B) {
			// The checks on top of the model: Analyze with every check
			// minus Analyze with none.
			np, _ := pkg.Reparse(nil)
			none := func(string) bool { return false }
			var with, without time.Duration
			for b.Loop() {
				t0 := time.Now()
				hints.Analyze(np, nil)
				t1 := time.Now()
				hints.Analyze(np, none)
				without += time.Since(t1)
				with += t1.Sub(t0)
			}
			b.ReportMetric(float64(with-without)/float64(b.N)/1e6, "checks-ms/op")
		})
	}
}

// BenchmarkHover measures hovers on an analysed package, at every identifier
// and concurrency token, and reports the 99th percentile.
func BenchmarkHover(b *testing.B) {
	for _, path := range benchPackages {
		pkg := loadBench(b, path)
		res := hints.Analyze(pkg, nil)
		type spot struct {
			file   string
			offset int
		}
		var spots []spot
		for i, f := range pkg.Files {
			name := pkg.Filenames[i]
			tf := pkg.Fset.File(f.FileStart)
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					spots = append(spots, spot{name, tf.Offset(n.Pos())})
				case *ast.GoStmt:
					spots = append(spots, spot{name, tf.Offset(n.Go)})
				case *ast.SendStmt:
					spots = append(spots, spot{name, tf.Offset(n.Arrow)})
				case *ast.UnaryExpr:
					if n.Op == token.ARROW {
						spots = append(spots, spot{name, tf.Offset(n.OpPos)})
					}
				}
				return true
			})
		}
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			durations := make([]time.Duration, 0, len(spots))
			cards := 0
			for b.Loop() {
				durations = durations[:0]
				for _, s := range spots {
					t0 := time.Now()
					if res.Hover(s.file, s.offset) != nil {
						cards++
					}
					durations = append(durations, time.Since(t0))
				}
			}
			sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
			b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(len(spots)), "hovers/op")
		})
	}
}

// BenchmarkInlayHints measures the inlay hints of every file of an analysed
// package, all kinds on, whole files (what an editor asks for a file it
// shows), and reports the slowest file.
func BenchmarkInlayHints(b *testing.B) {
	all := func(hints.InlayKind) bool { return true }
	for _, path := range benchPackages {
		pkg := loadBench(b, path)
		res := hints.Analyze(pkg, nil)
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			var slowest time.Duration
			n := 0
			for b.Loop() {
				n = 0
				for i, f := range pkg.Files {
					size := pkg.Fset.File(f.FileStart).Size()
					t0 := time.Now()
					n += len(res.InlayHints(pkg.Filenames[i], 0, size+1, all))
					slowest = max(slowest, time.Since(t0))
				}
			}
			b.ReportMetric(float64(slowest.Microseconds()), "slowest-file-µs")
			b.ReportMetric(float64(n), "hints/op")
			b.ReportMetric(float64(len(pkg.Files)), "files")
		})
	}
}
