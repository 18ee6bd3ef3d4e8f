package lsp

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// loadTimeout bounds waits that may include a first load: on a fresh
// machine go list compiles the standard library's export data (24–60 s on
// two cores).
const loadTimeout = 3 * time.Minute

func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
}

// testLogger logs to the test's output, so that server logs show up with
// failures only.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// writeModule writes a module with the given files into a temporary
// directory and returns the directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["go.mod"]; !ok {
		files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// client is a test LSP client over net.Pipe, wired like the server:
// notifications are handled inline so that publishes are seen in order.
type client struct {
	t      *testing.T
	conn   jsonrpc2.Conn
	server protocol.Server
	srv    *server
	done   chan int // the server's exit code

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every notification
	pubs       map[uri.URI][]*protocol.PublishDiagnosticsParams
	messages   []protocol.ShowMessageParams
	shown      []protocol.ShowDocumentParams
	progress   []string // "create", "begin <token>", "end <token>"
	refreshes  int      // workspace/inlayHint/refresh requests
	showResult bool
}

type clientOptions struct {
	opts      Options
	initOpts  any // initializationOptions
	caps      *protocol.ClientCapabilities
	noInit    bool
	serverCtx context.Context
}

// fullCaps are the capabilities of a modern editor.
func fullCaps() *protocol.ClientCapabilities {
	yes := true
	return &protocol.ClientCapabilities{
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Hover: &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindMarkdown, protocol.MarkupKindPlainText}},
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{
				DiagnosticsCapabilities: protocol.DiagnosticsCapabilities{RelatedInformation: &yes, CodeDescriptionSupport: &yes},
				VersionSupport:          &yes,
			},
			CodeAction: &protocol.CodeActionClientCapabilities{
				CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{CodeActionKind: protocol.ClientCodeActionKindOptions{
					ValueSet: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix},
				}},
				IsPreferredSupport: &yes,
			},
		},
		Workspace: &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{DocumentChanges: &yes}},
		Window:    &protocol.WindowClientCapabilities{ShowDocument: &protocol.ShowDocumentClientCapabilities{Support: true}},
	}
}

// startClient starts a server and a client connected to it, and initializes
// the server unless told not to.
func startClient(t *testing.T, co clientOptions) *client {
	t.Helper()
	if co.opts.Logger == nil {
		co.opts.Logger = testLogger(t)
	}
	co.opts.testHooks = true
	serverSide, clientSide := net.Pipe()
	c := &client{t: t, done: make(chan int, 1), changed: make(chan struct{}), pubs: make(map[uri.URI][]*protocol.PublishDiagnosticsParams), showResult: true}
	sctx := co.serverCtx
	if sctx == nil {
		sctx = context.Background()
	}
	c.srv = newServer(co.opts)
	go func() { c.done <- c.srv.serve(sctx, serverSide) }()
	// The server's stream, which gives each frame a buffer of its own: with
	// jsonrpc2.NewStream, results decoded into strings and raw values alias
	// a read buffer that the next frame (a log message, say) overwrites.
	c.conn = jsonrpc2.NewConn(newStream(clientSide, co.opts.Logger), jsonrpc2.WithCodec(codec{}))
	c.conn.Go(context.Background(), c.handle)
	c.server = protocol.ServerDispatcher(c.conn)
	t.Cleanup(func() {
		c.conn.Close()
		select {
		case <-c.done:
		case <-time.After(loadTimeout):
			t.Error("the server did not stop after its stream was closed")
		}
	})
	if co.noInit {
		return c
	}
	caps := co.caps
	if caps == nil {
		caps = fullCaps()
	}
	params := &protocol.InitializeParams{Capabilities: *caps}
	if co.initOpts != nil {
		b, err := json.Marshal(co.initOpts)
		if err != nil {
			t.Fatal(err)
		}
		params.InitializationOptions = b
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.server.Initialize(ctx, params); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if err := c.server.Initialized(ctx, &protocol.InitializedParams{}); err != nil {
		t.Fatalf("initialized: %v", err)
	}
	return c
}

// handle serves the server's notifications and requests to the client.
func (c *client) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	c.mu.Lock()
	defer func() {
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}()
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p protocol.PublishDiagnosticsParams
		if err := protocol.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad publishDiagnostics: %v", err)
			return nil, nil
		}
		c.pubs[docKey(p.URI)] = append(c.pubs[docKey(p.URI)], &p)
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		protocol.Unmarshal(req.Params(), &p)
		c.messages = append(c.messages, p)
	case protocol.MethodWindowShowDocument:
		var p protocol.ShowDocumentParams
		if err := protocol.Unmarshal(req.Params(), &p); err != nil {
			return nil, err
		}
		c.shown = append(c.shown, p)
		return &protocol.ShowDocumentResult{Success: c.showResult}, nil
	case protocol.MethodWindowWorkDoneProgressCreate:
		c.progress = append(c.progress, "create")
	case protocol.MethodProgress:
		var p struct {
			Token string `json:"token"`
			Value struct {
				Kind string `json:"kind"`
			} `json:"value"`
		}
		json.Unmarshal(req.Params(), &p)
		c.progress = append(c.progress, p.Value.Kind+" "+p.Token)
	case protocol.MethodWorkspaceInlayHintRefresh:
		c.refreshes++
	case protocol.MethodWindowLogMessage:
	default:
		if req.IsCall() {
			return nil, jsonrpc2.ErrMethodNotFound
		}
	}
	return nil, nil
}

