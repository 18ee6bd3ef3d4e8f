package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
)

// TestChangeOrder sends many incremental didChange notifications in a row,
// each inserting at the end of the previous text, while analyses run; the
// server must apply them in wire order and end with the client's text,
// then publish for the last version. Hovers run meanwhile.
func TestChangeOrder(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	c := startClient(t, clientOptions{opts: Options{Debounce: 1}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)

	// Hovers run concurrently with the edits and the analyses they start.
	var wg sync.WaitGroup
	defer wg.Wait()
	lock := pos(t, bugSrc, "mu.Lock()", 0)
	for range 4 {
		wg.Go(func() {
			for range 50 {
				_, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
					TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: lock}})
				if err != nil {
					t.Errorf("hover during edits: %v", err)
					return
				}
			}
		})
	}

	const n = 2000
	text := bugSrc
	for i := range n {
		end := pos(t, text+"\x00", "\x00", 0) // the end of the text
		insert := fmt.Sprintf("// é🎉 edit %d\n", i)
		err := c.server.DidChange(ctx, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: int32(i + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: end, End: end}, Text: insert}},
		})
		if err != nil {
			t.Fatal(err)
		}
		text += insert
	}
	var got testText
	if _, err := c.conn.Call(ctx, testTextMethod, &protocol.TextDocumentIdentifier{URI: u}, &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != n+1 || got.Text != text {
		i := 0
		for i < len(got.Text) && i < len(text) && got.Text[i] == text[i] {
			i++
		}
		t.Fatalf("server has version %d, want %d; texts differ from byte %d: %q", got.Version, n+1, i, got.Text[i:min(len(got.Text), i+60)])
	}
	p := c.diagnostics(ctx, u, n+1)
	if len(p.Diagnostics) != 1 || !strings.Contains(fmt.Sprint(p.Diagnostics[0].Code), "unreleasedlock") {
		t.Errorf("diagnostics of the last version: %+v", p.Diagnostics)
	}
}
