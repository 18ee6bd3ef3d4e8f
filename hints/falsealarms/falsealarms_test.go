//go:build falsealarms

// Package falsealarms runs synclens over large, well-tested code (the Go
// standard library and golang.org/x/tools) and checks every warning against
// a committed judgement: real problem or false alarm. A warning that has not
// been judged fails the run, so each new one gets looked at.
//
//	go test -tags falsealarms ./hints/falsealarms -timeout 90m -v
//
// Add -update to append unjudged warnings to judged.tsv as "unjudged", then
// edit their verdicts by hand.
package falsealarms

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "append unjudged warnings to judged.tsv")

type finding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// A tree to check: a name (the prefix of files in judged.tsv) and a directory.
type tree struct{ name, dir string }

func TestFalseAlarms(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "synclens")
	build := exec.Command("go", "build", "-o", bin, "github.com/synclens/synclens")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	trees := []tree{{"std", filepath.Join(goEnv(t, "GOROOT"), "src")}, {"x/tools", xtools(t)}}

	judged := readJudged(t)
	var unjudged []string
	lines := 0
	counts := map[string]map[string]int{} // code -> verdict -> count
	for _, tr := range trees {
		n := countLines(t, tr.dir)
		lines += n
		findings := run(t, bin, tr.dir)
		t.Logf("%s: %d lines of Go, %d warnings", tr.name, n, len(findings))
		for _, f := range findings {
			key := fmt.Sprintf("%s\t%s/%s:%d", f.Code, tr.name, f.File, f.Line)
			verdict, ok := judged[key]
			if !ok {
				verdict = "unjudged"
				unjudged = append(unjudged, key+"\tunjudged\t"+f.Message)
			}
			if counts[f.Code] == nil {
				counts[f.Code] = map[string]int{}
			}
			counts[f.Code][verdict]++
			t.Logf("%s %s: %s [%s]", verdict, key, f.Message, f.Code)
		}
	}
	codes := make([]string, 0, len(counts))
	for c := range counts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	falseTotal := 0
	for _, c := range codes {
		t.Logf("%-16s real %3d  false %3d  unjudged %3d", c, counts[c]["real"], counts[c]["false"], counts[c]["unjudged"])
		falseTotal += counts[c]["false"]
	}
	t.Logf("false alarms: %d in %d lines (%.2f per 20,000 lines; target ≤ 1)", falseTotal, lines, float64(falseTotal)*20000/float64(lines))
	if len(unjudged) > 0 {
		if *update {
			f, err := os.OpenFile("judged.tsv", os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o666)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for _, u := range unjudged {
				fmt.Fprintln(f, u)
			}
		}
		t.Errorf("%d warnings have no verdict in judged.tsv:\n%s", len(unjudged), strings.Join(unjudged, "\n"))
	}
	if float64(falseTotal)*20000/float64(lines) > 1 {
		t.Errorf("more than one false alarm per 20,000 lines")
	}
}

// readJudged reads judged.tsv: code, tree/file:line, verdict (real or
// false), message or reason, separated by tabs.
func readJudged(t *testing.T) map[string]string {
	out := map[string]string{}
	f, err := os.Open("judged.tsv")
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 4)
		if len(parts) < 3 {
			t.Fatalf("bad line in judged.tsv: %q", line)
		}
		if v := parts[2]; v != "real" && v != "false" && v != "unjudged" {
			t.Fatalf("bad verdict %q in judged.tsv: %q", v, line)
		}
		out[parts[0]+"\t"+parts[1]] = parts[2]
	}
	return out
}

func run(t *testing.T, bin, dir string) []finding {
	cmd := exec.Command(bin, "check", "-json", "./...")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("synclens check in %s: %v\n%s", dir, err, stderr.String())
	}
	var findings []finding
	if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
		t.Fatalf("decoding output in %s: %v", dir, err)
	}
	return findings
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// xtools copies golang.org/x/tools at the version synclens builds with out
// of the module cache (read-only) into a writable directory.
func xtools(t *testing.T) string {
	out, err := exec.Command("go", "mod", "download", "-json", "golang.org/x/tools@v0.52.0").Output()
	if err != nil {
		t.Fatalf("go mod download: %v", err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "tools")
	if err := os.CopyFS(dst, os.DirFS(mod.Dir)); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	dl := exec.Command("go", "mod", "download")
	dl.Dir = dst
	if out, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("go mod download in x/tools: %v\n%s", err, out)
	}
	return dst
}

func countLines(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.Contains(p, "/testdata/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil {
			n += bytes.Count(b, []byte("\n"))
		}
		return nil
	})
	return n
}
