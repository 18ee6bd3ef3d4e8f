package checkcmd_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints/checkcmd"
)

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = checkcmd.Main(args, &out, &errb)
	return out.String(), errb.String(), code
}

func mod(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("testdata", "mod"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCleanExitsZero(t *testing.T) {
	out, errs, code := run(t, "-C", mod(t), "./clean")
	if code != 0 || out != "" {
		t.Errorf("clean package: exit %d, output %q, stderr %q; want exit 0 and no output", code, out, errs)
	}
}

func TestFindingsExitOne(t *testing.T) {
	out, errs, code := run(t, "-C", mod(t), "./buggy")
	want := "buggy/buggy.go:12:2: q.mu is locked here but not unlocked on the path that returns at line 14: the next Lock blocks forever [unreleasedlock]\n"
	if code != 1 || out != want {
		t.Errorf("buggy package: exit %d, output %q (stderr %q); want exit 1 and %q", code, out, errs, want)
	}
}

// A package with a type error is analysed without the function that has it,
// and the run fails (exit 2, as for a load error): CI must not pass on code
// that does not compile.
func TestBrokenPackageStillAnalysed(t *testing.T) {
	out, errs, code := run(t, "-C", mod(t), "./broken")
	if code != 2 || !strings.Contains(out, "broken/broken.go:13:2: mu is locked here") {
		t.Errorf("broken package: exit %d, output %q; want exit 2 and the Put finding despite the error in Get", code, out)
	}
	if !strings.Contains(errs, "broken/broken.go:") || !strings.Contains(errs, "undefinedThing") {
		t.Errorf("the type error should be reported on stderr with a relative path, got %q", errs)
	}
	if !strings.Contains(errs, "example.com/mod/broken: partly analysed: left out Get") {
		t.Errorf("stderr should say what was left out, got %q", errs)
	}
}

// Packages go vet rejects must not pass as clean.
func TestBrokenPackagesFail(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/b\n\ngo 1.26\n")
	write(t, dir, "typeerr/t.go", "package typeerr\n\nvar X int = \"s\"\n\nfunc F() {}\n")
	write(t, dir, "parse/p.go", "package parse\n\nfunc F() {\n\tx :=\n}\n")
	write(t, dir, "empty/a.go", "package empty\n\nfunc F() {}\n")
	write(t, dir, "empty/b.go", "")
	write(t, dir, "symlink/a.go", "package symlink\n\nfunc F() {}\n")
	write(t, dir, "notgo.txt", "not go at all\n")
	if err := os.Symlink(filepath.Join(dir, "notgo.txt"), filepath.Join(dir, "symlink", "b.go")); err != nil {
		t.Fatal(err)
	}
	for pkg, want := range map[string]string{
		"typeerr": "typeerr/t.go:3:13: cannot use",
		"parse":   "parse/p.go:5:1: expected operand",
		"empty":   "empty/b.go:1:1: expected 'package'",
		"symlink": "symlink/b.go:1:1: expected 'package'",
	} {
		out, errs, code := run(t, "-C", dir, "./"+pkg)
		if code != 2 || out != "" || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, output %q, stderr %q; want exit 2 and %q", pkg, code, out, errs, want)
		}
	}
}

// A repository that keeps its test dependencies in another go.mod:
// GOFLAGS=-modfile=go_test.mod, or -modfile on the command line.
func TestModfile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/m\n\ngo 1.26\n")
	write(t, dir, "go_test.mod", "module example.com/m\n\ngo 1.26\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ./dep\n")
	write(t, dir, "dep/go.mod", "module example.com/dep\n\ngo 1.26\n")
	write(t, dir, "dep/dep.go", "package dep\n\nfunc OK() bool { return true }\n")
	write(t, dir, "m.go", `package m

import (
	"sync"

	"example.com/dep"
)

var mu sync.Mutex

func Put() {
	mu.Lock()
	if !dep.OK() {
		return
	}
	mu.Unlock()
}
`)
	want := "m.go:12:2: mu is locked here"
	if out, errs, code := run(t, "-C", dir, "-modfile", "go_test.mod", "."); code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("-modfile go_test.mod: exit %d, output %q, stderr %q; want exit 1 and %q", code, out, errs, want)
	}
	t.Setenv("GOFLAGS", "-modfile=go_test.mod")
	if out, errs, code := run(t, "-C", dir, "."); code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("GOFLAGS=-modfile=go_test.mod: exit %d, output %q, stderr %q; want exit 1 and %q", code, out, errs, want)
	}
}

