package checkcmd_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints/checkcmd"
)

// needRace skips unless go test -race can run: it needs cgo and a C
// compiler.
func needRace(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || f[0] != "1" {
		t.Skip("cgo is disabled: the race detector needs it")
	}
	if _, err := exec.LookPath(f[1]); err != nil {
		t.Skipf("no C compiler (%s): the race detector needs one", f[1])
	}
}

// markers returns the lines (1-based) of a file that carry the comment
// "// <tag>".
func markers(t *testing.T, file, tag string) []int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		if strings.HasSuffix(sc.Text(), "// "+tag) {
			lines = append(lines, n)
		}
	}
	if len(lines) == 0 {
		t.Fatalf("no // %s in %s", tag, file)
	}
	return lines
}

type relatedLoc struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type importedDiag struct {
	File    string       `json:"file"`
	Line    int          `json:"line"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	URL     string       `json:"url"`
	Static  string       `json:"static"`
	Related []relatedLoc `json:"related"`
	Fixes   []struct {
		Title string `json:"title"`
	} `json:"fixes"`
}

func importRace(t *testing.T, args ...string) ([]importedDiag, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := checkcmd.ImportRace(append([]string{"-json"}, args...), strings.NewReader(""), &out, &errb)
	var ds []importedDiag
	if code != 2 {
		if err := json.Unmarshal(out.Bytes(), &ds); err != nil {
			t.Fatalf("bad JSON (%v): %s\nstderr: %s", err, out.String(), errb.String())
		}
	}
	return ds, errb.String(), code
}

func raceModule(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("testdata", "race"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestImportRace runs the race detector on testdata/race/racy (two races:
// one synclens finds statically, one it does not), imports its go test
// -json output, and checks each finding's line, the other access among the
// related locations, and the static match.
func TestImportRace(t *testing.T) {
	needRace(t)
	dir := raceModule(t)
	cmd := exec.Command("go", "test", "-race", "-json", "-count=1", "./racy")
	cmd.Dir = dir
	out, _ := cmd.Output() // the races fail the tests
	if !bytes.Contains(out, []byte("WARNING: DATA RACE")) {
		t.Fatalf("go test -race reported no race:\n%s", out)
	}
	report := filepath.Join(t.TempDir(), "race.json")
	if err := os.WriteFile(report, out, 0o666); err != nil {
		t.Fatal(err)
	}
	ds, stderr, code := importRace(t, "-C", dir, report)
	if code != 1 || len(ds) != 2 {
		t.Fatalf("exit %d, %d findings, want 1 and 2: %+v\nstderr: %s", code, len(ds), ds, stderr)
	}
	racy := filepath.Join(dir, "racy", "racy.go")
	for _, tc := range []struct {
		tag, static string
	}{{"race:count", "sharedcapture"}, {"race:meter", ""}} {
		lines := markers(t, racy, tc.tag)
		i := slices.IndexFunc(ds, func(d importedDiag) bool { return slices.Contains(lines, d.Line) })
		if i < 0 {
			t.Errorf("no finding at the lines %v of %s: %+v", lines, tc.tag, ds)
			continue
		}
		d := ds[i]
		if d.File != filepath.Join("racy", "racy.go") || d.Code != "runtimerace" || !strings.HasPrefix(d.Message, "data race seen by the race detector: ") {
			t.Errorf("%s: finding = %+v", tc.tag, d)
		}
		if !strings.HasSuffix(d.URL, "docs/pitfalls.md#race-conditions") {
			t.Errorf("%s: url = %q", tc.tag, d.URL)
		}
		other := lines[0]
		if other == d.Line {
			other = lines[1]
		}
		if !slices.ContainsFunc(d.Related, func(r relatedLoc) bool {
			return r.Line == other && strings.HasPrefix(r.Message, "earlier ")
		}) {
			t.Errorf("%s: the other access (line %d) is not related: %+v", tc.tag, other, d.Related)
		}
		if d.Static != tc.static {
			t.Errorf("%s: static match %q, want %q (%s)", tc.tag, d.Static, tc.static, d.Message)
		}
		if tc.static != "" && !strings.Contains(d.Message, "synclens finds it statically too") {
			t.Errorf("%s: message does not say synclens finds it: %s", tc.tag, d.Message)
		}
	}

	// The text form, from the standard input, without the static match.
	var text, errb bytes.Buffer
	if code := checkcmd.ImportRace([]string{"-C", dir, "-static=false", "-"}, bytes.NewReader(out), &text, &errb); code != 1 {
		t.Fatalf("text: exit %d: %s", code, errb.String())
	}
	if got := strings.Count(text.String(), "[runtimerace]\n"); got != 2 || strings.Contains(text.String(), "statically") {
		t.Errorf("text output:\n%s", text.String())
	}
}

// TestImportLeak runs testdata/race/leaky with Go 1.26's goroutine leak
// profile and imports it: the leak synclens finds statically (Fetch) and
// the one it does not (First), each at the blocked send with the go
// statement related.
func TestImportLeak(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	dir := raceModule(t)
	profile := filepath.Join(t.TempDir(), "leak.txt")
	cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "TestLeak", "./leaky")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOEXPERIMENT=goroutineleakprofile", "SYNCLENS_LEAK_PROFILE="+profile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test with GOEXPERIMENT=goroutineleakprofile: %v\n%s", err, out)
	} else if bytes.Contains(out, []byte("--- SKIP")) {
		t.Skipf("this Go has no goroutine leak profile:\n%s", out)
	}
	ds, stderr, code := importRace(t, "-C", dir, profile)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	leaky := filepath.Join(dir, "leaky", "leaky.go")
	for _, tc := range []struct {
		tag, static string
	}{{"leak:fetch", "chanleak"}, {"leak:first", "chanleak"}} {
		lines := markers(t, leaky, tc.tag)
		n := 0
		for _, d := range ds {
			if !slices.Contains(lines, d.Line) {
				continue
			}
			n++
			if d.Code != "runtimeleak" || !strings.Contains(d.Message, "blocked forever (chan send)") || d.Static != tc.static {
				t.Errorf("%s: finding = %+v", tc.tag, d)
			}
			if !slices.ContainsFunc(d.Related, func(r relatedLoc) bool {
				return r.Line == d.Line && strings.HasPrefix(r.Message, "the goroutine is started here")
			}) {
				t.Errorf("%s: the go statement is not related: %+v", tc.tag, d.Related)
			}
		}
		if n == 0 {
			t.Errorf("no finding at %s (lines %v): %+v", tc.tag, lines, ds)
		}
	}
	if strings.Contains(stderr, "no frame") {
		t.Errorf("reports left out: %s", stderr)
	}
}

func TestImportRaceErrors(t *testing.T) {
	if _, _, code := importRace(t); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
	if _, stderr, code := importRace(t, filepath.Join(t.TempDir(), "missing.txt")); code != 2 || !strings.Contains(stderr, "missing.txt") {
		t.Errorf("missing file: exit %d, %s", code, stderr)
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	os.WriteFile(empty, []byte("ok  \texample.com/x\t0.1s\n"), 0o666)
	if ds, stderr, code := importRace(t, empty); code != 0 || len(ds) != 0 || !strings.Contains(stderr, "no data race report") {
		t.Errorf("nothing to report: exit %d, %v, %s", code, ds, stderr)
	}
	// A report from another module's files is counted, not shown.
	race, _ := os.ReadFile(filepath.Join("..", "evidence", "testdata", "race.txt"))
	other := filepath.Join(t.TempDir(), "other.txt")
	os.WriteFile(other, race, 0o666)
	if ds, stderr, code := importRace(t, "-C", raceModule(t), other); code != 0 || len(ds) != 0 || !strings.Contains(stderr, "1 report(s) have no frame") {
		t.Errorf("foreign report: exit %d, %v, %s", code, ds, stderr)
	}
}
