// Package fixtest checks the quick fixes of an analyzer on its analysistest
// testdata: each fix, applied alone, must leave a package that type-checks,
// files that are as gofmt-clean as they were, and no longer the diagnostic
// it fixes.
package fixtest

import (
	"bytes"
	"go/format"
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

// silent swallows analysistest's complaints instead of failing: the fixed
// files keep their "// want" comments, which no longer match.
type silent struct{}

func (silent) Errorf(format string, args ...any) {}

var digits = regexp.MustCompile(`[0-9]+`)

// Check applies each suggested fix of the analyzer on package pkg of
// testdata alone, then type-checks the result and runs the analyzer again:
// the fixed program must build, each file it edits must still be
// gofmt-clean (analysistest formats before it compares with a .golden file,
// editors and synclens check -fix do not), and the diagnostic must be gone,
// both its message and its place. Every .golden file of pkg must be its
// file with every fix applied; with update set, the .golden files are
// rewritten so.
func Check(t *testing.T, a *analysis.Analyzer, pkg string, update bool) {
	t.Helper()
	check(t, a, pkg, update, false)
}

// CheckAnnotations is Check for an analyzer whose fixes write down what it
// inferred rather than resolve the finding (guardedby's // +checklocks:mu):
// after each one, the findings must be the same, at the same places (the
// wording may change), none gone and none added.
func CheckAnnotations(t *testing.T, a *analysis.Analyzer, pkg string, update bool) {
	t.Helper()
	check(t, a, pkg, update, true)
}

// place is where a diagnostic is: its file, relative to the testdata
// directory, and its byte offset.
type place struct {
	file string
	off  int
}

func check(t *testing.T, a *analysis.Analyzer, pkg string, update, annotations bool) {
	t.Helper()
	dir := analysistest.TestData()
	results := analysistest.Run(silent{}, dir, a, pkg)
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
	for _, d := range res.Diagnostics {
		for _, fix := range d.SuggestedFixes {
			at := fset.Position(d.Pos)
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
				if src, _ := os.ReadFile(name); gofmtClean(src) && !gofmtClean(out) {
					formatted, _ := format.Source(out)
					t.Errorf("%s: after %q the file is not gofmt-clean:\n%s", at, fix.Message, lineDiff(out, formatted))
				}
				if err := os.WriteFile(filepath.Join(tmp, rel(t, dir, name)), out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			again := analysistest.Run(silent{}, tmp, a, pkg)
			if len(again) != 1 || again[0].Err != nil && !strings.Contains(again[0].Err.Error(), "want") {
				t.Errorf("%s: after %q the package does not load", at, fix.Message)
				continue
			}
			if errs := again[0].Pass.TypeErrors; len(errs) > 0 {
				t.Errorf("%s: after %q the package does not type-check: %v", at, fix.Message, errs[0])
				continue
			}
			// Where each finding should be now, and where it is.
			moved := make(map[place]int)
			for _, o := range res.Diagnostics {
				if p, ok := shift(t, fset, dir, o.Pos, byFile); ok {
					moved[p]++
				}
			}
			now := make(map[place]int)
			for _, n := range again[0].Diagnostics {
				now[place{rel(t, tmp, again[0].Pass.Fset.File(n.Pos).Name()), again[0].Pass.Fset.File(n.Pos).Offset(n.Pos)}]++
			}
			here, kept := shift(t, fset, dir, d.Pos, byFile)
			for p, n := range now {
				if n > moved[p] {
					t.Errorf("%s: after %q there is a new finding at %s offset %d", at, fix.Message, p.file, p.off)
				}
			}
			if annotations {
				for p, n := range moved {
					if now[p] < n {
						t.Errorf("%s: %q, which only annotates, made the finding at %s offset %d go away", at, fix.Message, p.file, p.off)
					}
				}
				if !kept {
					t.Errorf("%s: %q, which only annotates, rewrote the code of its finding", at, fix.Message)
				}
				continue
			}
			k := digits.ReplaceAllString(d.Message, "N")
			if count(again[0].Diagnostics)[k] >= before[k] || kept && now[here] >= moved[here] {
				t.Errorf("%s: after %q the diagnostic is still reported: %s", at, fix.Message, d.Message)
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

// shift returns where the byte at pos is once edits are applied to its
// file, or false when an edit replaces it.
func shift(t *testing.T, fset *token.FileSet, dir string, pos token.Pos, edits map[string][]analysis.TextEdit) (place, bool) {
	tf := fset.File(pos)
	off := tf.Offset(pos)
	moved := off
	for _, e := range offsets(fset, edits[tf.Name()]) {
		switch {
		case e.end <= off:
			moved += len(e.text) - (e.end - e.start)
		case e.start <= off:
			return place{}, false
		}
	}
	return place{rel(t, dir, tf.Name()), moved}, true
}

func rel(t *testing.T, dir, name string) string {
	r, err := filepath.Rel(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// gofmtClean reports whether src is as gofmt prints it.
func gofmtClean(src []byte) bool {
	out, err := format.Source(src)
	return err == nil && bytes.Equal(out, src)
}

// lineDiff shows the lines of got that gofmt changes, and how.
func lineDiff(got, formatted []byte) string {
	a, b := strings.Split(string(got), "\n"), strings.Split(string(formatted), "\n")
	var out strings.Builder
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			out.WriteString("-" + x + "\n+" + y + "\n")
		}
	}
	return out.String()
}

// edit is a TextEdit as byte offsets in its file.
type edit struct {
	start, end int
	text       string
}

// offsets returns edits, all in one file, as offsets, in order and without
// duplicates (fixes of several findings may make the same edit).
func offsets(fset *token.FileSet, edits []analysis.TextEdit) []edit {
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
	return es
}

// apply applies edits to the file name.
func apply(t *testing.T, fset *token.FileSet, name string, edits []analysis.TextEdit) []byte {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	last := 0
	for _, e := range offsets(fset, edits) {
		if e.start < last {
			t.Fatalf("%s: overlapping edits", name)
		}
		out = append(out, src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last:]...)
}
