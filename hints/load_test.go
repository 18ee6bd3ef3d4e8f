package hints_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints"
)

const lockBug = `package a

import "sync"

var mu sync.Mutex

func Put(ok bool) {
	mu.Lock()
	if !ok {
		return
	}
	mu.Unlock()
}
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["go.mod"]; !ok {
		files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load1(t *testing.T, cfg hints.LoadConfig, pattern string) *hints.Package {
	t.Helper()
	pkgs, err := hints.Load(context.Background(), cfg, pattern)
	if err != nil || len(pkgs) != 1 {
		t.Fatalf("Load %s: %v (%d packages)", pattern, err, len(pkgs))
	}
	return pkgs[0]
}

// crasher makes go/types panic (golang/go#79655, still in go1.26.8).
const crasher = "package a\n\ntype A[B A[int]] = B\n"

// TestTypeCheckerCrash: a go/types panic on a package is an error of that
// package, on load and on an edit, with a note for the editor; it does not
// take the process down.
func TestTypeCheckerCrash(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a/a.go": lockBug, "a/crash.go": crasher})
	pkg := load1(t, hints.LoadConfig{Dir: dir}, "./a")
	var crash *hints.CrashError
	if !slicesAs(pkg.Errors, &crash) {
		t.Fatalf("errors %v, want a CrashError", pkg.Errors)
	}
	res := hints.Analyze(pkg, nil)
	if res.Skipped == "" || len(res.Notes()) != 2 || !strings.Contains(res.Notes()[0].Message, "type checker crashed") {
		t.Errorf("skipped %q, notes %+v; want the package skipped with a note per file", res.Skipped, res.Notes())
	}

	// The crash typed into a package that loaded fine.
	clean := load1(t, hints.LoadConfig{Dir: writeFiles(t, map[string]string{"a/a.go": lockBug})}, "./a")
	np, err := clean.Reparse(map[string][]byte{clean.Filenames[0]: []byte(lockBug + "\ntype A[B A[int]] = B\n")})
	if err != nil || !slicesAs(np.Errors, &crash) {
		t.Fatalf("Reparse: %v, errors %v; want a CrashError", err, np.Errors)
	}
	if res := hints.Analyze(np, nil); res.Skipped == "" {
		t.Errorf("after the edit: %+v, want the package skipped", res)
	}
}

func slicesAs(errs []error, target **hints.CrashError) bool {
	for _, e := range errs {
		if errors.As(e, target) {
			return true
		}
	}
	return false
}

// TestRootsNotCompiled: the packages being analysed are type-checked, never
// compiled (go list -export would compile them): a function without a body
// type-checks, and only the compiler rejects it.
func TestRootsNotCompiled(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a/a.go": lockBug + "\nfunc noBody()\n"})
	pkg := load1(t, hints.LoadConfig{Dir: dir}, "./a")
	if len(pkg.Errors) > 0 {
		t.Errorf("errors %v: the package was compiled", pkg.Errors)
	}
	if res := hints.Analyze(pkg, nil); len(res.Diagnostics) != 1 {
		t.Errorf("diagnostics %+v, want the unreleasedlock finding", res.Diagnostics)
	}
}

// TestCgoFiles: a file that imports "C" is analysed as written (cgo is not
// run): its name is the file's, so an editor gets its findings, and only
// the functions that use C are left out.
func TestCgoFiles(t *testing.T) {
	src := strings.Replace(lockBug, `import "sync"`, "// #include <stdlib.h>\nimport \"C\"\n\nimport \"sync\"", 1) +
		"\nfunc Free(p *C.char) { C.free(nil) }\n"
	dir := writeFiles(t, map[string]string{"a/a.go": src})
	pkg := load1(t, hints.LoadConfig{Dir: dir}, "./a")
	want := filepath.Join(dir, "a", "a.go")
	if len(pkg.Filenames) != 1 || pkg.Filenames[0] != want {
		t.Fatalf("files %v, want [%s]", pkg.Filenames, want)
	}
	res := hints.Analyze(pkg, nil)
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Pos.Filename != want || res.Diagnostics[0].Pos.Line != 11 {
		t.Errorf("diagnostics %+v, want the unreleasedlock finding at a.go:11", res.Diagnostics)
	}
}

// TestTestVariants: a package's external test imports a package that
// imports it (so go recompiles that one for the test), and a package of
// the module imports the package under test too: every package
// type-checks, with one set of types per test, as the compiler sees them.
func TestTestVariants(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a/a.go":      "package a\n\ntype Key struct{ N int }\n",
		"a/a_test.go": "package a\n\nimport \"testing\"\n\nfunc TestKey(t *testing.T) { _ = Key{} }\n",
		"a/x_test.go": "package a_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/a\"\n\t\"example.com/m/b\"\n)\n\nfunc TestB(t *testing.T) {\n\tvar k *a.Key = b.New()\n\t_ = k\n}\n",
		"b/b.go":      "package b\n\nimport \"example.com/m/a\"\n\nfunc New() *a.Key { return &a.Key{N: 1} }\n",
		"c/c.go":      "package c\n\nimport (\n\t\"example.com/m/a\"\n\t\"example.com/m/b\"\n)\n\nvar K *a.Key = b.New()\n",
	})
	pkgs, err := hints.Load(context.Background(), hints.LoadConfig{Dir: dir, Tests: true}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 {
		t.Fatal("no packages")
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Errorf("%s: %v", p.ID, p.Errors)
		}
	}
}

// TestCgoMethods: a type defined from a C type is left out, and so are
// its methods (their receiver no longer type-checks); the rest of the
// package is analysed.
func TestCgoMethods(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a/c.go": "package a\n\n// #include <stddef.h>\nimport \"C\"\n\ntype kind C.int\n\nvar small = kind(C.size_t(1))\n\nfunc (k kind) double() int { return int(k) * 2 }\n",
		"a/a.go": lockBug,
	})
	p := load1(t, hints.LoadConfig{Dir: dir}, "./a")
	res := hints.Analyze(p, nil)
	if res.Skipped != "" {
		t.Fatalf("not analysed: %s", res.Skipped)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "unreleasedlock" {
		t.Errorf("diagnostics = %+v, want the unreleasedlock of a.go", res.Diagnostics)
	}
}
