// Package fixtest checks the quick fixes of an analyzer on its analysistest
// testdata: each fix, applied alone, must leave a package that type-checks
// and no longer has the diagnostic it fixes.
package fixtest

import (
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// silent collects analysistest's complaints instead of failing: the fixed
// files keep their "// want" comments, which no longer match.
type silent struct{ errs []string }

func (s *silent) Errorf(format string, args ...any) {}

var digits = regexp.MustCompile(`[0-9]+`)

// Check applies each suggested fix of the analyzer on package pkg of
// testdata alone, then type-checks the result and runs the analyzer again:
// the fixed program must build and the diagnostic must be gone. Every
// .golden file of pkg must be its file with every fix applied; with update
// set, the .golden files are rewritten so.
func Check(t *testing.T, a *analysis.Analyzer, pkg string, update bool) {
	t.Helper()
	dir := analysistest.TestData()
	results := analysistest.Run(&silent{}, dir, a, pkg)
	if len(results) != 1 {
		t.Fatalf("loading %s: %d results", pkg, len(results))
	}
	res := results[0]
	fset := res.Pass.Fset
	count := func(ds []analysis.Diagnostic) map[string]int {
		n := make(map[string]int)
		for _, d := range ds {
			n[digits.ReplaceAllString(d.Message, "N")]++
		}
		return n
	}
	before := count(res.Diagnostics)
	all := make(map[string][]analysis.TextEdit) // file -> every edit, for the golden
	fixes := 0
	for _, d := range res.Diagnostics {
		for _, fix := range d.SuggestedFixes {
			fixes++
			byFile := make(map[string][]analysis.TextEdit)
			for _, e := range fix.TextEdits {
				name := fset.File(e.Pos).Name()
				byFile[name] = append(byFile[name], e)
				all[name] = append(all[name], e)
			}
			tmp := t.TempDir()
			if err := os.CopyFS(tmp, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			for name, edits := range byFile {
				out := apply(t, fset, name, edits)
				rel, _ := filepath.Rel(dir, name)
				if err := os.WriteFile(filepath.Join(tmp, rel), out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			again := analysistest.Run(&silent{}, tmp, a, pkg)
			if len(again) != 1 || again[0].Err != nil && !strings.Contains(again[0].Err.Error(), "want") {
				t.Errorf("%s: after %q the package does not load", fset.Position(d.Pos), fix.Message)
				continue
			}
			if errs := again[0].Pass.TypeErrors; len(errs) > 0 {
				t.Errorf("%s: after %q the package does not type-check: %v", fset.Position(d.Pos), fix.Message, errs[0])
				continue
			}
			after := count(again[0].Diagnostics)
			k := digits.ReplaceAllString(d.Message, "N")
			if after[k] >= before[k] {
				t.Errorf("%s: after %q the diagnostic is still reported: %s", fset.Position(d.Pos), fix.Message, d.Message)
			}
		}
	}
	if update {
		for name, edits := range all {
			if err := os.WriteFile(name+".golden", apply(t, fset, name, edits), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	// analysistest compares a golden file only with the fixes it got: a
	// fix that is no longer offered (say, after a //line directive) would
	// go unnoticed.
	goldens, _ := filepath.Glob(filepath.Join(dir, "src", pkg, "*.go.golden"))
	for _, golden := range goldens {
		name := strings.TrimSuffix(golden, ".golden")
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got := apply(t, fset, name, all[name]); string(got) != string(want) {
			t.Errorf("%s: applying every fix does not give %s (a fix is missing or different; -update rewrites it)", filepath.Base(name), filepath.Base(golden))
		}
	}
}

// apply applies edits (deduplicated) to the file name.
func apply(t *testing.T, fset *token.FileSet, name string, edits []analysis.TextEdit) []byte {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	type edit struct {
		start, end int
		text       string
	}
	seen := make(map[edit]bool)
	var es []edit
	for _, e := range edits {
		tf := fset.File(e.Pos)
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		x := edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)}
		if !seen[x] {
			seen[x] = true
			es = append(es, x)
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].start < es[j].start })
	var out []byte
	last := 0
	for _, e := range es {
		if e.start < last {
			t.Fatalf("%s: overlapping edits", name)
		}
		out = append(out, src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last:]...)
}
