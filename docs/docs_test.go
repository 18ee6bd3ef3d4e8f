package docs

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSections(t *testing.T) {
	all := Sections()
	var order []string
	for _, s := range all {
		if len(order) == 0 || order[len(order)-1] != s.Page {
			order = append(order, s.Page)
		}
	}
	if got, want := strings.Join(order, " "), "index introduction synchronization pitfalls checks"; got != want {
		t.Errorf("page order = %s, want %s", got, want)
	}
	for _, s := range all {
		src, err := pageFS.ReadFile(s.Page + ".md")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		if s.Line < 1 || s.Line > len(lines) {
			t.Errorf("%+v: line out of range", s)
			continue
		}
		l := lines[s.Line-1]
		if want := strings.Repeat("#", s.Level) + " "; !strings.HasPrefix(l, want) || !strings.HasSuffix(l, "{#"+s.Anchor+"}") {
			t.Errorf("%s.md:%d is %q, want the level-%d heading of #%s", s.Page, s.Line, l, s.Level, s.Anchor)
		}
		if s.Title == "" || strings.ContainsAny(s.Title, "{}`*") {
			t.Errorf("%s.md:%d: title %q should be plain text", s.Page, s.Line, s.Title)
		}
	}
	// Document order within a page.
	for i := 1; i < len(all); i++ {
		if all[i].Page == all[i-1].Page && all[i].Line <= all[i-1].Line {
			t.Errorf("#%s comes after #%s but is not below it", all[i].Anchor, all[i-1].Anchor)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct{ query, anchor string }{
		{"locks", "locks"},
		{"rwmutex", "rwmutex"},
		{"RWMutex", "rwmutex"},
		{"wait group", "waitgroup"},
		{"WaitGroup", "waitgroup"},
		{"sync.Map", "syncmap"},
		{"gomaxprocs", "gomaxprocs"},
		{"checks.md#silencing", "silencing"},
		{"checks#silencing", "silencing"},
		{"#silencing", "silencing"},
		{"memory model", "memory-model"},
		{"race detector", "race-detector"},
		{"deadlocks", "deadlocks"},
		{"mutex", "locks"},
		{"sync.Mutex", "locks"},
		{"lock", "locks"},
		{"cond", "conditions"},
		{"sync.Cond", "conditions"},
		{"OnceValue", "once"},
		{"atomic", "atomics"},
		{"leak", "goroutine-leaks"},
		{"lock order", "lock-order"},
		{"Writer Starvation", "writer-starvation"},
	} {
		s, ok := Lookup(tc.query)
		if !ok || s.Anchor != tc.anchor {
			t.Errorf("Lookup(%q) = #%s, %v; want #%s", tc.query, s.Anchor, ok, tc.anchor)
		}
	}
	for _, q := range []string{"", "   ", "no-such-thing-here", "checks.md#nope", "pitfalls#silencing"} {
		if s, ok := Lookup(q); ok {
			t.Errorf("Lookup(%q) = #%s, want not found", q, s.Anchor)
		}
	}
}

func TestText(t *testing.T) {
	s, ok := Lookup("locks")
	if !ok {
		t.Fatal("no #locks")
	}
	txt := Text(s)
	if !strings.HasPrefix(txt, "## ") || !strings.Contains(strings.SplitN(txt, "\n", 2)[0], "{#locks}") {
		t.Errorf("Text(#locks) does not start at its heading:\n%.200s", txt)
	}
	if strings.Contains(txt, "<!-- example:") || strings.Contains(txt, "<!-- output:") {
		t.Error("Text(#locks) still has example markers")
	}
	if !strings.Contains(txt, "```go\n") {
		t.Error("Text(#locks) lost its code blocks")
	}
	if !strings.HasSuffix(txt, "\n") || strings.HasSuffix(txt, "\n\n") {
		t.Error("Text should end with exactly one newline")
	}
	// The section ends before the next heading of the same or higher level,
	// and includes its subsections.
	for _, sec := range Sections() {
		txt := Text(sec)
		if txt == "" {
			t.Errorf("Text(#%s) is empty", sec.Anchor)
			continue
		}
		for _, other := range Sections() {
			if other.Page == sec.Page && other.Line > sec.Line {
				in := strings.Contains(txt, "{#"+other.Anchor+"}")
				if other.Level <= sec.Level && in {
					t.Errorf("Text(#%s) runs into #%s", sec.Anchor, other.Anchor)
				}
				if other.Level <= sec.Level {
					break
				}
				if !in {
					t.Errorf("Text(#%s) lacks its subsection #%s", sec.Anchor, other.Anchor)
				}
			}
		}
	}
	if Text(Section{Page: "checks", Anchor: "nope"}) != "" {
		t.Error("Text of an unknown section should be empty")
	}
}

func TestURL(t *testing.T) {
	s := Section{Page: "checks", Anchor: "unreleasedlock"}
	for base, want := range map[string]string{
		"http://localhost:6060":              "http://localhost:6060/checks.html#unreleasedlock",
		"http://localhost:6060/":             "http://localhost:6060/checks.html#unreleasedlock",
		"file:///home/u/.cache/synclens/x":   "file:///home/u/.cache/synclens/x/checks.html#unreleasedlock",
		"file:///home/u/.cache/synclens/x/":  "file:///home/u/.cache/synclens/x/checks.html#unreleasedlock",
		"http://127.0.0.1:1234/guide/subdir": "http://127.0.0.1:1234/guide/subdir/checks.html#unreleasedlock",
	} {
		if got := URL(base, s); got != want {
			t.Errorf("URL(%q) = %q, want %q", base, got, want)
		}
	}
}

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)
var hrefAttr = regexp.MustCompile(`\shref="([^"]+)"`)

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()

	get := func(path string) (int, string, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}

	ids := map[string]map[string]bool{} // page -> ids
	bodies := map[string]string{}
	for _, name := range pageNames {
		code, ctype, body := get("/" + name + ".html")
		if code != 200 || !strings.HasPrefix(ctype, "text/html") {
			t.Fatalf("GET /%s.html: %d %s", name, code, ctype)
		}
		bodies[name] = body
		ids[name] = map[string]bool{}
		for _, m := range idAttr.FindAllStringSubmatch(body, -1) {
			ids[name][m[1]] = true
		}
		if strings.Contains(body, "<!-- raw HTML omitted -->") || strings.Contains(body, "<!-- example:") {
			t.Errorf("/%s.html shows raw markers", name)
		}
		if strings.Contains(body, "{#") {
			t.Errorf("/%s.html shows an unparsed {#anchor}", name)
		}
		if strings.Contains(body, ".md#") || strings.Contains(body, `.md"`) {
			t.Errorf("/%s.html has a link to a .md page", name)
		}
		// The sidebar links every page.
		for _, other := range pageNames {
			if !strings.Contains(body, `href="`+other+`.html"`) {
				t.Errorf("/%s.html: nav has no link to %s.html", name, other)
			}
		}
	}
	for _, s := range Sections() {
		if !ids[s.Page][s.Anchor] {
			t.Errorf("/%s.html has no element with id %q", s.Page, s.Anchor)
		}
	}
	// Every link inside the guide resolves to a page and an id.
	for name, body := range bodies {
		for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
			href := m[1]
			if strings.Contains(href, "://") {
				continue
			}
			file, frag, _ := strings.Cut(href, "#")
			target := name
			if file != "" {
				target = strings.TrimSuffix(file, ".html")
				if ids[target] == nil {
					t.Errorf("/%s.html: link %q to no page", name, href)
					continue
				}
			}
			if frag != "" && !ids[target][frag] {
				t.Errorf("/%s.html: link %q to no id", name, href)
			}
		}
	}

	code, _, body := get("/")
	if code != 200 || body != bodies["index"] {
		t.Errorf("GET / = %d, want the index page", code)
	}
	if !strings.Contains(bodies["synchronization"], "<title>Synchronization") {
		t.Error("page title does not come from the front matter")
	}
	if strings.Contains(bodies["index"], "layout: default") {
		t.Error("front matter was rendered")
	}
	for _, p := range []string{"/nope.html", "/checks.md", "/checks", "/../go.mod", "/style.css"} {
		if code, _, _ := get(p); code != 404 {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
	resp, err := http.Post(srv.URL+"/", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", resp.StatusCode)
	}
}

func TestLocalCopy(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir())

	dir, err := LocalCopy()
	if err != nil {
		t.Fatal(err)
	}
	if parent := filepath.Join(cache, "synclens", "docs"); filepath.Dir(dir) != parent {
		t.Errorf("LocalCopy() = %s, want a directory in %s", dir, parent)
	}
	for _, name := range pageNames {
		h, err := os.ReadFile(filepath.Join(dir, name+".html"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(h, renderAll()[name]) {
			t.Errorf("%s.html differs from the served page", name)
		}
		md, err := os.ReadFile(filepath.Join(dir, name+".md"))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := pageFS.ReadFile(name + ".md")
		if !bytes.Equal(md, want) {
			t.Errorf("%s.md differs from the embedded page", name)
		}
	}
	// A section's Line is the heading's line in the copied markdown.
	s, _ := Lookup("rwmutex")
	md, _ := os.ReadFile(filepath.Join(dir, s.Page+".md"))
	if l := strings.Split(string(md), "\n")[s.Line-1]; !strings.Contains(l, "{#rwmutex}") {
		t.Errorf("line %d of the copied %s.md is %q", s.Line, s.Page, l)
	}

	// Idempotent: the same directory, untouched.
	info, _ := os.Stat(filepath.Join(dir, "checks.html"))
	time.Sleep(10 * time.Millisecond)
	dir2, err := LocalCopy()
	if err != nil || dir2 != dir {
		t.Fatalf("second LocalCopy() = %s, %v; want %s", dir2, err, dir)
	}
	info2, _ := os.Stat(filepath.Join(dir, "checks.html"))
	if !info2.ModTime().Equal(info.ModTime()) {
		t.Error("second LocalCopy rewrote the files")
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("cache holds %v, want only the copy", names)
	}

	// Leftovers of a writer that died long ago are cleaned up; fresh ones,
	// which may belong to a writer still at work, are not.
	stale := filepath.Join(filepath.Dir(dir), ".tmp-stale")
	fresh := filepath.Join(filepath.Dir(dir), ".tmp-fresh")
	os.Mkdir(stale, 0o755)
	os.Mkdir(fresh, 0o755)
	long := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, long, long)

	// A damaged copy is replaced.
	os.Remove(filepath.Join(dir, "pitfalls.md"))
	if dir3, err := LocalCopy(); err != nil || dir3 != dir {
		t.Fatalf("LocalCopy() after damage = %s, %v", dir3, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pitfalls.md")); err != nil {
		t.Error("damaged copy not repaired")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale temporary directory not removed")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("fresh temporary directory removed")
	}

	// Concurrent callers, as several language servers starting at once, all
	// get the complete copy. (Within a process LocalCopy serializes; the rename
	// is what protects separate processes.)
	os.RemoveAll(filepath.Dir(dir))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			d, err := LocalCopy()
			if err == nil && d != dir {
				err = os.ErrInvalid
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if !complete(dir, copyFiles()) {
		t.Error("copy incomplete after concurrent calls")
	}
}

func runMain(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestMainList(t *testing.T) {
	code, out, errOut := runMain()
	if code != 0 || errOut != "" {
		t.Fatalf("synclens docs: exit %d, stderr %q", code, errOut)
	}
	for _, s := range Sections() {
		want := regexp.MustCompile(`(?m)^  ` + strings.Repeat("  ", s.Level-1) + regexp.QuoteMeta(s.Anchor) + ` +` + regexp.QuoteMeta(s.Title) + `$`)
		if !want.MatchString(out) {
			t.Errorf("list has no line for #%s indented to level %d", s.Anchor, s.Level)
		}
	}
	for _, p := range pageNames {
		if !strings.Contains(out, "\n"+p+".md\n") && !strings.HasPrefix(out, p+".md\n") {
			t.Errorf("list has no %s.md header", p)
		}
	}
}

func TestMainSection(t *testing.T) {
	code, out, errOut := runMain("rwmutex")
	s, _ := Lookup("rwmutex")
	if code != 0 || errOut != "" || out != Text(s) {
		t.Errorf("synclens docs rwmutex: exit %d, stderr %q, stdout:\n%.300s", code, errOut, out)
	}
	code, out, _ = runMain("wait", "group")
	if s, _ := Lookup("waitgroup"); code != 0 || out != Text(s) {
		t.Errorf("synclens docs wait group: exit %d, stdout:\n%.200s", code, out)
	}
}

func TestMainNotFound(t *testing.T) {
	code, out, errOut := runMain("rwmutx")
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	if !strings.Contains(errOut, `no section matches "rwmutx"`) || !strings.Contains(errOut, "closest anchors: rwmutex") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestMainUsage(t *testing.T) {
	if code, _, errOut := runMain("-nope"); code != 2 || !strings.Contains(errOut, "usage: synclens docs") {
		t.Errorf("bad flag: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runMain("-http", "localhost:0", "locks"); code != 2 {
		t.Errorf("-http with a topic: exit %d, want 2", code)
	}
	if code, _, errOut := runMain("-http", "256.0.0.1:bad"); code != 2 || errOut == "" {
		t.Errorf("-http on a bad address: exit %d, stderr %q", code, errOut)
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan int)
	go func() {
		done <- serve(ctx, "127.0.0.1:0", w, io.Discard)
		w.Close()
	}()
	line := make([]byte, 200)
	n, err := r.Read(line)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^serving the guide at (http://127\.0\.0\.1:\d+/)\n`).FindSubmatch(line[:n])
	if m == nil {
		t.Fatalf("printed %q", line[:n])
	}
	resp, err := http.Get(string(m[1]) + "checks.html")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET checks.html = %d", resp.StatusCode)
	}
	go io.Copy(io.Discard, r)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve returned %d after interrupt", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
