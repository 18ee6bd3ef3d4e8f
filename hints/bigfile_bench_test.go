package hints_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/synclens/synclens/hints"
)

// bigFile generates one file of about 50,000 lines with a Lock site every
// 15 lines or so (3,334 in all), a third of them leaking on an early return: the
// size of a large generated file, one edit of which is one re-analysis.
func bigFile(locks int) string {
	var b strings.Builder
	b.WriteString("package big\n\nimport \"sync\"\n\ntype S struct {\n\tmu sync.Mutex\n\tn  map[int]int\n}\n")
	for i := range locks {
		leak := "\t\ts.mu.Unlock()\n"
		if i%3 == 0 {
			leak = ""
		}
		fmt.Fprintf(&b, `
// F%[1]d updates entry %[1]d.
func (s *S) F%[1]d(k int) int {
	s.mu.Lock()
	if k < 0 {
%[2]s		return -1
	}
	v := s.n[k] + %[1]d
	w := v * 2
	s.n[k] = w - v
	s.mu.Unlock()
	return v
}
`, i, leak)
	}
	return b.String()
}

// BenchmarkGeneratedFile measures one edit of the generated file (re-parse,
// re-type-check, model, every default check) and reports the peak RSS of
// the process.
func BenchmarkGeneratedFile(b *testing.B) {
	dir := b.TempDir()
	src := bigFile(3334)
	for name, text := range map[string]string{"go.mod": "module example.com/big\n\ngo 1.26\n", "big.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	pkg := loadBenchDir(b, dir)
	name := pkg.Filenames[0]
	edited := []byte(strings.Replace(src, "v := s.n[k] + 0\n", "v := s.n[k] + 1\n", 1))
	var diags int
	for b.Loop() {
		np, err := pkg.Reparse(map[string][]byte{name: edited})
		if err != nil {
			b.Fatal(err)
		}
		diags = len(hints.Analyze(np, nil).Diagnostics)
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	}
	b.ReportMetric(float64(lines(pkg)), "lines")
	b.ReportMetric(float64(diags), "diagnostics")
}
