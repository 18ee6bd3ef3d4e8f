package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// bugSrc has an unreleasedlock bug: Get returns with c.mu locked when the
// key is missing. Non-ASCII text comes before the bug, on earlier lines and
// on the line of the Lock call itself, so that UTF-16 columns differ from
// byte columns.
const bugSrc = `package a

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

// Cache — café ☕, naïve 🎉: text the editor counts in UTF-16.
type Cache struct {
	mu    sync.Mutex
	items map[string]int
}

func (c *Cache) Get(k string) (int, error) {
	/* é🎉 */ c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}
`

const docsBase = "https://synclens.example/guide"

func TestEndToEnd(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	path := filepath.Join(dir, "a", "a.go")
	c := startClient(t, clientOptions{initOpts: map[string]any{"docsBaseURL": docsBase}})

	// didOpen → the diagnostic, with its range in UTF-16.
	u := c.open(ctx, path, bugSrc)
	p := c.diagnostics(ctx, u, 1)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("got %d diagnostics, want 1: %+v", len(p.Diagnostics), p.Diagnostics)
	}
	d := p.Diagnostics[0]
	lock := pos(t, bugSrc, "c.mu.Lock()", 0)
	if lock.Character != 11 { // "\t/* é🎉 */ " is 14 bytes but 11 UTF-16 units
		t.Fatalf("test setup: Lock at UTF-16 column %d, want 11", lock.Character)
	}
	wantRange := protocol.Range{Start: lock, End: pos(t, bugSrc, "c.mu.Lock()", len("c.mu.Lock()"))}
	if d.Range != wantRange {
		t.Errorf("range = %+v, want %+v", d.Range, wantRange)
	}
	if d.Code != protocol.String("unreleasedlock") {
		t.Errorf("code = %v, want unreleasedlock", d.Code)
	}
	if src, _ := d.Source.Get(); src != "synclens" {
		t.Errorf("source = %q, want synclens", src)
	}
	if d.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("severity = %v, want warning", d.Severity)
	}
	if got, want := string(d.CodeDescription.Href), docsBase+"/checks.html#unreleasedlock"; got != want {
		t.Errorf("href = %q, want %q", got, want)
	}
	if msg, _ := d.Message.(protocol.String); !strings.Contains(string(msg), "c.mu is locked here") {
		t.Errorf("message = %q", msg)
	}
	if len(d.RelatedInformation) != 1 {
		t.Fatalf("related = %+v, want the leaking return", d.RelatedInformation)
	}
	rel := d.RelatedInformation[0]
	if docKey(rel.Location.URI) != docKey(u) || rel.Location.Range.Start != pos(t, bugSrc, "return 0, errMissing", 0) {
		t.Errorf("related location = %+v, want the return in Get", rel.Location)
	}
	if !strings.Contains(rel.Message, "c.mu still locked") {
		t.Errorf("related message = %q", rel.Message)
	}

	// Hover on mu.Lock: the card, and the guide link as its last line.
	hover := func(text string) *protocol.Hover {
		t.Helper()
		h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(t, text, "mu.Lock()", 4),
		}})
		if err != nil {
			t.Fatalf("hover: %v", err)
		}
		return h
	}
	h := hover(bugSrc)
	if h == nil {
		t.Fatal("no hover on mu.Lock")
	}
	mc, ok := h.Contents.(*protocol.MarkupContent)
	if !ok || mc.Kind != protocol.MarkupKindMarkdown {
		t.Fatalf("hover contents = %#v, want markdown", h.Contents)
	}
	if !strings.Contains(mc.Value, "c.mu") || !strings.Contains(mc.Value, "Lock") {
		t.Errorf("hover does not explain the lock:\n%s", mc.Value)
	}
	lines := strings.Split(mc.Value, "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "[Guide: ") || !strings.Contains(last, "]("+docsBase+"/") {
		t.Errorf("hover's last line = %q, want a link into the guide", last)
	}
	if h.Range == nil || h.Range.Start.Line != lock.Line || h.Range.Start.Character < lock.Character {
		t.Errorf("hover range = %+v, want on the Lock call at %+v", h.Range, lock)
	}

	// The quick fix, applied, makes the diagnostic go away.
	actions, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        d.Range,
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}},
	})
	if err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	var fix, guide *protocol.CodeAction
	for _, a := range actions {
		a, ok := a.(*protocol.CodeAction)
		if !ok {
			t.Fatalf("got a %T, want code actions", a)
		}
		switch {
		case a.Edit != nil && fix == nil:
			fix = a
		case a.Command.Command == cmdOpenGuide:
			guide = a
		}
	}
	if fix == nil || guide == nil {
		t.Fatalf("actions = %+v, want a quick fix and an Open guide action", actions)
	}
	if fix.IsPreferred == nil || !*fix.IsPreferred || fix.Kind == nil || *fix.Kind != protocol.CodeActionKindQuickFix || len(fix.Diagnostics) != 1 {
		t.Errorf("quick fix = %+v, want a preferred quickfix with its diagnostic", fix)
	}
	if !strings.HasPrefix(guide.Title, "Open guide: ") || len(guide.Command.Arguments) != 1 || guide.Kind == nil || *guide.Kind != kindDoc {
		t.Errorf("guide action = %+v, want an Open guide action of kind %s", guide, kindDoc)
	}
	// The Quick Fix menu asks for quick fixes only, Source Action... for
	// source actions: Open guide is in the second and not the first.
	for _, c2 := range []struct {
		only []protocol.CodeActionKind
		want []string
	}{
		{[]protocol.CodeActionKind{protocol.CodeActionKindQuickFix}, []string{fix.Title}},
		{[]protocol.CodeActionKind{protocol.CodeActionKindSource}, []string{guide.Title}},
		{[]protocol.CodeActionKind{protocol.CodeActionKindSourceOrganizeImports}, nil},
	} {
		got, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Range:        d.Range,
			Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}, Only: c2.only},
		})
		if err != nil {
			t.Fatalf("codeAction only %v: %v", c2.only, err)
		}
		var titles []string
		for _, a := range got {
			titles = append(titles, a.(*protocol.CodeAction).Title)
		}
		if strings.Join(titles, "|") != strings.Join(c2.want, "|") {
			t.Errorf("codeAction only %v = %q, want %q", c2.only, titles, c2.want)
		}
	}
	if len(fix.Edit.DocumentChanges) != 1 {
		t.Fatalf("edit = %+v, want documentChanges for one file", fix.Edit)
	}
	tde, ok := fix.Edit.DocumentChanges[0].(*protocol.TextDocumentEdit)
	if !ok || docKey(tde.TextDocument.URI) != docKey(u) || tde.TextDocument.Version == nil || *tde.TextDocument.Version != 1 {
		t.Fatalf("document change = %#v, want an edit of version 1", fix.Edit.DocumentChanges[0])
	}
	var edits []protocol.TextEdit
	for _, e := range tde.Edits {
		edits = append(edits, *e.(*protocol.TextEdit))
	}
	fixed := applyEdits(t, bugSrc, edits)
	if !strings.Contains(fixed, "/* é🎉 */ c.mu.Lock()\n\tdefer c.mu.Unlock()\n") || strings.Count(fixed, "c.mu.Unlock()") != 1 {
		t.Fatalf("fixed text:\n%s", fixed)
	}
	c.changeFull(ctx, u, 2, fixed)
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 0 {
		t.Fatalf("after the fix: %+v", p.Diagnostics)
	}

	// Put the bug back with incremental edits: drop the defer, then unlock
	// before the final return (the second change applies to the first's
	// result).
	deferLine := pos(t, fixed, "\tdefer c.mu.Unlock()", 0)
	afterDefer := strings.Replace(fixed, "\tdefer c.mu.Unlock()\n", "", 1)
	ret := pos(t, afterDefer, "\treturn v, nil", 0)
	err = c.server.DidChange(ctx, &protocol.DidChangeTextDocumentParams{
		TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 3},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: deferLine, End: protocol.Position{Line: deferLine.Line + 1}}},
			&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: ret, End: ret}, Text: "\tc.mu.Unlock()\n"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.diagnostics(ctx, u, 3); len(p.Diagnostics) != 1 || p.Diagnostics[0].Range != wantRange {
		t.Fatalf("after reintroducing the bug: %+v", p.Diagnostics)
	}
	if h := hover(bugSrc); h == nil {
		t.Error("no hover on mu.Lock after the edits")
	}

	// Open guide: the client is asked to show the markdown of the section.
	if _, err := c.server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: cmdOpenGuide, Arguments: guide.Command.Arguments}); err != nil {
		t.Fatalf("executeCommand: %v", err)
	}
	c.mu.Lock()
	shown := append([]protocol.ShowDocumentParams(nil), c.shown...)
	c.mu.Unlock()
	if len(shown) != 1 || shown[0].Selection == nil {
		t.Fatalf("showDocument calls = %+v, want one with a selection", shown)
	}
	md, err := os.ReadFile(shown[0].URI.FsPath())
	if err != nil || !strings.HasSuffix(shown[0].URI.FsPath(), ".md") {
		t.Fatalf("showDocument of %s: %v", shown[0].URI, err)
	}
	heading := strings.Split(string(md), "\n")[shown[0].Selection.Start.Line]
	if !strings.HasPrefix(heading, "#") {
		t.Errorf("selected line %q is not a heading", heading)
	}

	// didClose clears the file's diagnostics.
	n := c.publishes(u)
	if err := c.server.DidClose(ctx, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}); err != nil {
		t.Fatal(err)
	}
	c.waitFor(ctx, "diagnostics cleared on close", func() bool {
		ps := c.pubs[docKey(u)]
		return len(ps) > n && len(ps[len(ps)-1].Diagnostics) == 0
	})
	if h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: lock}}); err != nil || h != nil {
		t.Errorf("hover on a closed file = %v, %v; want null", h, err)
	}

	if err := c.server.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.server.Exit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-c.done:
		if code != 0 {
			t.Errorf("exit code after shutdown = %d, want 0", code)
		}
		c.done <- code
	case <-ctx.Done():
		t.Fatal("the server did not exit")
	}
}

