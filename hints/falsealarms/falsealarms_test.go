//go:build falsealarms

// Package falsealarms runs synclens over large, well-tested code that its
// checks were not written against: the Go standard library, golang.org/x/tools
// and the real-world modules of corpus.tsv (clients, servers, pools, queues,
// storage engines, RPC, pub/sub, schedulers, by many authors). Every warning
// is checked against a committed verdict in judged.tsv (real, defensible or
// false, with a reason). The run fails on a warning nobody judged, on a
// verdict whose warning is no longer given (a real bug lost, or a judgement
// to drop), and on more than one false alarm per 20,000 lines, counted over
// all code and over non-test code alone.
//
//	go test -tags falsealarms ./hints/falsealarms -timeout 120m -v
//	go test -tags falsealarms ./hints/falsealarms -v -trees sarama,nsq
//
// -trees runs a subset (the thresholds and the stale-verdict check then
// apply to those trees only). -update appends unjudged warnings to
// judged.tsv as "unjudged" and drops verdicts of warnings no longer given;
// then edit the verdicts by hand.
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
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/synclens/synclens/hints"
)

var (
	update = flag.Bool("update", false, "append unjudged warnings to judged.tsv and drop stale verdicts")
	readme = flag.Bool("readme", false, "rewrite the precision table of the README from this run (all trees)")
	only   = flag.String("trees", "", "comma-separated names of the trees to run (default: all)")
)

type finding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// A tree to check: a name (the prefix of files in judged.tsv) and a directory.
type tree struct {
	name, dir string
	// lines and testLines count the Go lines outside testdata: all of
	// them, and those in _test.go files.
	lines, testLines int
}

// tally counts warnings by verdict, and false alarms on non-test lines.
type tally struct {
	verdicts     map[string]int
	falseNonTest int
}

func (t *tally) add(verdict string, testFile bool) {
	if t.verdicts == nil {
		t.verdicts = map[string]int{}
	}
	t.verdicts[verdict]++
	if verdict == "false" && !testFile {
		t.falseNonTest++
	}
}

func (t *tally) total() int {
	n := 0
	for _, c := range t.verdicts {
		n += c
	}
	return n
}

