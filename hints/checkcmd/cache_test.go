package checkcmd_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/synclens/synclens/hints/checkcmd"
)

// buggyPop is a package with one finding (Pop leaves mu locked), and a
// function F that other packages call.
func buggyPop(pkg, extra string) string {
	return fmt.Sprintf(`package %s

import "sync"

type Queue struct {
	mu    sync.Mutex
	items []string
}
%s
func (q *Queue) Pop() (string, bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		return "", false
	}
	x := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return x, true
}

func F() int { return 1 }
`, pkg, extra)
}

// cacheModule writes a module of three packages, each with a finding: a,
// b (which imports a) and c (with a test).
func cacheModule(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/m\n\ngo 1.26\n")
	write(t, dir, "a/a.go", buggyPop("a", ""))
	write(t, dir, "b/b.go", strings.Replace(buggyPop("b", ""), `import "sync"`, "import (\n\t\"sync\"\n\n\t\"example.com/m/a\"\n)\n\nvar _ = a.F()", 1))
	write(t, dir, "c/c.go", buggyPop("c", ""))
	write(t, dir, "c/c_test.go", "package c\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F() }\n")
	return dir
}

type outcome struct {
	stdout, stderr string
	code           int
}

func runOutcome(t *testing.T, args ...string) outcome {
	t.Helper()
	out, errs, code := run(t, args...)
	return outcome{out, errs, code}
}

// checkCached runs check with the cache in cacheDir and without any cache,
// fails the test if the two differ, and returns the packages the cached run
// missed.
func checkCached(t *testing.T, cacheDir string, args ...string) []string {
	t.Helper()
	t.Setenv("SYNCLENS_CACHE", "off")
	want := runOutcome(t, args...)
	t.Setenv("SYNCLENS_CACHE", cacheDir)
	var misses [][]string
	defer checkcmd.RecordMisses(&misses)()
	got := runOutcome(t, args...)
	if got != want {
		t.Errorf("check %s with the cache:\n%+v\nwithout:\n%+v", strings.Join(args, " "), got, want)
	}
	if len(misses) != 1 {
		t.Fatalf("%d runs recorded, want 1", len(misses))
	}
	return misses[0]
}

func wantMisses(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: analysed %q again, want %q", what, got, want)
	}
}

// A repeated run prints the same from the cache; an edit analyses again
// exactly the packages it can change: the edited one and those that import
// it. So do a new go.mod, other flags and other checks.
func TestCacheHitsAndMisses(t *testing.T) {
	dir, cache := cacheModule(t), t.TempDir()
	all := []string{"example.com/m/a", "example.com/m/b", "example.com/m/c"}
	args := []string{"-C", dir, "./..."}
	wantMisses(t, "first run", checkCached(t, cache, args...), all...)
	wantMisses(t, "nothing changed", checkCached(t, cache, args...))
	// The output format is not part of the key: the results are the same.
	wantMisses(t, "-json", checkCached(t, cache, "-C", dir, "-json", "./..."))
	wantMisses(t, "-sarif", checkCached(t, cache, "-C", dir, "-sarif", "./..."))
	write(t, dir, "c/c.go", buggyPop("c", "\n// Pop moves down a line.\n"))
	wantMisses(t, "c edited", checkCached(t, cache, args...), "example.com/m/c")
	write(t, dir, "a/a.go", buggyPop("a", "\nfunc G() {}\n"))
	wantMisses(t, "a edited", checkCached(t, cache, args...), "example.com/m/a", "example.com/m/b")
	write(t, dir, "c/c_test.go", "package c\n\nimport \"testing\"\n\nfunc TestG(t *testing.T) { F() }\n")
	wantMisses(t, "c's test edited", checkCached(t, cache, args...), "example.com/m/c")
	wantMisses(t, "nothing changed", checkCached(t, cache, args...))
	write(t, dir, "go.mod", "module example.com/m\n\ngo 1.25\n")
	wantMisses(t, "go.mod's go version changed", checkCached(t, cache, args...), all...)
	wantMisses(t, "-disable", checkCached(t, cache, "-C", dir, "-disable", "lostcancel", "./..."), all...)
	wantMisses(t, "-tags", checkCached(t, cache, "-C", dir, "-tags", "x", "./..."), all...)
	wantMisses(t, "-tests=false", checkCached(t, cache, "-C", dir, "-tests=false", "./..."), all...)
	wantMisses(t, "back to the start", checkCached(t, cache, args...))
}

