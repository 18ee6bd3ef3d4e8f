package hints_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints"
)

var updateScoreboard = flag.Bool("update-scoreboard", false, "rewrite testdata/scoreboard.golden with the current figures")

// A corpus case: a bug package, its fixed twin, the code synclens should
// report and the lines where it belongs.
type corpusCase struct {
	category, name string
	code           string
	sites          map[string]bool // "file.go:LINE" in bug/
}

// finding is one entry of synclens check -json.
type finding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Related []struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"related"`
}

type tally struct {
	cases, found, falseAlarms, other int
}

// TestScoreboard runs synclens check -json (the CLI users run, with the
// default checks) over the corpus in testdata/corpus and scores it: a bug is
// found when a diagnostic with its expected code lands on one of its site
// lines (or names one as related information); a fixed twin with any
// diagnostic is a false alarm. The test fails when a category's recall
// drops below, or its false alarms rise above, testdata/scoreboard.golden;
// raising the floor is a deliberate commit (-update-scoreboard).
func TestScoreboard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synclens and analyses the whole corpus")
	}
	corpus, _ := filepath.Abs(filepath.Join("testdata", "corpus"))
	cases := readCorpus(t, corpus)
	findings := runCheck(t, corpus)

	byCategory := map[string]*tally{}
	byCode := map[string]*tally{}
	var missed, alarms []string
	for _, c := range cases {
		for _, key := range []string{c.category, "total"} {
			if byCategory[key] == nil {
				byCategory[key] = &tally{}
			}
		}
		if byCode[c.code] == nil {
			byCode[c.code] = &tally{}
		}
		bugDir := filepath.Join(c.category, c.name, "bug") + "/"
		fixedDir := filepath.Join(c.category, c.name, "fixed") + "/"
		found, other := false, 0
		for _, f := range findings {
			switch {
			case strings.HasPrefix(f.File, bugDir):
				if f.Code == c.code && c.hit(f, bugDir) {
					found = true
				} else if f.Code != c.code {
					other++
				}
			case strings.HasPrefix(f.File, fixedDir):
				alarms = append(alarms, fmt.Sprintf("%s:%d: %s [%s]", f.File, f.Line, f.Message, f.Code))
				byCategory[c.category].falseAlarms++
				byCategory["total"].falseAlarms++
				byCode[c.code].falseAlarms++
			}
		}
		for _, tl := range []*tally{byCategory[c.category], byCategory["total"], byCode[c.code]} {
			tl.cases++
			tl.other += other
			if found {
				tl.found++
			}
		}
		if !found {
			missed = append(missed, fmt.Sprintf("%s/%s [%s]", c.category, c.name, c.code))
		}
	}

	board := render(byCategory, byCode)
	t.Logf("scoreboard (synclens check -json over %d cases of %s):\n%s", len(cases), corpus, board)
	if testing.Verbose() {
		t.Logf("false alarms on fixed twins:\n%s", strings.Join(alarms, "\n"))
		t.Logf("bugs not found:\n%s", strings.Join(missed, "\n"))
	}

	golden := filepath.Join("testdata", "scoreboard.golden")
	if *updateScoreboard {
		if err := os.WriteFile(golden, []byte(board), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	floor := readBoard(t, golden)
	for name, got := range byCategory {
		want, ok := floor[name]
		if !ok {
			t.Errorf("category %s is not in %s: run with -update-scoreboard", name, golden)
			continue
		}
		if got.found < want.found {
			t.Errorf("%s: recall dropped: %d bugs found, the floor is %d", name, got.found, want.found)
		}
		if got.falseAlarms > want.falseAlarms {
			t.Errorf("%s: false alarms rose: %d fixed twins flagged, the ceiling is %d:\n%s", name, got.falseAlarms, want.falseAlarms, strings.Join(alarms, "\n"))
		}
		if got.found > want.found || got.falseAlarms < want.falseAlarms {
			t.Logf("%s improved (found %d, floor %d; false alarms %d, ceiling %d): raise the floor with -update-scoreboard", name, got.found, want.found, got.falseAlarms, want.falseAlarms)
		}
	}
}

// hit reports whether f is at one of the case's sites.
func (c *corpusCase) hit(f finding, bugDir string) bool {
	if c.sites[fmt.Sprintf("%s:%d", strings.TrimPrefix(f.File, bugDir), f.Line)] {
		return true
	}
	for _, r := range f.Related {
		if strings.HasPrefix(r.File, bugDir) && c.sites[fmt.Sprintf("%s:%d", strings.TrimPrefix(r.File, bugDir), r.Line)] {
			return true
		}
	}
	return false
}

func readCorpus(t *testing.T, dir string) []*corpusCase {
	notes, err := filepath.Glob(filepath.Join(dir, "*", "*", "NOTE"))
	if err != nil || len(notes) == 0 {
		t.Fatalf("no corpus cases in %s: %v", dir, err)
	}
	var cases []*corpusCase
	for _, note := range notes {
		rel, _ := filepath.Rel(dir, filepath.Dir(note))
		parts := strings.Split(rel, string(filepath.Separator))
		c := &corpusCase{category: parts[0], name: parts[1], sites: map[string]bool{}}
		data, err := os.ReadFile(note)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			key, value, _ := strings.Cut(line, ": ")
			switch key {
			case "code":
				c.code = strings.TrimSpace(value)
			case "site":
				for _, s := range strings.Fields(value) {
					c.sites[s] = true
				}
			}
		}
		if c.code == "" || len(c.sites) == 0 {
			t.Fatalf("%s: NOTE needs code: and site: lines", note)
		}
		cases = append(cases, c)
	}
	return cases
}

// runCheck builds synclens and runs synclens check -json ./... in dir.
func runCheck(t *testing.T, dir string) []finding {
	bin := filepath.Join(t.TempDir(), "synclens")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/synclens/synclens").CombinedOutput(); err != nil {
		t.Fatalf("building synclens: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "check", "-json", "./...")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("synclens check: %v\n%s", err, stderr.String())
	}
	var findings []finding
	if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
		t.Fatalf("decoding synclens check -json: %v\n%s", err, stdout.String())
	}
	return findings
}

// render prints the scoreboard: one row per category, then per code.
func render(byCategory, byCode map[string]*tally) string {
	var b strings.Builder
	row := func(name string, tl *tally) {
		fmt.Fprintf(&b, "%-30s %5d %5d %5d %6d\n", name, tl.cases, tl.found, tl.falseAlarms, tl.other)
	}
	fmt.Fprintf(&b, "%-30s %5s %5s %5s %6s\n", "category", "cases", "found", "false", "other")
	var cats []string
	for c := range byCategory {
		if c != "total" {
			cats = append(cats, c)
		}
	}
	sort.Strings(cats)
	for _, c := range cats {
		row(c, byCategory[c])
	}
	row("total", byCategory["total"])
	fmt.Fprintf(&b, "\n%-30s %5s %5s %5s %6s\n", "expected code", "cases", "found", "false", "other")
	var codes []string
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		name := c
		if hints.Lookup(c) == nil {
			name += " (no check)"
		}
		row(name, byCode[c])
	}
	return b.String()
}

// readBoard reads the category rows of a rendered scoreboard.
func readBoard(t *testing.T, path string) map[string]*tally {
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v: run with -update-scoreboard to create it", err)
	}
	defer f.Close()
	out := map[string]*tally{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			break // the per-code table follows the blank line
		}
		if len(fields) != 5 || fields[0] == "category" {
			continue
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(fields[i+1])
		}
		out[fields[0]] = &tally{cases: n[0], found: n[1], falseAlarms: n[2], other: n[3]}
	}
	return out
}