func (c *client) publishes(u uri.URI) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pubs[docKey(u)])
}

// TestConfiguration disables a check (its diagnostics go at once, from the
// last analysis) and enables it again, through didChangeConfiguration in
// both the nested and the flat form, and checks the default docs links.
func TestConfiguration(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	p := c.diagnostics(ctx, u, 1)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("diagnostics = %+v", p.Diagnostics)
	}
	// Without docsBaseURL, links point into the local copy of the guide.
	href := string(p.Diagnostics[0].CodeDescription.Href)
	if !strings.HasPrefix(href, "file://") || !strings.HasSuffix(href, "/checks.html#unreleasedlock") {
		t.Errorf("default href = %q", href)
	}
	if _, err := os.Stat(uri.URI(strings.TrimSuffix(href, "#unreleasedlock")).FsPath()); err != nil {
		t.Errorf("the linked page does not exist: %v", err)
	}

	analyses := c.srv.analyses.Load()
	configure := func(settings string) {
		t.Helper()
		n := c.publishes(u)
		if err := c.server.DidChangeConfiguration(ctx, &protocol.DidChangeConfigurationParams{Settings: []byte(settings)}); err != nil {
			t.Fatal(err)
		}
		c.waitFor(ctx, "a new publication", func() bool { return len(c.pubs[docKey(u)]) > n })
	}
	configure(`{"synclens": {"disabledChecks": ["unreleasedlock"]}}`)
	if p := c.latest(u); len(p.Diagnostics) != 0 {
		t.Errorf("disabled check still reported: %+v", p.Diagnostics)
	}
	configure(`{"disabledChecks": [], "docsBaseURL": "` + docsBase + `/"}`)
	p = c.latest(u)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("re-enabled check not reported: %+v", p.Diagnostics)
	}
	if got := string(p.Diagnostics[0].CodeDescription.Href); got != docsBase+"/checks.html#unreleasedlock" {
		t.Errorf("href after configuration = %q", got)
	}
	if v, _ := p.Version.Get(); v != 1 {
		t.Errorf("republished version = %d, want 1", v)
	}
	if got := c.srv.analyses.Load(); got != analyses {
		t.Errorf("configuration changes ran %d analyses, want none", got-analyses)
	}
}

