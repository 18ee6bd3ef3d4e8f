package hints_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints"
)

// message is one rendered message: a diagnostic's or one of its related
// locations', with the file and line it is reported at.
type message struct {
	code, text string
	file       string
	line       int
}

// testdataMessages runs every check over the analysistest packages of every
// check (and of the model), and returns every message they render.
func testdataMessages(t *testing.T) ([]message, map[string][]byte) {
	t.Helper()
	roots, _ := filepath.Glob(filepath.Join("*", "testdata", "src"))
	sort.Strings(roots)
	sources := map[string][]byte{}
	var out []message
	for _, src := range roots {
		gopath, _ := filepath.Abs(filepath.Dir(src))
		dirs, _ := os.ReadDir(src)
		for _, d := range dirs {
			if !d.IsDir() || strings.Contains(d.Name(), ".") {
				continue // golang.org/x stubs
			}
			dir := filepath.Join(gopath, "src", d.Name())
			env := append(os.Environ(), "GO111MODULE=off", "GOPATH="+gopath, "GOFLAGS=")
			pkgs, err := hints.Load(context.Background(), hints.LoadConfig{Dir: dir, Env: env}, ".")
			if err != nil {
				t.Fatalf("load %s: %v", dir, err)
			}
			for _, pkg := range pkgs {
				for name, b := range pkg.Contents {
					sources[name] = b
				}
				for _, name := range pkg.Filenames {
					if _, ok := sources[name]; !ok {
						b, _ := os.ReadFile(name)
						sources[name] = b
					}
				}
				res := hints.Analyze(pkg, func(string) bool { return true })
				for _, err := range res.Errors {
					t.Errorf("%s: %v", dir, err)
				}
				for _, d := range append(res.Diagnostics, res.Actions...) {
					out = append(out, message{d.Code, d.Message, d.Pos.Filename, d.Pos.Line})
					for _, r := range d.Related {
						out = append(out, message{d.Code, r.Message, r.Pos.Filename, r.Pos.Line})
					}
				}
			}
		}
	}
	return out, sources
}

var dumpMessages = flag.Bool("messages", false, "log every message TestMessages checks")

// TestMessages renders every message of every check over all testdata and
// holds each to what it claims: a line it cites is a statement of the kind
// the message names, an object it names is spelled that way in the source,
// and no template shows through.
func TestMessages(t *testing.T) {
	msgs, sources := testdataMessages(t)
	if len(msgs) < 100 {
		t.Fatalf("only %d messages: the testdata did not load", len(msgs))
	}
	for _, m := range msgs {
		if *dumpMessages {
			t.Logf("%s:%d [%s] %s", m.file, m.line, m.code, m.text)
		}
		where := filepath.Base(m.file) + ":" + strconv.Itoa(m.line)
		if m.line == 0 {
			t.Errorf("[%s] a message with no position: %s", m.code, m.text)
			continue
		}
		for _, leak := range leaks {
			if leak.re.MatchString(m.text) {
				t.Errorf("%s [%s] %s: %s", where, m.code, leak.what, m.text)
			}
		}
		if bytes.Contains(sources[m.file], []byte("\n//line ")) {
			// //line directives renumber the file: cited lines are
			// theirs, as the compiler's are (the //line tests check them).
			continue
		}
		lines := bytes.Split(sources[m.file], []byte("\n"))
		for _, c := range citeLine.FindAllStringSubmatchIndex(m.text, -1) {
			n, _ := strconv.Atoi(m.text[c[2]:c[3]])
			if n < 1 || n > len(lines) {
				t.Errorf("%s [%s] cites line %d, outside the file: %s", where, m.code, n, m.text)
				continue
			}
			src := strings.TrimSpace(string(lines[n-1]))
			if !isStatement(src) && !(strings.HasSuffix(m.text[:c[0]], "end of the function (") && strings.HasPrefix(src, "}")) {
				t.Errorf("%s [%s] cites line %d, which holds no statement (%q): %s", where, m.code, n, src, m.text)
				continue
			}
			for _, k := range kinds {
				if k.before.MatchString(m.text[:c[0]]) && !containsAny(src, k.tokens) {
					t.Errorf("%s [%s] says line %d is %s, but it reads %q: %s", where, m.code, n, k.what, src, m.text)
				}
			}
		}
		own := ""
		if lines := bytes.Split(sources[m.file], []byte("\n")); m.line <= len(lines) {
			own = string(lines[m.line-1])
		}
		// "X is read here": the reported line touches X.
		if h := accessedHere.FindStringSubmatch(m.text); h != nil {
			field := h[1][strings.LastIndex(h[1], ".")+1:]
			if !strings.Contains(own, field) {
				t.Errorf("%s [%s] says %s is accessed here, but the line reads %q: %s", where, m.code, h[1], strings.TrimSpace(own), m.text)
			}
		}
		// The other side of a race is another line.
		for _, o := range otherSide.FindAllStringSubmatch(m.text, -1) {
			if o[1] == strconv.Itoa(m.line) {
				t.Errorf("%s [%s] cites its own line for the other side of a race: %s", where, m.code, m.text)
			}
		}
		pkgSrc := packageSource(sources, filepath.Dir(m.file))
		for _, p := range objectPath.FindAllString(stripCode(m.text), -1) {
			p = syncMethod.ReplaceAllString(strings.TrimSuffix(p, "()"), "")
			if !strings.Contains(pkgSrc, p) {
				t.Errorf("%s [%s] names %s, which the source never writes: %s", where, m.code, p, m.text)
			}
		}
	}
}