// SYNCLENS_CACHE=off runs without the cache (and is not taken for a
// directory named off).
func TestCacheOff(t *testing.T) {
	dir := cacheModule(t)
	var misses [][]string
	defer checkcmd.RecordMisses(&misses)()
	t.Setenv("SYNCLENS_CACHE", "off")
	for range 2 {
		runOutcome(t, "-C", dir, "./...")
	}
	if len(misses) != 2 || len(misses[1]) != 3 {
		t.Errorf("with the cache off, the second run analysed %v, want all three packages", misses)
	}
	for _, d := range []string{dir, "."} {
		if _, err := os.Stat(filepath.Join(d, "off")); err == nil {
			t.Errorf("SYNCLENS_CACHE=off made a cache in %s/off", d)
		}
	}
}

// A damaged entry is a miss, recomputed and replaced.
func TestCacheCorruptEntries(t *testing.T) {
	dir, cache := cacheModule(t), t.TempDir()
	args := []string{"-C", dir, "-json", "./..."}
	checkCached(t, cache, args...)
	n := 0
	filepath.WalkDir(cache, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "trimmed" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Cut one, flip a byte of the others' data.
		if n++; n == 1 {
			b = b[:len(b)/2]
		} else {
			b[len(b)-3] ^= 1
		}
		return os.WriteFile(path, b, 0o666)
	})
	if n != 3 {
		t.Fatalf("%d entries in the cache, want 3", n)
	}
	wantMisses(t, "entries damaged", checkCached(t, cache, args...), "example.com/m/a", "example.com/m/b", "example.com/m/c")
	wantMisses(t, "entries replaced", checkCached(t, cache, args...))
}

// Processes sharing a cache see whole entries only, and a rebuilt synclens
// does not reuse the results of another build.
func TestCacheProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synclens")
	}
	bin := t.TempDir()
	build := func(name string, flags ...string) string {
		exe := filepath.Join(bin, name)
		cmd := exec.Command("go", append(append([]string{"build", "-o", exe}, flags...), "github.com/synclens/synclens")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return exe
	}
	one := build("one")
	dir, cache := cacheModule(t), t.TempDir()
	t.Setenv("SYNCLENS_CACHE", "off")
	want := runOutcome(t, "-C", dir, "./...")
	check := func(exe string) outcome {
		cmd := exec.Command(exe, "check", "-C", dir, "./...")
		cmd.Env = append(os.Environ(), "SYNCLENS_CACHE="+cache)
		var o outcome
		var out, errs strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errs
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			o.code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		o.stdout, o.stderr = out.String(), errs.String()
		return o
	}
	var wg sync.WaitGroup
	got := make([]outcome, 6)
	for i := range got {
		wg.Go(func() { got[i] = check(one) })
	}
	wg.Wait()
	for i, o := range got {
		if o != want {
			t.Errorf("run %d of 6 at once: %+v, want %+v", i, o, want)
		}
	}
	if n := countEntries(t, cache); n != 3 {
		t.Errorf("%d entries after concurrent runs, want 3", n)
	}
	two := build("two", "-ldflags=-X=main.rebuilt=1")
	if o := check(two); o != want {
		t.Errorf("rebuilt synclens: %+v, want %+v", o, want)
	}
	if n := countEntries(t, cache); n != 6 {
		t.Errorf("%d entries after a run of a rebuilt synclens, want 6: it must not reuse the other build's", n)
	}
}

func countEntries(t *testing.T, cache string) int {
	n := 0
	err := filepath.WalkDir(cache, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "trimmed" && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkRepeatedCheck is a repeated synclens check of a module, nothing
// changed: go list and the cache lookups.
func BenchmarkRepeatedCheck(b *testing.B) {
	dir, err := filepath.Abs(filepath.Join("testdata", "mod"))
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv("SYNCLENS_CACHE", b.TempDir())
	var out, errs strings.Builder
	checkcmd.Main([]string{"-C", dir, "./..."}, &out, &errs)
	for b.Loop() {
		checkcmd.Main([]string{"-C", dir, "./..."}, &out, &errs)
	}
}
