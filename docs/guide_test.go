package docs

// Tests of the guide's content: front matter, anchors and links, and the
// examples, which must match their files, build, and produce exactly the
// synclens output documented under them.

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

const examplesDir = "examples"

func TestFrontMatter(t *testing.T) {
	for i, p := range load() {
		want := map[string]string{"layout": "default"}
		if p.name == "index" {
			want["parent"] = "Concurrency and Parallelism"
			want["has_children"] = "true"
			want["title"] = "Working with Threads"
		} else {
			want["parent"] = "Working with Threads"
			want["grand_parent"] = "Concurrency and Parallelism"
		}
		for k, v := range want {
			if got := p.front[k]; got != v {
				t.Errorf("%s.md: front matter %s = %q, want %q", p.name, k, got, v)
			}
		}
		if p.front["title"] == "" {
			t.Errorf("%s.md: front matter has no title", p.name)
		}
		if p.name != "index" && p.front["nav_order"] != strconv.Itoa(i) {
			t.Errorf("%s.md: nav_order = %q, want %d (guide order)", p.name, p.front["nav_order"], i)
		}
		if p.name != "index" && p.front["has_children"] != "" {
			t.Errorf("%s.md: has_children set on a leaf page", p.name)
		}
		if len(p.sections) == 0 || p.sections[0].Level != 1 || p.sections[0].Title != p.front["title"] {
			t.Errorf("%s.md: first heading must be a level-1 heading equal to the front matter title %q", p.name, p.front["title"])
		}
	}
}

// The anchors that code depends on. Never rename these.
var requiredAnchors = map[string][]string{
	"introduction": {"goroutines", "gomaxprocs", "creating-goroutines", "goroutine-lifecycle",
		"stopping-goroutines", "waiting-for-goroutines"},
	"synchronization": {"locks", "rwmutex", "lock-scope", "semaphores", "conditions", "waitgroup",
		"once", "syncmap", "channels", "atomics", "context", "errgroup"},
	"pitfalls": {"race-conditions", "memory-model", "race-detector", "deadlocks", "starvation"},
	"checks":   {"check-reference"},
}

func TestRequiredAnchors(t *testing.T) {
	for pg, anchors := range requiredAnchors {
		for _, a := range anchors {
			s, ok := Lookup(a)
			if !ok || s.Anchor != a {
				t.Errorf("anchor #%s missing", a)
			} else if s.Page != pg {
				t.Errorf("anchor #%s is on %s.md, want %s.md", a, s.Page, pg)
			}
		}
	}
}

