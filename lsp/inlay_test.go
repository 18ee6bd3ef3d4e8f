package lsp

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const inlaySrc = `package a

import "sync"

type S struct {
	mu sync.Mutex
	n  int
}

func (s *S) Run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
	}()
	wg.Wait()
	go s.Run()
	jobs := make(chan int, workers)
	_ = jobs
}

const workers = 3
`

// TestInlayHints drives textDocument/inlayHint through the real server:
// the default kinds, settings turning kinds on and off (with a refresh
// request to the client), an edit answered from the new version, ranges,
// and documents with nothing to show.
func TestInlayHints(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": inlaySrc})
	caps := fullCaps()
	yes := true
	caps.Workspace.InlayHint = &protocol.InlayHintWorkspaceClientCapabilities{RefreshSupport: &yes}
	c := startClient(t, clientOptions{caps: caps, initOpts: map[string]any{"docsBaseURL": docsBase}})
	path := filepath.Join(dir, "a", "a.go")
	u := c.open(ctx, path, inlaySrc)
	c.diagnostics(ctx, u, 1)
	c.waitFor(ctx, "an inlay hint refresh after the first analysis", func() bool { return c.refreshes > 0 })

	whole := protocol.Range{End: protocol.Position{Line: 100}}
	hints := func(u uri.URI, r protocol.Range) map[string]protocol.InlayHint {
		t.Helper()
		got, err := c.server.InlayHint(ctx, &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: r})
		if err != nil {
			t.Fatalf("inlayHint: %v", err)
		}
		out := make(map[string]protocol.InlayHint)
		for _, h := range got {
			label, ok := h.Label.(protocol.String)
			if !ok {
				t.Fatalf("label %T, want a string", h.Label)
			}
			out[string(label)] = h
		}
		return out
	}
	at := func(text, needle string) protocol.Position { return pos(t, text, needle, len(needle)) }

	// Defaults: goroutine joins and capacities, no locks.
	got := hints(u, whole)
	want := map[string]protocol.Position{
		"joined by wg.Wait() :19": at(inlaySrc, "go func() {"),
		"not joined":              at(inlaySrc, "go s.Run()"),
		"cap 3":                   at(inlaySrc, "make(chan int, workers)"),
	}
	checkHints(t, got, want)
	tip, ok := got["not joined"].Tooltip.(*protocol.MarkupContent)
	if !ok || !strings.Contains(tip.Value, "Nothing in this package waits") || !strings.Contains(tip.Value, "("+docsBase+"/") {
		t.Errorf("tooltip = %#v, want markdown with a guide link", got["not joined"].Tooltip)
	}

	// Settings: locks on, joins off.
	n := c.refreshes
	if err := c.server.DidChangeConfiguration(ctx, &protocol.DidChangeConfigurationParams{Settings: []byte(`{"synclens": {"inlayHints": {"heldLocks": true, "goroutineJoins": false}}}`)}); err != nil {
		t.Fatal(err)
	}
	c.waitFor(ctx, "an inlay hint refresh after the settings changed", func() bool { return c.refreshes > n })
	got = hints(u, whole)
	checkHints(t, got, map[string]protocol.Position{
		"🔒 s.mu": at(inlaySrc, "s.n++"), // also after s.mu.Lock(): the map keeps the last
		"cap 3":  at(inlaySrc, "make(chan int, workers)"),
	})

	// An edit: the request waits for the analysis of the new version.
	edited := "// edited\n" + inlaySrc
	c.changeFull(ctx, u, 2, edited)
	got = hints(u, whole)
	checkHints(t, got, map[string]protocol.Position{
		"🔒 s.mu": at(edited, "s.n++"),
		"cap 3":  at(edited, "make(chan int, workers)"),
	})

	// A range: only the hints inside it.
	got = hints(u, protocol.Range{Start: at(edited, "s.mu.Unlock()"), End: protocol.Position{Line: 100}})
	checkHints(t, got, map[string]protocol.Position{"cap 3": at(edited, "make(chan int, workers)")})

	// A function with a type error: the others keep their hints.
	broken := edited + "\nfunc broken() { undefined() }\n"
	c.changeFull(ctx, u, 3, broken)
	got = hints(u, whole)
	checkHints(t, got, map[string]protocol.Position{
		"🔒 s.mu": at(broken, "s.n++"),
		"cap 3":  at(broken, "make(chan int, workers)"),
	})

	// Back to the defaults with null; then nothing to show.
	if err := c.server.DidChangeConfiguration(ctx, &protocol.DidChangeConfigurationParams{Settings: []byte(`{"inlayHints": {"heldLocks": null, "goroutineJoins": null, "channelCapacity": false}}`)}); err != nil {
		t.Fatal(err)
	}
	got = hints(u, whole)
	if _, ok := got["not joined"]; !ok || len(got) != 2 {
		t.Errorf("after resetting to the defaults: %v", got)
	}
	if got := hints(uri.File(filepath.Join(dir, "a", "closed.go")), whole); len(got) != 0 {
		t.Errorf("unopened document: %v", got)
	}
}

func checkHints(t *testing.T, got map[string]protocol.InlayHint, want map[string]protocol.Position) {
	t.Helper()
	for label, p := range want {
		h, ok := got[label]
		if !ok {
			t.Errorf("no hint %q; got %v", label, got)
			continue
		}
		if h.Position != p {
			t.Errorf("hint %q at %v, want %v", label, h.Position, p)
		}
		if h.PaddingLeft == nil || !*h.PaddingLeft {
			t.Errorf("hint %q has no left padding", label)
		}
	}
	for label := range got {
		if _, ok := want[label]; !ok {
			t.Errorf("unexpected hint %q", label)
		}
	}
}