func TestFalseAlarms(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "synclens")
	build := exec.Command("go", "build", "-o", bin, "github.com/synclens/synclens")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var trees []*tree
	want := func(name string) bool {
		return *only == "" || slices.Contains(strings.Split(*only, ","), name)
	}
	if want("std") {
		trees = append(trees, &tree{name: "std", dir: filepath.Join(goEnv(t, "GOROOT"), "src")})
	}
	if want("x/tools") {
		trees = append(trees, &tree{name: "x/tools", dir: module(t, "golang.org/x/tools", "v0.52.0")})
	}
	for _, m := range readCorpus(t) {
		if want(m.name) {
			trees = append(trees, &tree{name: m.name, dir: module(t, m.path, m.version)})
		}
	}
	if len(trees) == 0 {
		t.Fatalf("no tree named in -trees %q", *only)
	}

	judged := readJudged(t)
	seen := map[string]bool{}
	var unjudged []string
	lines, nonTest := 0, 0
	byCode := map[string]*tally{}
	byTree := map[string]*tally{}
	ran := map[string]bool{}
	for _, tr := range trees {
		ran[tr.name] = true
		tr.lines, tr.testLines = countLines(t, tr.dir)
		lines += tr.lines
		nonTest += tr.lines - tr.testLines
		start := time.Now()
		findings := run(t, bin, tr.dir)
		t.Logf("%s: %d lines of Go (%d in tests), %d warnings, %s", tr.name, tr.lines, tr.testLines, len(findings), time.Since(start).Round(time.Second))
		byTree[tr.name] = &tally{}
		for _, f := range findings {
			key := fmt.Sprintf("%s\t%s/%s:%d", f.Code, tr.name, f.File, f.Line)
			if seen[key] {
				continue // two warnings of one check on one line share a verdict
			}
			seen[key] = true
			verdict, ok := judged[key]
			if !ok {
				verdict = "unjudged"
				// One line per verdict: a message may span lines (a multi-line send).
				unjudged = append(unjudged, key+"\tunjudged\t"+strings.Join(strings.Fields(f.Message), " "))
			}
			if byCode[f.Code] == nil {
				byCode[f.Code] = &tally{}
			}
			test := strings.HasSuffix(f.File, "_test.go")
			byCode[f.Code].add(verdict, test)
			if onByDefault(f.Code) {
				byTree[tr.name].add(verdict, test)
			}
			t.Logf("%s %s: %s [%s]", verdict, key, f.Message, f.Code)
		}
	}

	// Verdicts of the trees that ran whose warning is gone.
	var stale []string
	for key, verdict := range judged {
		_, loc, _ := strings.Cut(key, "\t")
		name := treeOf(loc, trees)
		if ran[name] && !seen[key] {
			stale = append(stale, key+"\t"+verdict)
		}
	}
	sort.Strings(stale)

	t.Logf("%-12s %8s %8s %8s %5s %9s %6s", "tree", "KLOC", "non-test", "warnings", "real", "defensible", "false")
	for _, tr := range trees {
		c := byTree[tr.name]
		t.Logf("%-12s %8.1f %8.1f %8d %5d %9d %6d", tr.name, float64(tr.lines)/1000, float64(tr.lines-tr.testLines)/1000,
			c.total(), c.verdicts["real"], c.verdicts["defensible"], c.verdicts["false"])
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	falseTotal, falseNonTest := 0, 0
	for _, c := range codes {
		v := byCode[c]
		off := ""
		if !onByDefault(c) {
			off = " (off by default: not counted below)"
		}
		t.Logf("%-16s real %3d  defensible %3d  false %3d  unjudged %3d%s", c, v.verdicts["real"], v.verdicts["defensible"], v.verdicts["false"], v.verdicts["unjudged"], off)
		if off == "" {
			falseTotal += v.verdicts["false"]
			falseNonTest += v.falseNonTest
		}
	}
	rate := float64(falseTotal) * 20000 / float64(lines)
	rateNonTest := float64(falseNonTest) * 20000 / float64(max(nonTest, 1))
	summary := fmt.Sprintf("false alarms: %d in %d lines (%.2f per 20,000 lines; target ≤ 1); non-test code: %d in %d lines (%.2f per 20,000)",
		falseTotal, lines, rate, falseNonTest, nonTest, rateNonTest)
	t.Log(summary)
	// The modules alone: code the checks were never tuned on.
	var mod tree
	modFalse, modFalseNonTest := 0, 0
	for _, tr := range trees {
		if tr.name != "std" && tr.name != "x/tools" {
			mod.lines += tr.lines
			mod.testLines += tr.testLines
			modFalse += byTree[tr.name].verdicts["false"]
			modFalseNonTest += byTree[tr.name].falseNonTest
		}
	}
	modRate := float64(modFalse) * 20000 / float64(max(mod.lines, 1))
	modRateNonTest := float64(modFalseNonTest) * 20000 / float64(max(mod.lines-mod.testLines, 1))
	modSummary := fmt.Sprintf("the modules alone: %d in %d lines (%.2f per 20,000 lines); non-test code: %d in %d lines (%.2f per 20,000)",
		modFalse, mod.lines, modRate, modFalseNonTest, mod.lines-mod.testLines, modRateNonTest)
	t.Log(modSummary)
	if *readme {
		if *only != "" {
			t.Fatal("-readme needs every tree: run without -trees")
		}
		writeReadme(t, byCode, lines, []string{summary, modSummary})
	}

	if *update && (len(unjudged) > 0 || len(stale) > 0) {
		rewriteJudged(t, unjudged, stale)
	}
	if len(unjudged) > 0 {
		t.Errorf("%d warnings have no verdict in judged.tsv:\n%s", len(unjudged), strings.Join(unjudged, "\n"))
	}
	if len(stale) > 0 {
		t.Errorf("%d verdicts in judged.tsv are for warnings no longer given (a real bug lost, or a verdict to drop with -update):\n%s", len(stale), strings.Join(stale, "\n"))
	}
	if rate > 1 {
		t.Errorf("more than one false alarm per 20,000 lines")
	}
	if rateNonTest > 1 {
		t.Errorf("more than one false alarm per 20,000 lines of non-test code")
	}
}

// treeOf returns the name of the tree a "tree/file:line" location is in.
func treeOf(loc string, trees []*tree) string {
	for _, tr := range trees {
		if strings.HasPrefix(loc, tr.name+"/") {
			return tr.name
		}
	}
	name, _, _ := strings.Cut(loc, "/")
	return name
}

