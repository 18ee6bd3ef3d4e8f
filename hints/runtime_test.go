package hints_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/evidence"
)

// TestImportEvidenceTrimpath maps the real race report of
// evidence/testdata/race.txt, its paths rewritten as a -trimpath build
// records them (module-relative), onto a module on this machine; the same
// report twice is one diagnostic, and leaked goroutines with one stack are
// counted together.
func TestImportEvidenceTrimpath(t *testing.T) {
	dir := t.TempDir()
	src := "package race\n" + strings.Repeat("\n", 9) + "\tc.n++\n" + strings.Repeat("\n", 5) + "\treturn c.n\n" + strings.Repeat("\n", 12)
	for name, text := range map[string]string{"go.mod": "module race\n\ngo 1.26\n", "c.go": src, "c_test.go": strings.Repeat("\n", 10)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join("evidence", "testdata", "race.txt"))
	if err != nil {
		t.Fatal(err)
	}
	report := strings.ReplaceAll(string(raw), "/tmp/extras-race/", "race/")
	reports, err := evidence.Parse(strings.NewReader(report + report))
	if err != nil || len(reports) != 2 {
		t.Fatalf("parse: %d reports, %v", len(reports), err)
	}
	leak := "goroutine 20 [chan send (leaked)]:\nrace.Leak.func1()\n\trace/c.go:17 +0x1e\ncreated by race.Leak in goroutine 19\n\trace/c.go:11 +0x5f\n\n"
	leaks, _ := evidence.Parse(strings.NewReader(leak + strings.Replace(leak, "goroutine 20", "goroutine 21", 1)))
	ds, skipped, err := hints.ImportEvidence(context.Background(), hints.EvidenceConfig{Dir: dir}, append(reports, leaks...))
	if err != nil || skipped != 0 || len(ds) != 2 {
		t.Fatalf("%d diagnostics, %d skipped, %v: %+v", len(ds), skipped, err, ds)
	}
	race, lk := ds[0], ds[1]
	if race.Code != hints.CodeRuntimeRace {
		race, lk = lk, race
	}
	c := filepath.Join(dir, "c.go")
	if race.Pos.Filename != c || race.Pos.Line != 11 || race.Pos.Column != 2 || race.End.Column != 7 {
		t.Errorf("race at %v-%v", race.Pos, race.End)
	}
	if race.Anchor() != "race-conditions" || race.Severity != hints.SeverityError || !strings.Contains(race.Message, "(*C).Inc conflicts with an earlier read by goroutine 8 in (*C).Get (c.go:17)") {
		t.Errorf("race = %+v", race)
	}
	var relLines []int
	for _, r := range race.Related {
		relLines = append(relLines, r.Pos.Line)
	}
	if got := relLines; len(got) < 3 || got[1] != 17 {
		t.Errorf("related lines %v (want the callers, the earlier read at 17, the goroutine's start)", got)
	}
	if lk.Code != hints.CodeRuntimeLeak || lk.Pos.Line != 17 || !strings.Contains(lk.Message, "2 goroutines are blocked forever (chan send) in Leak.func1, started in Leak (c.go:11)") {
		t.Errorf("leak = %+v", lk)
	}
}
