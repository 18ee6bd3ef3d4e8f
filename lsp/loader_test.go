package lsp

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

func messageOf(d protocol.Diagnostic) string {
	if s, ok := d.Message.(protocol.String); ok {
		return string(s)
	}
	return ""
}

func hasDiag(p *protocol.PublishDiagnosticsParams, code, text string) bool {
	for _, d := range p.Diagnostics {
		c, _ := d.Code.(protocol.String)
		if string(c) == code && strings.Contains(messageOf(d), text) {
			return true
		}
	}
	return false
}

// TestTypeCheckerCrash: a file that makes go/types panic (golang/go#79655)
// neither on open nor typed in an edit takes the server down; the package
// gets a note saying why it has no hints.
func TestTypeCheckerCrash(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	crash := "package a\n\ntype A[B A[int]] = B\n"
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc, "a/crash.go": crash})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	if p := c.diagnostics(ctx, u, 1); !hasDiag(p, "", "type checker crashed") {
		t.Errorf("on open: %+v, want a note about the crash", p.Diagnostics)
	}

	other := writeModule(t, map[string]string{"b/b.go": strings.Replace(bugSrc, "package a", "package b", 1)})
	ub := c.open(ctx, filepath.Join(other, "b", "b.go"), strings.Replace(bugSrc, "package a", "package b", 1))
	if p := c.diagnostics(ctx, ub, 1); !hasDiag(p, "unreleasedlock", "") {
		t.Fatalf("b.go: %+v, want its finding", p.Diagnostics)
	}
	c.changeFull(ctx, ub, 2, strings.Replace(bugSrc, "package a", "package b", 1)+"\ntype A[B A[int]] = B\n")
	if p := c.diagnostics(ctx, ub, 2); !hasDiag(p, "", "type checker crashed") {
		t.Errorf("after the edit: %+v, want a note about the crash", p.Diagnostics)
	}
	c.changeFull(ctx, ub, 3, strings.Replace(bugSrc, "package a", "package b", 1))
	if p := c.diagnostics(ctx, ub, 3); !hasDiag(p, "unreleasedlock", "") {
		t.Errorf("after undoing the edit: %+v, want the finding back", p.Diagnostics)
	}
}

// TestLoadErrorShown: a package go list reports errors for is not shown as
// clean: the user gets a message, and each file a note.
func TestLoadErrorShown(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc, "a/b.go": "package b\n"})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	if p := c.diagnostics(ctx, u, 1); !hasDiag(p, "", "found packages a (a.go) and b (b.go)") {
		t.Errorf("diagnostics %+v, want a note with go list's error", p.Diagnostics)
	}
	c.waitFor(ctx, "a message about the load error", func() bool {
		for _, m := range c.messages {
			if strings.Contains(m.Message, "found packages a (a.go) and b (b.go)") {
				return true
			}
		}
		return false
	})
}

// TestCgoFile: a file that imports "C" gets its findings and hovers in the
// editor (it is analysed as written, without running cgo).
func TestCgoFile(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	src := strings.Replace(bugSrc, "import (", "// #include <stdlib.h>\nimport \"C\"\n\nimport (", 1) + "\nfunc free(p *C.char) { C.free(nil) }\n"
	dir := writeModule(t, map[string]string{"a/a.go": src})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), src)
	if p := c.diagnostics(ctx, u, 1); !hasDiag(p, "unreleasedlock", "c.mu is locked here") {
		t.Errorf("diagnostics %+v, want the unreleasedlock finding", p.Diagnostics)
	}
	h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(t, src, "mu.Lock", 3)}})
	if err != nil || h == nil {
		t.Errorf("hover on mu.Lock = %v, %v; want a card", h, err)
	}
}

// TestBuildFlags: a repository that keeps test dependencies in another
// go.mod is loaded with -modfile from the settings, or from GOFLAGS.
func TestBuildFlags(t *testing.T) {
	needGo(t)
	t.Parallel()
	src := `package m

import (
	"sync"

	"example.com/dep"
)

var mu sync.Mutex

func Put() {
	mu.Lock()
	if !dep.OK() {
		return
	}
	mu.Unlock()
}
`
	files := func() map[string]string {
		return map[string]string{
			"go_test.mod": "module example.com/m\n\ngo 1.26\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ./dep\n",
			"dep/go.mod":  "module example.com/dep\n\ngo 1.26\n",
			"dep/dep.go":  "package dep\n\nfunc OK() bool { return true }\n",
			"m.go":        src,
		}
	}
	for name, co := range map[string]func(dir string) clientOptions{
		"setting": func(string) clientOptions {
			return clientOptions{initOpts: map[string]any{"buildFlags": []string{"-modfile=go_test.mod"}}}
		},
		"GOFLAGS": func(string) clientOptions {
			return clientOptions{opts: Options{Env: append(os.Environ(), "GOFLAGS=-modfile=go_test.mod")}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			dir := writeModule(t, files())
			c := startClient(t, co(dir))
			u := c.open(ctx, filepath.Join(dir, "m.go"), src)
			if p := c.diagnostics(ctx, u, 1); !hasDiag(p, "unreleasedlock", "mu is locked here") {
				t.Errorf("diagnostics %+v, want the finding in Put (dep resolved through go_test.mod)", p.Diagnostics)
			}
		})
	}
}