// Findings in files outside the working directory are printed relative to
// it, as go vet does.
func TestRelativePaths(t *testing.T) {
	out, errs, code := run(t, "-C", filepath.Join(mod(t), "clean"), "../buggy")
	if code != 1 || !strings.HasPrefix(out, "../buggy/buggy.go:12:2: ") {
		t.Errorf("exit %d, output %q, stderr %q; want ../buggy/buggy.go:12:2", code, out, errs)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// A file being typed: an import that does not resolve (every use of its
// names has an invalid type) and a function the file ends inside. The rest
// of the package is still analysed, and nothing panics.
func TestUnfinishedFile(t *testing.T) {
	out, errs, code := run(t, "-C", mod(t), "./unfinished")
	if code != 2 || !strings.HasPrefix(out, "unfinished/unfinished.go:12:2: mu is locked here") {
		t.Errorf("unfinished package: exit %d, output %q, stderr %q; want the Put finding", code, out, errs)
	}
	if strings.Contains(errs, "panic") {
		t.Errorf("an analyzer panicked:\n%s", errs)
	}
}

func TestJSON(t *testing.T) {
	out, _, code := run(t, "-C", mod(t), "-json", "./buggy", "./clean")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var got []struct {
		File, Code, Severity, Message, URL string
		Line, Column, EndLine, EndColumn   int
		Related                            []struct {
			File string
			Line int
		}
		Fixes []struct {
			Title string
			Edits []struct {
				File       string
				Start, End int
				NewText    string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1: %s", len(got), out)
	}
	d := got[0]
	if d.File != "buggy/buggy.go" || d.Line != 12 || d.Column != 2 || d.EndLine != 12 || d.EndColumn != 13 ||
		d.Code != "unreleasedlock" || d.Severity != "warning" || !strings.HasSuffix(d.URL, "#unreleasedlock") {
		t.Errorf("unexpected finding %+v", d)
	}
	if len(d.Related) != 1 || d.Related[0].Line != 14 {
		t.Errorf("related information should point at the return on line 14: %+v", d.Related)
	}
	if len(d.Fixes) != 1 || len(d.Fixes[0].Edits) != 2 {
		t.Errorf("want one fix with two edits (insert the defer, drop the Unlock): %+v", d.Fixes)
	}
}

func TestJSONEmptyIsArray(t *testing.T) {
	out, _, code := run(t, "-C", mod(t), "-json", "./clean")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("clean package with -json: exit %d, output %q; want exit 0 and []", code, out)
	}
}

func TestFix(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(mod(t))); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, "-C", dir, "-fix", "./buggy")
	if code != 0 || out != "" {
		t.Fatalf("-fix: exit %d, output %q, stderr %q; want every finding fixed", code, out, errs)
	}
	fixed, _ := os.ReadFile(filepath.Join(dir, "buggy", "buggy.go"))
	if !strings.Contains(string(fixed), "\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n") || strings.Count(string(fixed), "Unlock") != 1 {
		t.Errorf("fixed file:\n%s", fixed)
	}
	if out, _, code := run(t, "-C", dir, "./buggy"); code != 0 {
		t.Errorf("after -fix the package still has findings: %s", out)
	}
}

// guardedSrc has a guardedby finding, whose only fix is an annotation, and
// an unreleasedlock one, which -fix repairs.
const guardedSrc = `package g

import "sync"

type Cache struct {
	mu     sync.Mutex
	items  map[string]string
	hits   int
	misses int
}

func (c *Cache) Get(k string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return v, ok
}

func (c *Cache) Stats() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

func (c *Cache) ResetHits() {
	c.hits = 0
}

func (c *Cache) Put(k, v string) bool {
	c.mu.Lock()
	if k == "" {
		return false
	}
	c.items[k] = v
	c.mu.Unlock()
	return true
}
`

// TestFixLeavesAnnotations: -fix applies fixes that resolve their finding,
// not guardedby's annotation, which leaves it: the finding is still
// printed, the exit status still 1, and the struct as it was. -json marks
// the annotation; -sarif, whose fixes repair their result, leaves it out.
func TestFixLeavesAnnotations(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/g\n\ngo 1.26\n")
	write(t, dir, "g.go", guardedSrc)
	var diags []struct {
		Code  string
		Fixes []struct {
			Title      string
			Annotation bool
		}
	}
	out, _, _ := run(t, "-C", dir, "-json", ".")
	if err := json.Unmarshal([]byte(out), &diags); err != nil {
		t.Fatal(err)
	}
	annotations := 0
	for _, d := range diags {
		for _, f := range d.Fixes {
			if f.Annotation != (d.Code == "guardedby") {
				t.Errorf("%s fix %q: annotation %v", d.Code, f.Title, f.Annotation)
			}
			if f.Annotation {
				annotations++
			}
		}
	}
	if annotations != 1 {
		t.Errorf("-json: %d annotations, want 1: %s", annotations, out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string
				Fixes  []json.RawMessage
			}
		}
	}
	out, _, _ = run(t, "-C", dir, "-sarif", ".")
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Fatalf("-sarif: %v\n%s", err, out)
	}
	for _, r := range log.Runs[0].Results {
		if want := r.RuleID == "unreleasedlock"; (len(r.Fixes) > 0) != want {
			t.Errorf("-sarif: %s result has %d fixes", r.RuleID, len(r.Fixes))
		}
	}

	out, errs, code := run(t, "-C", dir, "-fix", ".")
	if code != 1 || !strings.HasPrefix(out, "g.go:31:4: c.hits is written here without c.mu") || strings.Count(out, "\n") != 1 {
		t.Errorf("-fix: exit %d, output %q, stderr %q; want exit 1 and the guardedby finding alone", code, out, errs)
	}
	fixed, _ := os.ReadFile(filepath.Join(dir, "g.go"))
	if strings.Contains(string(fixed), "checklocks") || !strings.Contains(string(fixed), "\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tif k") {
		t.Errorf("fixed file:\n%s", fixed)
	}
	if out2, _, code := run(t, "-C", dir, "."); code != 1 || out2 != out {
		t.Errorf("after -fix: exit %d, output %q; want %q", code, out2, out)
	}
}