// TestEnabledChecks shows a check that is off by default once
// enabledChecks names it, without a new analysis.
func TestEnabledChecks(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	const src = `package a

import (
	"sync"
	"time"
)

type Feed struct {
	mu    sync.Mutex
	items []string
}

func (f *Feed) Refresh() {
	f.mu.Lock()
	defer f.mu.Unlock()
	time.Sleep(time.Second)
	f.items = nil
}

func (f *Feed) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.items)
}
`
	dir := writeModule(t, map[string]string{"a/a.go": src})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), src)
	if p := c.diagnostics(ctx, u, 1); len(p.Diagnostics) != 0 {
		t.Fatalf("lockstarvation is off by default, got %+v", p.Diagnostics)
	}
	analyses := c.srv.analyses.Load()
	n := c.publishes(u)
	if err := c.server.DidChangeConfiguration(ctx, &protocol.DidChangeConfigurationParams{Settings: []byte(`{"synclens": {"enabledChecks": ["lockstarvation"]}}`)}); err != nil {
		t.Fatal(err)
	}
	// waitFor calls the condition with c.mu held.
	c.waitFor(ctx, "a new publication", func() bool { return len(c.pubs[docKey(u)]) > n })
	p := c.latest(u)
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != protocol.String("lockstarvation") {
		t.Fatalf("enabled check not reported: %+v", p.Diagnostics)
	}
	if got := c.srv.analyses.Load(); got != analyses {
		t.Errorf("enabling a check ran %d analyses, want none", got-analyses)
	}
}

