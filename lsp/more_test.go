package lsp

import (
	"context"
	"go/format"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/synclens/synclens/hints"
)

// bugFunc is a function with an unreleasedlock bug, to append to a file
// that imports sync and errors.
const bugFunc = `
var mu sync.Mutex

func Incr(n *int) error {
	mu.Lock()
	if *n < 0 {
		return errors.New("negative")
	}
	*n++
	mu.Unlock()
	return nil
}
`

// TestTestFiles: test files are analysed with their package's test
// variant, and external test packages too.
func TestTestFiles(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	internal := "package a\n\nimport (\n\t\"errors\"\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestT(t *testing.T) { _ = T{} }\n" + bugFunc
	external := "package a_test\n\nimport (\n\t\"errors\"\n\t\"sync\"\n\t\"testing\"\n\n\t\"example.com/m/a\"\n)\n\nfunc TestX(t *testing.T) { _ = a.T{} }\n" + bugFunc
	dir := writeModule(t, map[string]string{
		"a/a.go":      "package a\n\ntype T struct{}\n",
		"a/a_test.go": internal,
		"a/x_test.go": external,
	})
	c := startClient(t, clientOptions{})
	ui := c.open(ctx, filepath.Join(dir, "a", "a_test.go"), internal)
	if p := c.diagnostics(ctx, ui, 1); len(p.Diagnostics) != 1 {
		t.Errorf("a_test.go: %+v, want the bug in Incr", p.Diagnostics)
	}
	ux := c.open(ctx, filepath.Join(dir, "a", "x_test.go"), external)
	if p := c.diagnostics(ctx, ux, 1); len(p.Diagnostics) != 1 {
		t.Errorf("x_test.go: %+v, want the bug in Incr", p.Diagnostics)
	}
	// The non-test file is published by its own package only, once.
	ua := c.open(ctx, filepath.Join(dir, "a", "a.go"), "package a\n\ntype T struct{}\n")
	if p := c.diagnostics(ctx, ua, 1); len(p.Diagnostics) != 0 {
		t.Errorf("a.go: %+v, want none", p.Diagnostics)
	}
}

// TestBrokenCode: a file with syntax and type errors elsewhere still gets
// its diagnostic, and errors are not reported (gopls and the compiler do).
func TestBrokenCode(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	src := bugSrc + "\nfunc typeErr() int { return \"s\" }\n"
	dir := writeModule(t, map[string]string{"a/a.go": src})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), src)
	if p := c.diagnostics(ctx, u, 1); len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != protocol.String("unreleasedlock") {
		t.Errorf("with a type error: %+v, want only the unreleasedlock diagnostic", p.Diagnostics)
	}
	broken := src + "\nfunc syntaxErr() {\n\tx := 1 +\n\t_ = x\n}\n"
	c.changeFull(ctx, u, 2, broken)
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != protocol.String("unreleasedlock") {
		t.Errorf("with a syntax error: %+v, want only the unreleasedlock diagnostic", p.Diagnostics)
	}

	// A type error in Get, the function with the warning, pauses its
	// checks: a hint on its name says so instead of a silent disappearance.
	typing := strings.Replace(src, "	v, ok := c.items[k]\n", "	v, ok := c.items[k]\n\tundefinedYet()\n", 1)
	c.changeFull(ctx, u, 3, typing)
	p := c.diagnostics(ctx, u, 3)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("with a type error in Get: %+v, want one hint", p.Diagnostics)
	}
	h := p.Diagnostics[0]
	want := "(*Cache).Get does not type-check: synclens's concurrency warnings for it are paused until it does"
	if h.Severity != protocol.DiagnosticSeverityHint || h.Message != protocol.String(want) || h.Range.Start != pos(t, typing, "Get(k string)", 0) {
		t.Errorf("hint = %+v, want severity hint, %q, on the name Get", h, want)
	}
	// typeErr does not type-check either, but uses no concurrency: no hint.
	c.changeFull(ctx, u, 4, src)
	if p := c.diagnostics(ctx, u, 4); len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != protocol.String("unreleasedlock") {
		t.Errorf("with Get fixed: %+v, want the unreleasedlock diagnostic back, and no hint for typeErr", p.Diagnostics)
	}
}