// TestAnchorsUnique also makes sure every heading has an explicit anchor:
// load fails otherwise.
func TestAnchorsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Sections() {
		if seen[s.Anchor] {
			t.Errorf("anchor #%s used twice", s.Anchor)
		}
		seen[s.Anchor] = true
		if !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`).MatchString(s.Anchor) {
			t.Errorf("%s.md:%d: anchor %q: use lowercase words joined by hyphens", s.Page, s.Line, s.Anchor)
		}
	}
}

// newMarkdownNoRewrite parses like newMarkdown, but keeps links as written.
func newMarkdownNoRewrite() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(parser.WithAttribute()))
}

// links returns the link destinations of a page, outside code.
func links(p *page) []string {
	var dests []string
	doc := newMarkdownNoRewrite().Parser().Parse(text.NewReader(p.body))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			dests = append(dests, string(n.Destination))
		case *ast.Image:
			dests = append(dests, string(n.Destination))
		}
		return ast.WalkContinue, nil
	})
	return dests
}

func TestLinks(t *testing.T) {
	anchors := map[string]map[string]bool{} // page -> anchors
	for _, s := range Sections() {
		if anchors[s.Page] == nil {
			anchors[s.Page] = map[string]bool{}
		}
		anchors[s.Page][s.Anchor] = true
	}
	n := 0
	for _, p := range load() {
		for _, dest := range links(p) {
			if strings.Contains(dest, "://") || strings.HasPrefix(dest, "mailto:") {
				continue
			}
			n++
			file, frag, _ := strings.Cut(dest, "#")
			target := p.name
			if file != "" {
				name, ok := strings.CutSuffix(file, ".md")
				if !ok || strings.Contains(name, "/") {
					t.Errorf("%s.md: link %q: link to another page as page.md#anchor", p.name, dest)
					continue
				}
				target = name
			}
			if anchors[target] == nil {
				t.Errorf("%s.md: link %q: no page %s.md", p.name, dest, target)
				continue
			}
			if frag != "" && !anchors[target][frag] {
				t.Errorf("%s.md: link %q: no anchor #%s on %s.md", p.name, dest, frag, target)
			}
		}
	}
	if n == 0 {
		t.Error("no links found; the link parser is broken")
	}
}

// Jekyll runs every page through Liquid, which would eat {{ }} and {% %}.
func TestLiquidSafe(t *testing.T) {
	for _, p := range load() {
		for i, l := range strings.Split(string(p.src), "\n") {
			if strings.Contains(l, "{{") || strings.Contains(l, "{%") {
				t.Errorf("%s.md:%d: Liquid would interpret %q; rewrite it", p.name, i+1, l)
			}
		}
	}
}

// A block is a fenced block following a marker line.
type block struct {
	page    string
	line    int // line of the marker
	marker  marker
	lang    string
	content string
}

// blocks returns every marker of the guide with its fenced block.
func blocks(t *testing.T) []block {
	t.Helper()
	var out []block
	for _, p := range load() {
		lines := strings.SplitAfter(string(p.src), "\n")
		for i := 0; i < len(lines); i++ {
			m, ok := parseMarker(lines[i])
			if !ok {
				if strings.Contains(lines[i], "<!--") && (strings.Contains(lines[i], "example") || strings.Contains(lines[i], "output")) {
					t.Errorf("%s.md:%d: malformed marker %q", p.name, i+1, strings.TrimSpace(lines[i]))
				}
				continue
			}
			b := block{page: p.name, line: i + 1, marker: m}
			if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
				t.Errorf("%s.md:%d: marker must be followed at once by a fenced block", p.name, i+1)
				continue
			}
			b.lang = strings.TrimSpace(strings.TrimPrefix(lines[i+1], "```"))
			var c strings.Builder
			j := i + 2
			for ; j < len(lines) && strings.TrimRight(lines[j], "\n") != "```"; j++ {
				c.WriteString(lines[j])
			}
			if j == len(lines) {
				t.Errorf("%s.md:%d: unterminated fenced block", p.name, i+1)
			}
			b.content = c.String()
			out = append(out, b)
			i = j
		}
	}
	return out
}