func TestDisable(t *testing.T) {
	if out, _, code := run(t, "-C", mod(t), "-disable", "unreleasedlock", "./buggy"); code != 0 || out != "" {
		t.Errorf("-disable unreleasedlock: exit %d, output %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-nosuchflag"},
		{"-C", mod(t), "-disable", "nosuchcheck", "./buggy"},
		{"-C", mod(t), "./nosuchpackage"},
	} {
		if _, errs, code := run(t, args...); code != 2 || errs == "" {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 with a message", args, code, errs)
		}
	}
}

// TestVetTool runs the analyzers through go vet -vettool (the unitchecker
// protocol), as build systems that drive vet analyzers do.
func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synclens")
	}
	bin := filepath.Join(t.TempDir(), "synclens")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/synclens/synclens").CombinedOutput(); err != nil {
		t.Fatalf("building synclens: %v\n%s", err, out)
	}
	vet := exec.Command("go", "vet", "-vettool="+bin, "./buggy", "./clean")
	vet.Dir = mod(t)
	out, err := vet.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
		t.Fatalf("go vet -vettool: %v, want a non-zero exit for the finding\n%s", err, out)
	}
	want := "buggy.go:12:2: q.mu is locked here but not unlocked on the path that returns at line 14: the next Lock blocks forever"
	if !strings.Contains(string(out), want) || strings.Contains(string(out), "clean.go") {
		t.Errorf("go vet -vettool output:\n%s\nwant the buggy finding only", out)
	}
}

// A package that uses an import that cannot be resolved: the functions and
// variables that use it cannot be built into SSA and are left out; the rest
// is analysed, and the failure is one line, not a stack trace.
func TestUnresolvedImport(t *testing.T) {
	out, errs, _ := run(t, "-C", mod(t), "./unresolved")
	if !strings.HasPrefix(out, "unresolved/unresolved.go:23:2: mu is locked here") {
		t.Errorf("output %q, stderr %q; want the Put finding", out, errs)
	}
	if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine") {
		t.Errorf("the analysis panicked:\n%s", errs)
	}
}