// TestHoverAfterEdit: a hover right after an edit starts the analysis
// without waiting for the debounce, waits for it, and answers for the new
// text.
func TestHoverAfterEdit(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{opts: Options{Debounce: time.Hour, HoverWait: time.Hour}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)

	edited := strings.Replace(bugSrc, "\tv, ok := c.items[k]\n", "\t// ✓ a new line\n\tv, ok := c.items[k]\n", 1)
	edited = strings.Replace(edited, "/* é🎉 */ c.mu.Lock()", "c.mu.Lock() /* é🎉 */", 1)
	c.changeFull(ctx, u, 2, edited)
	h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(t, edited, "mu.Lock()", 0),
	}})
	if err != nil || h == nil {
		t.Fatalf("hover after an edit = %v, %v; want the card", h, err)
	}
	if want := pos(t, edited, "c.mu.Lock()", 0); h.Range == nil || h.Range.Start.Line != want.Line {
		t.Errorf("hover range %+v, want on line %d", h.Range, want.Line)
	}
	// The analysis the hover started publishes too.
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 1 {
		t.Errorf("diagnostics of version 2: %+v", p.Diagnostics)
	}
}

// TestImports: adding an import loads the package again, once.
func TestImports(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{opts: Options{Debounce: 1}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)
	loads := c.srv.loadRuns.Load()

	withFmt := strings.Replace(bugSrc, "\"errors\"\n", "\"errors\"\n\t\"fmt\"\n", 1) + "\nvar _ = fmt.Sprint\n"
	c.changeFull(ctx, u, 2, withFmt)
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 1 {
		t.Errorf("after adding an import: %+v", p.Diagnostics)
	}
	if got := c.srv.loadRuns.Load(); got != loads+1 {
		t.Errorf("adding an import ran %d loads, want 1", got-loads)
	}

	// go/packages type-checks an import it cannot find as an empty
	// package, so the analysis goes on, and later edits need no load.
	bad := strings.Replace(withFmt, "\"fmt\"\n", "\"fmt\"\n\t\"example.com/nowhere\"\n", 1)
	c.changeFull(ctx, u, 3, bad)
	if p := c.diagnostics(ctx, u, 3); len(p.Diagnostics) != 1 {
		t.Errorf("with an unresolvable import: %+v", p.Diagnostics)
	}
	loads = c.srv.loadRuns.Load()
	c.changeFull(ctx, u, 4, bad+"\n// more\n")
	c.diagnostics(ctx, u, 4)
	c.changeFull(ctx, u, 5, strings.Replace(bad, "\t\"example.com/nowhere\"\n", "", 1))
	if p := c.diagnostics(ctx, u, 5); len(p.Diagnostics) != 1 {
		t.Errorf("after fixing the import: %+v", p.Diagnostics)
	}
	if got := c.srv.loadRuns.Load(); got != loads {
		t.Errorf("%d loads after the unresolvable import was loaded once, want 0", got-loads)
	}
}

// TestLoadFailure: a package go list cannot load gives a message and no
// crash; the server goes on answering.
func TestLoadFailure(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"go.mod": "this is not a go.mod\n", "a/a.go": bugSrc})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.waitFor(ctx, "a message about the failed load", func() bool {
		for _, m := range c.messages {
			if m.Type == protocol.MessageTypeError && strings.Contains(m.Message, "cannot load") {
				return true
			}
		}
		return false
	})
	h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(t, bugSrc, "mu.Lock", 3)}})
	if err != nil || h != nil {
		t.Errorf("hover in a package that cannot load = %v, %v; want null", h, err)
	}
}

// TestNoGoCommand: without the go command, the user is told so.
func TestNoGoCommand(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{})
	c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.waitFor(ctx, "a message about the go command", func() bool {
		for _, m := range c.messages {
			if strings.Contains(m.Message, "go command") {
				return true
			}
		}
		return false
	})
}

// TestTooBig: a file over the size limit is not analysed, and the user is
// told why.
func TestTooBig(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := startClient(t, clientOptions{opts: Options{MaxFileSize: 100}})
	u := c.open(ctx, filepath.Join(t.TempDir(), "big.go"), bugSrc)
	c.waitFor(ctx, "a message about the size", func() bool {
		return len(c.messages) > 0 && strings.Contains(c.messages[0].Message, "big.go")
	})
	h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(t, bugSrc, "mu.Lock", 3)}})
	if err != nil || h != nil {
		t.Errorf("hover in a file too big = %v, %v; want null", h, err)
	}
}