// exampleDirs returns every example package directory, "topic/name".
func exampleDirs(t *testing.T) []string {
	t.Helper()
	dirs := map[string]bool{}
	err := filepath.WalkDir(examplesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(examplesDir, p)
		rel = filepath.ToSlash(rel)
		if rel == "go.mod" || rel == "go.sum" {
			return nil
		}
		parts := strings.Split(rel, "/")
		if len(parts) != 3 {
			t.Errorf("examples/%s: example files belong in examples/<topic>/<name>/", rel)
			return nil
		}
		dirs[parts[0]+"/"+parts[1]] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for d := range dirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

func TestExamplesMatchFiles(t *testing.T) {
	embedded := map[string]bool{}
	var prev *block
	outputs := map[string]bool{}
	for _, b := range blocks(t) {
		where := b.page + ".md:" + strconv.Itoa(b.line)
		switch b.marker.kind {
		case "example":
			p := b.marker.path
			if path.Clean(p) != p || strings.Count(p, "/") != 2 {
				t.Errorf("%s: example path %q: want <topic>/<name>/<file>", where, p)
			}
			want, err := os.ReadFile(filepath.Join(examplesDir, filepath.FromSlash(p)))
			if err != nil {
				t.Errorf("%s: %v", where, err)
				break
			}
			if b.content != string(want) {
				t.Errorf("%s: the block differs from examples/%s; copy the file into the block byte for byte", where, p)
			}
			if strings.HasSuffix(p, ".go") && b.lang != "go" {
				t.Errorf("%s: the block of a .go file must be ```go", where)
			}
			if embedded[p] {
				t.Errorf("%s: examples/%s embedded twice", where, p)
			}
			embedded[p] = true
		case "output":
			if prev == nil || prev.marker.kind != "example" || path.Dir(prev.marker.path) != b.marker.path || prev.page != b.page {
				t.Errorf("%s: output marker for %s must follow the block of an example in %s", where, b.marker.path, b.marker.path)
			}
			if outputs[b.marker.path] {
				t.Errorf("%s: a second output block for %s", where, b.marker.path)
			}
			outputs[b.marker.path] = true
			if b.lang != "text" {
				t.Errorf("%s: an output block must be ```text", where)
			}
			if b.content == "" {
				t.Errorf("%s: empty output block; drop the marker for an example with no warnings", where)
			}
		}
		prev = &b
	}
	// Every file of the examples module is in the guide: no orphans.
	for _, d := range exampleDirs(t) {
		files, _ := os.ReadDir(filepath.Join(examplesDir, d))
		for _, f := range files {
			if p := d + "/" + f.Name(); !embedded[p] {
				t.Errorf("examples/%s is not embedded in any page", p)
			}
		}
	}
	if len(embedded) == 0 {
		t.Error("no examples found")
	}
}

func goCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The examples module builds, passes go vet, and its go.mod and go.sum are
// tidy.
func TestExamplesBuild(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, args := range [][]string{
		{"build", "./..."},
		{"vet", "./..."},
		{"mod", "tidy", "-diff"},
	} {
		if out, err := goCmd(t, examplesDir, args...); err != nil {
			t.Errorf("go %s in docs/examples: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestExamplesCheck runs `synclens check ./<name>` in examples/<topic> for
// every example and compares its output with the documented output block, or
// requires no output and exit code 0 where none is documented.
func TestExamplesCheck(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); errors.Is(err, fs.ErrNotExist) {
		t.Skip("synclens main package not present yet")
	}
	bin := filepath.Join(t.TempDir(), "synclens")
	if out, err := goCmd(t, root, "build", "-o", bin, "github.com/synclens/synclens"); err != nil {
		t.Fatalf("building synclens: %v\n%s", err, out)
	}
	documented := map[string]string{}
	for _, b := range blocks(t) {
		if b.marker.kind == "output" {
			documented[b.marker.path] = b.content
		}
	}
	for _, d := range exampleDirs(t) {
		t.Run(d, func(t *testing.T) {
			topic, name, _ := strings.Cut(d, "/")
			// Every check, so that the guide shows what each says.
			cmd := exec.Command(bin, "check", "-enable", "all", "./"+name)
			cmd.Dir = filepath.Join(examplesDir, topic)
			cmd.Env = append(os.Environ(), "GOWORK=off")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			want, ok := documented[d]
			wantCode := 1
			if !ok {
				want, wantCode = "", 0
			}
			if got := stdout.String(); got != want || code != wantCode {
				t.Errorf("cd docs/examples/%s && synclens check ./%s\nexit code %d, want %d\nstdout:\n%s\nwant (the block under <!-- output: %s -->):\n%s\nstderr:\n%s",
					topic, name, code, wantCode, got, d, want, stderr.String())
			}
		})
	}
}

// wrongExample marks an example that is wrong on purpose: its comments say
// "is wrong" or start with "Wrong:".
var wrongExample = regexp.MustCompile(`(?m)\bis wrong\b|^\s*// Wrong:`)

// TestExamplesRun runs every example that is not marked wrong with the race
// detector, and requires it to exit 0: the right examples of the guide are
// free of races and deadlocks, at least on this run.
func TestExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every example with -race")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	bin := t.TempDir()
	right := 0
	for _, d := range exampleDirs(t) {
		files, _ := filepath.Glob(filepath.Join(examplesDir, filepath.FromSlash(d), "*.go"))
		wrong := false
		for _, f := range files {
			src, _ := os.ReadFile(f)
			wrong = wrong || wrongExample.Match(src)
		}
		if wrong {
			continue
		}
		right++
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			exe := filepath.Join(bin, strings.ReplaceAll(d, "/", "_"))
			if out, err := goCmd(t, examplesDir, "build", "-race", "-o", exe, "./"+d); err != nil {
				t.Fatalf("go build -race ./%s: %v\n%s", d, err, out)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, exe).CombinedOutput()
			if err != nil {
				t.Errorf("go run -race ./%s: %v\n%s", d, err, out)
			}
		})
	}
	if right == 0 {
		t.Error("no right examples found")
	}
}