// A //line directive renumbers the lines (generated code): findings are
// printed where the directive says, as go vet prints them, and -fix edits
// the file where the code is; the result builds and vets clean.
func TestLineDirectives(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(mod(t))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "buggy", "buggy.go")
	src, _ := os.ReadFile(file)
	for _, directive := range []string{"//line b.go:3", "//line buggy.go:90000"} {
		lined := strings.Replace(string(src), "func (q *Queue) Pop", directive+"\nfunc (q *Queue) Pop", 1)
		if err := os.WriteFile(file, []byte(lined), 0o666); err != nil {
			t.Fatal(err)
		}
		out, errs, code := run(t, "-C", dir, "./buggy")
		if code != 1 || !strings.Contains(out, "q.mu is locked here") {
			t.Errorf("%s: exit %d, output %q, stderr %q; want the finding", directive, code, out, errs)
		}
		if out, errs, code := run(t, "-C", dir, "-fix", "./buggy"); code != 0 || out != "" {
			t.Errorf("%s: -fix: exit %d, output %q, stderr %q; want every finding fixed", directive, code, out, errs)
		}
		fixed, _ := os.ReadFile(file)
		if !strings.Contains(string(fixed), "\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n") {
			t.Errorf("%s: fixed file:\n%s", directive, fixed)
		}
		vet := exec.Command("go", "vet", "./buggy")
		vet.Dir = dir
		if out, err := vet.CombinedOutput(); err != nil {
			t.Errorf("%s: go vet after -fix: %v\n%s\n%s", directive, err, out, fixed)
		}
	}
}

// A file that uses cgo gets its findings and fixes too (it is analysed as
// written, without running cgo), and the fixed file still builds.
func TestCgoFix(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(mod(t))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "buggy", "buggy.go")
	src, _ := os.ReadFile(file)
	cgo := strings.Replace(string(src), `import "sync"`, "// #include <stdlib.h>\nimport \"C\"\n\nimport \"sync\"", 1) +
		"\nfunc free(p *C.char) { C.free(nil) }\n"
	if err := os.WriteFile(file, []byte(cgo), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := run(t, "-C", dir, "./buggy"); code != 1 || !strings.HasPrefix(out, "buggy/buggy.go:15:2: q.mu is locked here") {
		t.Errorf("exit %d, output %q, stderr %q; want the finding at buggy.go:15", code, out, errs)
	}
	if out, errs, code := run(t, "-C", dir, "-fix", "./buggy"); code != 0 || out != "" {
		t.Errorf("-fix: exit %d, output %q, stderr %q; want every finding fixed", code, out, errs)
	}
	fixed, _ := os.ReadFile(file)
	if !strings.Contains(string(fixed), "\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n") {
		t.Errorf("fixed file:\n%s", fixed)
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Log("no C compiler: not building the fixed cgo file")
		return
	}
	vet := exec.Command("go", "vet", "./buggy")
	vet.Dir = dir
	if out, err := vet.CombinedOutput(); err != nil {
		t.Errorf("go vet after -fix: %v\n%s\n%s", err, out, fixed)
	}
}

// Blocks nested deeper than go/parser's object resolution allows (1,000
// scopes): check analyses the package, as the server does.
func TestDeepNesting(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/d\n\ngo 1.26\n")
	src, _ := os.ReadFile(filepath.Join(mod(t), "buggy", "buggy.go"))
	write(t, dir, "buggy.go", string(src)+"\nfunc deep() {\n"+strings.Repeat("{", 1100)+strings.Repeat("}", 1100)+"\n}\n")
	if out, errs, code := run(t, "-C", dir, "."); code != 1 || !strings.HasPrefix(out, "buggy.go:12:2: q.mu is locked here") {
		t.Errorf("exit %d, output %q, stderr %q; want the finding", code, out, errs)
	}
}

// TestMain keeps the cache of the tests' runs out of the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "synclens-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv("SYNCLENS_CACHE", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