// TestLineDirective: with a //line directive (generated code) the finding
// is published on the file the editor shows, at the physical line, and its
// quick fix edits that file correctly.
func TestLineDirective(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	src := strings.Replace(bugSrc, "func (c *Cache) Get", "//line b.go:3\nfunc (c *Cache) Get", 1)
	dir := writeModule(t, map[string]string{"a/a.go": src})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), src)
	p := c.diagnostics(ctx, u, 1)
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Range.Start != pos(t, src, "c.mu.Lock()", 0) {
		t.Fatalf("diagnostics %+v, want the finding at the Lock as the file has it (%v)", p.Diagnostics, pos(t, src, "c.mu.Lock()", 0))
	}
	d := p.Diagnostics[0]
	actions, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        d.Range,
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}},
	})
	if err != nil {
		t.Fatal(err)
	}
	fixed := ""
	for _, a := range actions {
		ca, ok := a.(*protocol.CodeAction)
		if !ok || ca.Edit == nil || fixed != "" {
			continue
		}
		for _, dc := range ca.Edit.DocumentChanges {
			if te, ok := dc.(*protocol.TextDocumentEdit); ok {
				var edits []protocol.TextEdit
				for _, e := range te.Edits {
					edits = append(edits, *e.(*protocol.TextEdit))
				}
				fixed = applyEdits(t, src, edits)
			}
		}
	}
	if !strings.Contains(fixed, "c.mu.Lock()\n\tdefer c.mu.Unlock()\n") || strings.Count(fixed, "c.mu.Unlock()") != 1 {
		t.Fatalf("fixed text:\n%s", fixed)
	}
	c.changeFull(ctx, u, 2, fixed)
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 0 {
		t.Errorf("after the fix: %+v", p.Diagnostics)
	}
}

// TestNoMisleadingImportMessage: a file excluded by build tags, or whose
// imports come after a declaration (a syntax error go list skips those
// imports for), gets its diagnostics published, on open and after an edit,
// and no message about imports ("imports changed … go mod tidy?", "did not
// resolve the imports"): its imports are fine.
func TestNoMisleadingImportMessage(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	tagged := "//go:build ignore\n\npackage a\n\nimport \"net/http\"\n\nvar _ = http.Get\n"
	lateImport := func(path, use string) string {
		decl := "var errMissing = errors.New(\"missing\")\n"
		return strings.Replace(bugSrc, decl, decl+"\nimport \""+path+"\"\n\nvar _ = "+use+"\n", 1)
	}
	late := lateImport("strings", "strings.ToUpper")
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc, "a/tagged.go": tagged, "b/b.go": late})
	c := startClient(t, clientOptions{})
	ut := c.open(ctx, filepath.Join(dir, "a", "tagged.go"), tagged)
	ul := c.open(ctx, filepath.Join(dir, "b", "b.go"), late)
	if p := c.diagnostics(ctx, ut, 1); len(p.Diagnostics) != 0 {
		t.Errorf("file excluded by build tags: %+v, want none", p.Diagnostics)
	}
	if p := c.diagnostics(ctx, ul, 1); !hasDiag(p, "unreleasedlock", "c.mu is locked here") {
		t.Errorf("late import on open: %+v, want the unreleasedlock finding", p.Diagnostics)
	}
	// Typed in an edit: the server reparses the file and must not wait for
	// go list to resolve an import it never will.
	c.changeFull(ctx, ul, 2, lateImport("strconv", "strconv.Itoa"))
	if p := c.diagnostics(ctx, ul, 2); !hasDiag(p, "unreleasedlock", "c.mu is locked here") {
		t.Errorf("late import typed in: %+v, want the unreleasedlock finding", p.Diagnostics)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.messages {
		if strings.Contains(m.Message, "import") || strings.Contains(m.Message, "go mod tidy") {
			t.Errorf("misleading message: %s", m.Message)
		}
	}
}

// TestDeepNesting: blocks nested deeper than go/parser's object resolution
// allows (1,000 scopes) do not cost the file its findings, on open or after
// an edit (synclens check's TestDeepNesting is the command line's side).
func TestDeepNesting(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	deep := func(n int) string {
		return bugSrc + "\nfunc deep() {\n" + strings.Repeat("{", n) + strings.Repeat("}", n) + "\n}\n"
	}
	dir := writeModule(t, map[string]string{"a/a.go": deep(1100)})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), deep(1100))
	if p := c.diagnostics(ctx, u, 1); !hasDiag(p, "unreleasedlock", "c.mu is locked here") {
		t.Errorf("on open: %+v, want the unreleasedlock finding", p.Diagnostics)
	}
	c.changeFull(ctx, u, 2, deep(2000))
	if p := c.diagnostics(ctx, u, 2); !hasDiag(p, "unreleasedlock", "c.mu is locked here") {
		t.Errorf("after an edit: %+v, want the unreleasedlock finding", p.Diagnostics)
	}
}

// TestBuildFlagsNoToolexec: settings can come from a workspace, so
// buildFlags cannot name a program for the go command to run.
func TestBuildFlagsNoToolexec(t *testing.T) {
	var c config
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := c.apply([]byte(`{"buildFlags": ["-tags=x", "-toolexec", "/evil", "--toolexec=/evil", "-modfile=go_test.mod"]}`), log); err != nil {
		t.Fatal(err)
	}
	if want := []string{"-tags=x", "-modfile=go_test.mod"}; !slices.Equal(c.buildFlags, want) {
		t.Errorf("buildFlags %q, want %q", c.buildFlags, want)
	}
}