// TestWatchedFiles: a go.mod change reloads open packages.
func TestWatchedFiles(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{opts: Options{Debounce: 1}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)
	loads, n := c.srv.loadRuns.Load(), c.publishes(u)
	err := c.server.DidChangeWatchedFiles(ctx, &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: uri.File(filepath.Join(dir, "go.mod")), Type: protocol.FileChangeTypeChanged},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor(ctx, "a new publication", func() bool { return len(c.pubs[docKey(u)]) > n })
	if got := c.srv.loadRuns.Load(); got != loads+1 {
		t.Errorf("a go.mod change ran %d loads, want 1", got-loads)
	}
}

// TestLoadProgress: a slow load is reported as work done progress.
func TestLoadProgress(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	caps := fullCaps()
	yes := true
	caps.Window.WorkDoneProgress = &yes
	c := startClient(t, clientOptions{caps: caps, opts: Options{progressDelay: 1}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if want := []string{"create", "begin synclens-load-1", "end synclens-load-1"}; strings.Join(c.progress, ",") != strings.Join(want, ",") {
		t.Errorf("progress = %q, want %q", c.progress, want)
	}
}

// TestMinimalClient: a client that declares no capabilities gets
// diagnostics without versions, and commands instead of code actions.
func TestMinimalClient(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{caps: &protocol.ClientCapabilities{}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	var d protocol.Diagnostic
	c.waitFor(ctx, "the diagnostic", func() bool {
		for _, p := range c.pubs[docKey(u)] {
			if len(p.Diagnostics) == 1 {
				if !p.Version.IsZero() {
					t.Errorf("version sent to a client without versionSupport")
				}
				d = p.Diagnostics[0]
				return true
			}
		}
		return false
	})
	actions, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: d.Range})
	if err != nil || len(actions) != 1 {
		t.Fatalf("code actions = %+v, %v; want the guide command", actions, err)
	}
	if cmd, ok := actions[0].(*protocol.Command); !ok || cmd.Command != cmdOpenGuide {
		t.Errorf("got %#v, want the %s command", actions[0], cmdOpenGuide)
	}
}

func TestWorkspaceEditChanges(t *testing.T) {
	text := []byte("é🎉\nx\n")
	target := editTarget{path: "/m/a.go", uri: uri.File("/m/a.go"), version: 7, m: newMapper(text)}
	fix := hints.Fix{Title: "t", Edits: []hints.Edit{{Filename: "/m/a.go", Start: 6, End: 6, NewText: "!"}}}
	we := workspaceEdit(fix, target, nil, nil, false)
	edits := we.Changes[target.uri]
	if we.DocumentChanges != nil || len(edits) != 1 || edits[0].Range.Start != (protocol.Position{Line: 0, Character: 3}) {
		t.Errorf("edit = %+v, want one change after the emoji (UTF-16 column 3)", we)
	}
	we = workspaceEdit(fix, target, nil, nil, true)
	tde := we.DocumentChanges[0].(*protocol.TextDocumentEdit)
	if *tde.TextDocument.Version != 7 {
		t.Errorf("version = %d, want 7", *tde.TextDocument.Version)
	}
}

// TestNewFileInTestVariant: opening a file that is not on disk reloads the
// test variant too, since non-test files are part of it.
func TestNewFileInTestVariant(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	test := strings.Replace("package a\n\nimport (\n\t\"errors\"\n\t\"sync\"\n)\n"+bugFunc, "\t*n++\n", "\t*n++\n\thelper()\n", 1)
	dir := writeModule(t, map[string]string{"a/a.go": "package a\n", "a/a_test.go": test})
	c := startClient(t, clientOptions{})
	ut := c.open(ctx, filepath.Join(dir, "a", "a_test.go"), test)
	if p := c.diagnostics(ctx, ut, 1); len(p.Diagnostics) != 1 || p.Diagnostics[0].Severity != protocol.DiagnosticSeverityHint || !strings.HasPrefix(string(p.Diagnostics[0].Message.(protocol.String)), "Incr does not type-check") {
		t.Fatalf("with helper undefined: %+v, want only the hint that Incr's warnings are paused (it does not type-check)", p.Diagnostics)
	}
	c.open(ctx, filepath.Join(dir, "a", "b.go"), "package a\n\nfunc helper() {}\n")
	c.waitFor(ctx, "the diagnostic in a_test.go once b.go defines helper", func() bool {
		ps := c.pubs[docKey(ut)]
		return len(ps[len(ps)-1].Diagnostics) == 1
	})
}

// TestExcludedFile: a file that build constraints leave out of every
// package is loaded once, not on every edit.
func TestExcludedFile(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	excluded := "//go:build nosuchtag\n\n" + bugSrc
	dir := writeModule(t, map[string]string{"a/a.go": "package a\n", "a/b.go": excluded})
	c := startClient(t, clientOptions{opts: Options{Debounce: 1}})
	u := c.open(ctx, filepath.Join(dir, "a", "b.go"), excluded)
	c.diagnostics(ctx, u, 1)
	loads := c.srv.loadRuns.Load()
	c.changeFull(ctx, u, 2, excluded+"\n// edit\n")
	c.diagnostics(ctx, u, 2)
	c.changeFull(ctx, u, 3, excluded+"\n// edit 2\n")
	c.diagnostics(ctx, u, 3)
	if got := c.srv.loadRuns.Load(); got != loads {
		t.Errorf("%d loads for edits of an excluded file, want 0", got-loads)
	}
}

// guardedSrc has two guardedby warnings, which share one annotation.
const guardedSrc = `package a

import "sync"

type Cache struct {
	mu     sync.Mutex
	items  map[string]string
	hits   int
	misses int
}

func (c *Cache) Get(k string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return v, ok
}

func (c *Cache) Stats() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

func (c *Cache) Reset() {
	c.hits = 0
	c.misses = 0
}
`

// TestAnnotationAction: guardedby's "Annotate hits and misses with //
// +checklocks:mu" is a refactoring, not a quick fix, since the warnings
// stay: it names no diagnostic, is never preferred, is left out of a
// request for quick fixes, and is offered once for a range over both
// warnings. Applied, it leaves the file gofmt-clean and the warnings in
// place, now citing the annotation.
func TestAnnotationAction(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": guardedSrc})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), guardedSrc)
	p := c.diagnostics(ctx, u, 1)
	if len(p.Diagnostics) != 2 || !hasDiag(p, "guardedby", "c.hits is written here without c.mu") || !hasDiag(p, "guardedby", "c.misses is written here without c.mu") {
		t.Fatalf("diagnostics %+v, want the two guardedby warnings", p.Diagnostics)
	}
	both := protocol.Range{Start: p.Diagnostics[0].Range.Start, End: p.Diagnostics[1].Range.End}
	const title = "Annotate hits and misses with // +checklocks:mu"
	var annotation *protocol.CodeAction
	for _, only := range [][]protocol.CodeActionKind{nil, {protocol.CodeActionKindQuickFix}, {protocol.CodeActionKindRefactor}} {
		actions, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Range:        both,
			Context:      protocol.CodeActionContext{Diagnostics: p.Diagnostics, Only: only},
		})
		if err != nil {
			t.Fatal(err)
		}
		var found *protocol.CodeAction
		n := 0
		for _, a := range actions {
			if a, ok := a.(*protocol.CodeAction); ok && a.Title == title {
				found = a
				n++
			}
		}
		want := 0 // a request for quick fixes only
		if len(only) == 0 || only[0] == protocol.CodeActionKindRefactor {
			want = 1
		}
		if n != want {
			t.Errorf("only %v: annotation offered %d times, want %d", only, n, want)
		}
		if found != nil {
			annotation = found
		}
	}
	if annotation == nil {
		t.Fatal("no annotation action")
	}
	if annotation.Kind == nil || *annotation.Kind != protocol.CodeActionKindRefactorRewrite || annotation.Diagnostics != nil || annotation.IsPreferred != nil {
		t.Errorf("annotation = %+v, want a refactor.rewrite that resolves no diagnostic and is not preferred", annotation)
	}
	var edits []protocol.TextEdit
	for _, e := range annotation.Edit.DocumentChanges[0].(*protocol.TextDocumentEdit).Edits {
		edits = append(edits, *e.(*protocol.TextEdit))
	}
	fixed := applyEdits(t, guardedSrc, edits)
	if formatted, err := format.Source([]byte(fixed)); err != nil || string(formatted) != fixed || !strings.Contains(fixed, "\tmu    sync.Mutex\n\titems map[string]string\n\t// +checklocks:mu\n\thits int\n\t// +checklocks:mu\n\tmisses int\n") {
		t.Errorf("annotated file is not as gofmt formats it (%v):\n%s", err, fixed)
	}
	c.changeFull(ctx, u, 2, fixed)
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 2 || !hasDiag(p, "guardedby", "c.hits is written here without c.mu, which its +checklocks annotation says guards it") {
		t.Errorf("after the annotation: %+v, want the warnings, citing it", p.Diagnostics)
	}
}