var leaks = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\bline 0\b`), "cites line 0"},
	{regexp.MustCompile(`\[…\]|\?\?|\bvalue made at line\b`), "shows a placeholder"},
	{regexp.MustCompile(`\w\(s\)`), "hedges a plural"},
	{regexp.MustCompile(`(?i)\b(the|a|an) (the|a|an)\b|\b(unbuffered|buffered) (the|a|an)\b`), "doubles an article"},
	{regexp.MustCompile(`\b1 (places|goroutines|sends|receives|values|calls|accesses|paths|times)\b`), "puts one in the plural"},
}

// citeLine finds "line N" in a message (the same file as the message).
var citeLine = regexp.MustCompile(`\blines? (\d+)`)

// kinds says what a cited line must hold when the words before it name it.
var kinds = []struct {
	before *regexp.Regexp
	tokens []string // one of them
	what   string
}{
	{regexp.MustCompile(`returns (at|on) $|the return (at|on) $|returns \($`), []string{"return"}, "a return"},
	{regexp.MustCompile(`close\([^)]*\) (at|on) $|closes it at $`), []string{"close("}, "a close"},
	// A goroutine is started by a go statement, a Go method, AfterFunc, or a
	// helper handed a func literal.
	{regexp.MustCompile(`started (at|on) $`), []string{"go ", "Go(", "AfterFunc(", "func("}, "a go statement"},
	// A lock is taken by a Lock call, or by a call of a helper that takes it.
	{regexp.MustCompile(`\b(locks|locked|Lock|RLock) [\w.\[\]]* ?\($|\block at $`), []string{"Lock", "("}, "a Lock"},
}

// accessedHere finds "s.notify is read here" and the like.
var accessedHere = regexp.MustCompile(`^([\w.]+) is (?:read|written|written and read|accessed|updated|deleted) here`)

// otherSide finds the line of the other access of a race: "reads it at
// line 40", "writes s.n under the lock (line 40)".
var otherSide = regexp.MustCompile(`\b(?:reads|writes|read|written|accesses|updates|deletes) (?:it|[\w.]+)(?: under the lock)? (?:at line |\(line )(\d+)`)

// isStatement reports whether a source line holds code beyond brackets
// and comments.
func isStatement(line string) bool {
	if i := strings.Index(line, "//"); i >= 0 {
		line = line[:i]
	}
	return strings.Trim(line, "{}()[] \t,;") != ""
}

// objectPath finds selector paths in a message: s.mu, c.tables[k].mu,
// p.stopCh.
var objectPath = regexp.MustCompile(`\b[A-Za-z_]\w*(\[[^\]\s]*\])*(\.[A-Za-z_]\w*(\[[^\]\s]*\])*)+(\(\))?`)

// stripCode drops what is not an object path: file names and function names
// such as (*T).m.
var codeNoise = regexp.MustCompile(`\b\w+\.go(:\d+)?\b|\(\*?\w+(\[[^\]]*\])?\)\.\w+|\b(ctx|context|sync|atomic|time|errgroup|semaphore)\.\w+`)

func stripCode(s string) string { return codeNoise.ReplaceAllString(s, " ") }

// syncMethod is a method of a sync object named after its object: advice
// ("call s.cond.Signal") and what Wait does ("Wait calls s.mu.Unlock") name
// methods the source need not call; the object must still be its own.
var syncMethod = regexp.MustCompile(`\.(Lock|Unlock|RLock|RUnlock|RLocker|TryLock|Signal|Broadcast|Wait|Done|Add|Go|Do)$`)

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// packageSource is the concatenated source of a directory's files.
func packageSource(sources map[string][]byte, dir string) string {
	var b strings.Builder
	for name, src := range sources {
		if filepath.Dir(name) == dir {
			b.Write(src)
		}
	}
	return b.String()
}