func (c *client) latest(u uri.URI) *protocol.PublishDiagnosticsParams {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps := c.pubs[docKey(u)]
	return ps[len(ps)-1]
}

// TestOpenGuideFallback: a client without window/showDocument gets the
// section's address in a message.
func TestOpenGuideFallback(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	caps := fullCaps()
	caps.Window = nil
	c := startClient(t, clientOptions{caps: caps, initOpts: map[string]any{"synclens": map[string]any{"docsBaseURL": docsBase}}})
	arg, _ := json.Marshal("unreleasedlock")
	if _, err := c.server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: cmdOpenGuide, Arguments: []protocol.LSPAny{arg}}); err != nil {
		t.Fatal(err)
	}
	c.waitFor(ctx, "a message with the guide's address", func() bool {
		for _, m := range c.messages {
			if strings.Contains(m.Message, docsBase+"/checks.html#unreleasedlock") {
				return true
			}
		}
		return false
	})
	_, err := c.server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: cmdOpenGuide})
	if err == nil || !strings.Contains(err.Error(), "takes one argument") {
		t.Errorf("openGuide without arguments: %v", err)
	}
}

// TestFixOnlyAction: a fix-only check (copiedlock) publishes nothing, and
// its fix is offered as a code action over its range.
func TestFixOnlyAction(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	const src = `package a

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c Counter) Get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
`
	dir := writeModule(t, map[string]string{"a/a.go": src})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), src)
	if p := c.diagnostics(ctx, u, 1); len(p.Diagnostics) != 0 {
		t.Fatalf("a fix-only check published diagnostics: %+v", p.Diagnostics)
	}
	at := pos(t, src, "Counter) Get", 0)
	actions, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        protocol.Range{Start: at, End: at},
	})
	if err != nil {
		t.Fatal(err)
	}
	var fixed string
	for _, a := range actions {
		ca, ok := a.(*protocol.CodeAction)
		if !ok || ca.Edit == nil {
			continue
		}
		for _, dc := range ca.Edit.DocumentChanges {
			if te, ok := dc.(*protocol.TextDocumentEdit); ok {
				var edits []protocol.TextEdit
				for _, e := range te.Edits {
					if x, ok := e.(*protocol.TextEdit); ok {
						edits = append(edits, *x)
					}
				}
				fixed = applyEdits(t, src, edits)
			}
		}
	}
	if !strings.Contains(fixed, "func (c *Counter) Get() int {") {
		t.Errorf("no pointer-receiver fix among %d actions; fixed text:\n%s", len(actions), fixed)
	}
}