// A corpus module: a tree name, its module path and pinned version.
type corpusModule struct{ name, path, version string }

// readCorpus reads corpus.tsv: name, module path, version, domain.
func readCorpus(t *testing.T) []corpusModule {
	b, err := os.ReadFile("corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusModule
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			t.Fatalf("bad line in corpus.tsv: %q", line)
		}
		out = append(out, corpusModule{f[0], f[1], f[2]})
	}
	return out
}

var verdicts = []string{"real", "defensible", "false", "unjudged"}

// readJudged reads judged.tsv: code, tree/file:line, verdict, reason,
// separated by tabs.
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
		if len(parts) < 4 {
			t.Fatalf("bad line in judged.tsv (want code, location, verdict, reason): %q", line)
		}
		if !slices.Contains(verdicts, parts[2]) {
			t.Fatalf("bad verdict %q in judged.tsv: %q", parts[2], line)
		}
		out[parts[0]+"\t"+parts[1]] = parts[2]
	}
	return out
}

// rewriteJudged drops the stale verdicts from judged.tsv and appends the
// unjudged warnings.
func rewriteJudged(t *testing.T, unjudged, stale []string) {
	b, err := os.ReadFile("judged.tsv")
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	drop := map[string]bool{}
	for _, s := range stale {
		code, rest, _ := strings.Cut(s, "\t")
		loc, _, _ := strings.Cut(rest, "\t")
		drop[code+"\t"+loc] = true
	}
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(string(b), "\n") {
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) >= 2 && drop[parts[0]+"\t"+parts[1]] {
			continue
		}
		out.WriteString(line)
	}
	for _, u := range unjudged {
		fmt.Fprintln(&out, u)
	}
	if err := os.WriteFile("judged.tsv", out.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, bin, dir string) []finding {
	cmd := exec.Command(bin, "check", "-json", "-enable", "all", "./...")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Errorf("synclens check in %s: %v\n%s", dir, err, stderr.String())
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

// module copies a module at a pinned version out of the module cache
// (read-only) into a writable directory and downloads its dependencies, so
// that its packages and tests load as in a clone of its repository.
func module(t *testing.T, path, version string) string {
	out, err := exec.Command("go", "mod", "download", "-json", path+"@"+version).Output()
	if err != nil {
		t.Fatalf("go mod download %s@%s: %v", path, version, err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(mod.Dir))
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
		t.Fatalf("go mod download in %s: %v\n%s", path, err, out)
	}
	return dst
}

// countLines counts the lines of Go outside testdata under dir: all of
// them, and those of _test.go files.
func countLines(t *testing.T, dir string) (all, tests int) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.Contains(p, "/testdata/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil {
			n := bytes.Count(b, []byte("\n"))
			all += n
			if strings.HasSuffix(p, "_test.go") {
				tests += n
			}
		}
		return nil
	})
	return all, tests
}

// onByDefault reports whether check code runs without -enable: the
// thresholds are for what users get.
func onByDefault(code string) bool {
	c := hints.Lookup(code)
	return c != nil && c.Default
}

// writeReadme rewrites the README's precision table (between its
// <!-- precision --> markers) with this run's verdicts per check.
func writeReadme(t *testing.T, byCode map[string]*tally, lines int, summaries []string) {
	path := filepath.Join("..", "..", "README.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- precision -->\n", "<!-- end precision -->"
	i, j := bytes.Index(src, []byte(begin)), bytes.Index(src, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q block", path, begin, end)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| check | warnings | real | defensible | false | false per 20 KLOC |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, c := range hints.Checks() {
		v := byCode[c.Code()]
		if v == nil {
			v = &tally{}
		}
		name := "`" + c.Code() + "`"
		if !c.Default {
			name += " (off by default)"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.2f |\n", name, v.total(), v.verdicts["real"], v.verdicts["defensible"], v.verdicts["false"],
			float64(v.verdicts["false"])*20000/float64(lines))
	}
	b.WriteString("\nChecks that are on by default, ")
	b.WriteString(summaries[0])
	b.WriteString("; ")
	b.WriteString(summaries[1])
	b.WriteString(".\n")
	out := append(append(append([]byte{}, src[:i+len(begin)]...), b.String()...), src[j:]...)
	if err := os.WriteFile(path, out, 0o666); err != nil {
		t.Fatal(err)
	}
}