// waitFor waits until cond, called with c.mu held, holds.
func (c *client) waitFor(ctx context.Context, what string, cond func() bool) {
	c.t.Helper()
	for {
		c.mu.Lock()
		ok, ch := cond(), c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// diagnostics waits for the publication for version of a document and
// returns it.
func (c *client) diagnostics(ctx context.Context, u uri.URI, version int32) *protocol.PublishDiagnosticsParams {
	c.t.Helper()
	var got *protocol.PublishDiagnosticsParams
	c.waitFor(ctx, "diagnostics of "+string(u)+" version "+strconv.Itoa(int(version)), func() bool {
		for _, p := range c.pubs[docKey(u)] {
			if v, ok := p.Version.Get(); ok && v == version {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

func (c *client) open(ctx context.Context, path, text string) uri.URI {
	c.t.Helper()
	u := uri.File(path)
	err := c.server.DidOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: u, LanguageID: "go", Version: 1, Text: text,
	}})
	if err != nil {
		c.t.Fatal(err)
	}
	return u
}

func (c *client) changeFull(ctx context.Context, u uri.URI, version int32, text string) {
	c.t.Helper()
	err := c.server.DidChange(ctx, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: text}},
	})
	if err != nil {
		c.t.Fatal(err)
	}
}

// pos returns the UTF-16 position of the first occurrence of needle in
// text, plus delta characters. It counts code units independently of the
// server's mapper.
func pos(t *testing.T, text, needle string, delta int) protocol.Position {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in text", needle)
	}
	before := text[:i]
	line := strings.Count(before, "\n")
	col := len(utf16.Encode([]rune(before[strings.LastIndex(before, "\n")+1:])))
	return protocol.Position{Line: uint32(line), Character: uint32(col + delta)}
}

// offsetOf converts a UTF-16 position to a byte offset, independently of
// the server's mapper.
func offsetOf(t *testing.T, text string, p protocol.Position) int {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	if int(p.Line) > len(lines) {
		t.Fatalf("position %v past the end", p)
	}
	off := 0
	for _, l := range lines[:p.Line] {
		off += len(l)
	}
	units := 0
	for _, r := range lines[p.Line] {
		if units >= int(p.Character) {
			break
		}
		units += len(utf16.Encode([]rune{r}))
		off += len(string(r))
	}
	return off
}

// applyEdits applies LSP text edits (all relative to the original text).
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{offsetOf(t, text, e.Range.Start), offsetOf(t, text, e.Range.End), e.NewText})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		text = text[:s.start] + s.text + text[s.end:]
	}
	return text
}

// discard is an io.Writer for logs nobody reads.
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))
