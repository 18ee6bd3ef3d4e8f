// Package lsp is synclens's language server: the Language Server Protocol
// over a byte stream, the open documents, the scheduling of loads and
// analyses, and the conversion between the protocol's types and the hints
// package's. It holds no analysis logic: that lives in package hints, which
// knows nothing of the protocol. The go.lsp.dev types stay inside this
// package; its API is Serve and Main.
//
// # Concurrency
//
// Notifications are handled inline on the connection's read loop, so that
// didOpen/didChange/didClose apply in wire order; they only update state and
// schedule work, and never make a call to the client (a call from the read
// loop would wait for a reply that only the blocked read loop could read).
// Requests are released with jsonrpc2.Async and run concurrently, except
// initialize and shutdown, which run inline because everything after them
// depends on their outcome. Loading and analysis run on one worker
// goroutine per package, off the read loop; see analysis.go.
//
// # Hover while an analysis is pending
//
// A hover answers from the analysis of the document's current version. If
// the document was edited since its last analysis, the hover starts that
// analysis at once (skipping the debounce) and waits for it, up to
// Options.HoverWait or until the request is cancelled; if no result arrives
// in time it answers null. If the package has never been analysed (its
// first load is running, which takes tens of seconds on a cold build cache)
// the hover answers null at once rather than block behind the load.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/synclens/synclens/hints"
)

// Options configure a server. The zero value is ready to use.
type Options struct {
	// Logger receives the server's log. Nil means text on stderr at info
	// level. It must never write to the protocol stream.
	Logger *slog.Logger
	// LogLevel is the lowest level of the records also sent to the client
	// as window/logMessage (the zero value is info).
	LogLevel slog.Level
	// Debounce is how long after the last edit the packages that depend on
	// the edited file's package (its test variant) are analysed again
	// (default 150ms). The edited package itself is analysed at once.
	Debounce time.Duration
	// HoverWait bounds how long a hover waits for the analysis of the
	// document's current version before answering null (default 1s).
	HoverWait time.Duration
	// MaxFileSize is the size above which a document is not analysed and
	// the user is told so (default 10 MiB).
	MaxFileSize int
	// MaxLoads limits concurrent package loads (go list runs); default 2.
	MaxLoads int
	// LoadTimeout bounds one package load (default 5 minutes: a first load
	// on a cold build cache compiles the standard library, and go list may
	// download modules).
	LoadTimeout time.Duration
	// Env is the environment of the go command; nil means the process's.
	Env []string

	// testHooks enables methods that only this package's tests can call:
	// a handler that panics and one that blocks until cancelled.
	testHooks bool
	// progressDelay is how long a load runs before it is reported as
	// progress (default 500ms, so that warm loads show nothing).
	progressDelay time.Duration
	// beforeAnalyze, when set (tests), runs before each analysis of a
	// package that loaded nothing, with the analysis's context.
	beforeAnalyze func(ctx context.Context, key pkgKey)
}

func (o *Options) setDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if o.Debounce <= 0 {
		o.Debounce = 150 * time.Millisecond
	}
	if o.HoverWait <= 0 {
		o.HoverWait = time.Second
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 10 << 20
	}
	if o.progressDelay <= 0 {
		o.progressDelay = 500 * time.Millisecond
	}
	if o.LoadTimeout <= 0 {
		o.LoadTimeout = 5 * time.Minute
	}
	if o.MaxLoads <= 0 {
		o.MaxLoads = min(2, max(1, runtime.GOMAXPROCS(0)))
	}
}

// Lifecycle states of a server.
const (
	stateNew int32 = iota
	stateRunning
	stateShutdown
)

// server is the state of one connection.
type server struct {
	opts   Options
	log    *slog.Logger    // to Options.Logger and to the client
	logs   *logSink        // the log messages for the client
	ctx    context.Context // ends with the connection; loads run under it
	conn   jsonrpc2.Conn
	client protocol.Client

	state    atomic.Int32
	exitOnce sync.Once
	exited   chan struct{} // closed by the exit notification

	loads chan struct{} // semaphore for package loads
	work  sync.WaitGroup

	progressSeq atomic.Int64
	analyses    atomic.Int64 // analysis runs, for tests
	superseded  atomic.Int64 // analyses cancelled by a newer edit, for tests
	loadRuns    atomic.Int64 // go/packages loads, for tests

	// pubMu orders publishDiagnostics notifications with didClose, so that
	// a late analysis can never republish diagnostics for a closed file.
	// It is taken before mu, and no notification is sent holding mu.
	pubMu sync.Mutex

	mu      sync.Mutex
	closing bool // no new workers
	caps    clientCaps
	cfg     config
	docs    map[uri.URI]*document
	pkgs    map[pkgKey]*pkgState
	shown   map[string]bool // messages already shown to the user
	root    string          // the workspace root, if the client named one
	// evidence holds the runtime evidence by file (see evidence.go).
	evidence map[string][]hints.Diagnostic
}

func newServer(opts Options) *server {
	opts.setDefaults()
	logs := newLogSink()
	return &server{
		opts:   opts,
		log:    slog.New(newClientLog(opts.Logger.Handler(), opts.LogLevel, logs)),
		logs:   logs,
		exited: make(chan struct{}),
		loads:  make(chan struct{}, opts.MaxLoads),
		docs:   make(map[uri.URI]*document),
		pkgs:   make(map[pkgKey]*pkgState),
		shown:  make(map[string]bool),
	}
}

// Serve runs a language server on rwc, which carries LSP frames (stdin and
// stdout for an editor), until the client sends exit, the stream ends or ctx
// is cancelled. It returns the exit code the specification asks for: 0 if
// the client sent shutdown first, 1 otherwise.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) int {
	return newServer(opts).serve(ctx, rwc)
}

func (s *server) serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.ctx = ctx
	s.conn = jsonrpc2.NewConn(newStream(rwc, s.log), jsonrpc2.WithCodec(codec{}))
	s.client = protocol.ClientDispatcher(s.conn)
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		s.logs.send(ctx, s.client)
	}()
	s.conn.Go(protocol.WithLogger(ctx, s.log), s.handler())

	select {
	case <-s.conn.Done():
	case <-s.exited:
	case <-ctx.Done():
	}
	// Closing the stream ends the read loop on pipes and sockets. A read
	// blocked on a terminal or stdin pipe may not return; the caller exits
	// the process then, so wait only briefly.
	rwc.Close()
	select {
	case <-s.conn.Done():
	case <-time.After(time.Second):
	}
	cancel()
	s.mu.Lock()
	s.closing = true
	for _, st := range s.pkgs {
		st.stopTimer()
	}
	s.mu.Unlock()
	s.work.Wait()
	<-logged
	if err := s.conn.Err(); err != nil {
		s.log.Warn("connection ended", "error", err)
	}
	if s.state.Load() == stateShutdown {
		return 0
	}
	return 1
}

// handler builds the handler chain: a guard (panics become -32603 and the
// connection lives on; notification errors are logged, never fatal), the
// handling of $/cancelRequest, the release of requests to run concurrently,
// then dispatch.
//
// Cancellation is done here rather than with protocol.CancelHandler: that
// one derives the handler's context with context.WithCancel from the
// request context jsonrpc2 hands out, which is pooled, and the goroutine
// context.WithCancel starts for such a foreign context can call its Done
// method after jsonrpc2 recycled it, which panics ("cannot create context
// from nil parent"; seen in TestRobustness with jsonrpc2 v1.0.1). Handlers
// get a context derived from the connection's instead, cancelled by
// $/cancelRequest, when they return, and when the connection ends.
func (s *server) handler() jsonrpc2.Handler {
	var (
		mu       sync.Mutex
		inflight = make(map[jsonrpc2.ID]context.CancelFunc)
	)
	return func(reqCtx context.Context, req *jsonrpc2.Request) (result any, err error) {
		// The method borrows the read buffer, which the next read loop
		// reuses once the request is released: copy it now.
		method, isCall, id := strings.Clone(req.Method()), req.IsCall(), req.ID()
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("handler panicked", "method", method, "panic", r, "stack", string(debug.Stack()))
				result, err = nil, nil
				if isCall {
					err = jsonrpc2.Errorf(jsonrpc2.InternalError, "synclens: internal error in %s: %v", method, r)
				}
			}
		}()
		if !isCall {
			if method == protocol.MethodCancelRequest {
				if cid, ok := cancelID(req.Params()); ok {
					mu.Lock()
					cancel := inflight[cid]
					mu.Unlock()
					if cancel != nil {
						cancel()
					}
				} else {
					s.log.Warn("ignoring $/cancelRequest with a malformed id", "params", string(req.Params()))
				}
				return nil, nil
			}
			if _, err := s.dispatch(jsonrpc2.DetachContext(reqCtx), req); err != nil {
				s.log.Warn("notification failed", "method", method, "error", err)
			}
			return nil, nil
		}

		ctx, cancel := context.WithCancel(jsonrpc2.DetachContext(reqCtx))
		mu.Lock()
		inflight[id] = cancel
		mu.Unlock()
		defer func() {
			mu.Lock()
			delete(inflight, id)
			mu.Unlock()
			cancel()
		}()
		// Release requests only now that a $/cancelRequest read by the next
		// read loop finds them. initialize and shutdown stay inline: the
		// messages after them must see their effect.
		if method != protocol.MethodInitialize && method != protocol.MethodShutdown {
			jsonrpc2.Async(reqCtx)
		}
		result, err = s.dispatch(ctx, req)
		if err != nil {
			err = wireError(err)
			s.log.Debug("request failed", "method", method, "error", err)
		}
		return result, err
	}
}

// cancelID decodes the id of $/cancelRequest params.
func cancelID(raw jsonrpc2.RawMessage) (jsonrpc2.ID, bool) {
	var p protocol.CancelParams
	if len(raw) == 0 || protocol.Unmarshal(raw, &p) != nil {
		return jsonrpc2.ID{}, false
	}
	switch id := p.ID.(type) {
	case protocol.Integer:
		return jsonrpc2.NewNumberID(int64(id)), true
	case protocol.String:
		return jsonrpc2.NewStringID(string(id)), true
	}
	return jsonrpc2.ID{}, false
}

// wireError gives every request error a JSON-RPC code: cancellation is
// -32800 as LSP requires (ctx.Err() alone would be sent as code 0), coded
// errors keep their code, the rest are internal errors.
func wireError(err error) error {
	var werr *jsonrpc2.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return protocol.ErrRequestCancelled
	case errors.As(err, &werr):
		return err
	default:
		return jsonrpc2.NewError(jsonrpc2.InternalError, err.Error())
	}
}

// A route is how one method is handled.
type route struct {
	notification bool
	// optional means absent or null params are accepted (as zero values).
	optional bool
	run      func(s *server, ctx context.Context, params jsonrpc2.RawMessage) (any, error)
}

// request makes the route of a request whose params decode into P.
func request[P, R any](f func(*server, context.Context, *P) (R, error)) route {
	return route{run: func(s *server, ctx context.Context, raw jsonrpc2.RawMessage) (any, error) {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return nil, err
		}
		return f(s, ctx, &p)
	}}
}

// notification makes the route of a notification whose params decode into P.
func notification[P any](f func(*server, context.Context, *P) error) route {
	return route{notification: true, run: func(s *server, ctx context.Context, raw jsonrpc2.RawMessage) (any, error) {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return nil, err
		}
		return nil, f(s, ctx, &p)
	}}
}

func decodeParams(raw jsonrpc2.RawMessage, p any) error {
	if len(raw) == 0 {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, "synclens: missing params")
	}
	if err := protocol.Unmarshal(raw, p); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "synclens: invalid params: %v", err)
	}
	return nil
}

// routes lists the methods synclens handles. Other requests get -32601;
// other notifications are ignored, as the specification asks.
var routes = map[string]route{
	protocol.MethodInitialize:                      request((*server).initialize),
	protocol.MethodInitialized:                     {notification: true, optional: true, run: (*server).initialized},
	protocol.MethodShutdown:                        {optional: true, run: (*server).shutdown},
	protocol.MethodExit:                            {notification: true, optional: true, run: (*server).exit},
	protocol.MethodTextDocumentDidOpen:             notification((*server).didOpen),
	protocol.MethodTextDocumentDidChange:           notification((*server).didChange),
	protocol.MethodTextDocumentDidSave:             notification((*server).didSave),
	protocol.MethodTextDocumentDidClose:            notification((*server).didClose),
	protocol.MethodTextDocumentHover:               request((*server).hover),
	protocol.MethodTextDocumentInlayHint:           request((*server).inlayHint),
	protocol.MethodTextDocumentCodeAction:          request((*server).codeAction),
	protocol.MethodWorkspaceExecuteCommand:         request((*server).executeCommand),
	protocol.MethodWorkspaceDidChangeConfiguration: notification((*server).didChangeConfiguration),
	protocol.MethodWorkspaceDidChangeWatchedFiles:  notification((*server).didChangeWatchedFiles),
}

// Methods of the test hooks (Options.testHooks).
const (
	testPanicMethod       = "synclens/test/panic"
	testPanicNotification = "synclens/test/panicNotification"
	testBlockMethod       = "synclens/test/block"
	testTextMethod        = "synclens/test/text"
)

func (s *server) dispatch(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	method := req.Method()
	r, ok := routes[method]
	if !ok && s.opts.testHooks {
		r, ok = testRoutes[method]
	}
	if !ok {
		if req.IsCall() {
			return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "synclens: method not found: %s", method)
		}
		s.log.Debug("ignoring notification", "method", method)
		return nil, nil
	}
	if r.notification == req.IsCall() {
		if req.IsCall() {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "synclens: %s is a notification, not a request", method)
		}
		s.log.Warn("ignoring request method sent as a notification", "method", method)
		return nil, nil
	}
	switch s.state.Load() {
	case stateNew:
		if method != protocol.MethodInitialize && method != protocol.MethodExit {
			if req.IsCall() {
				return nil, jsonrpc2.Errorf(jsonrpc2.ServerNotInitialized, "synclens: %s before initialize", method)
			}
			s.log.Warn("ignoring notification before initialize", "method", method)
			return nil, nil
		}
	case stateShutdown:
		if method != protocol.MethodExit && method != protocol.MethodShutdown {
			if req.IsCall() {
				return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "synclens: %s after shutdown", method)
			}
			return nil, nil
		}
	}
	params := req.Params()
	if len(params) == 0 && r.optional {
		params = nil
	}
	return r.run(s, ctx, params)
}

var testRoutes = map[string]route{
	testPanicMethod: {optional: true, run: func(*server, context.Context, jsonrpc2.RawMessage) (any, error) {
		panic("test hook: panic in a request handler")
	}},
	testPanicNotification: {notification: true, optional: true, run: func(*server, context.Context, jsonrpc2.RawMessage) (any, error) {
		panic("test hook: panic in a notification handler")
	}},
	testBlockMethod: {optional: true, run: func(_ *server, ctx context.Context, _ jsonrpc2.RawMessage) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}},
	// testTextMethod returns the server's text of a document, to check that
	// edits were applied in order.
	testTextMethod: request(func(s *server, _ context.Context, p *protocol.TextDocumentIdentifier) (*testText, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		doc := s.docs[docKey(p.URI)]
		if doc == nil {
			return nil, nil
		}
		return &testText{Version: doc.version, Text: string(doc.content)}, nil
	}),
}

type testText struct {
	Version int32  `json:"version"`
	Text    string `json:"text"`
}

// clientCaps is what synclens uses of the client's capabilities.
type clientCaps struct {
	markdownHover      bool
	relatedInformation bool
	codeDescription    bool
	versionSupport     bool
	codeActionLiterals bool
	documentChanges    bool
	showDocument       bool
	configuration      bool
	watchRegistration  bool
	workDoneProgress   bool
	inlayRefresh       bool
}

func readCaps(c protocol.ClientCapabilities) clientCaps {
	var cc clientCaps
	isTrue := func(b *bool) bool { return b != nil && *b }
	// Without capabilities, assume a modern client: markdown hovers and
	// diagnostic extras are harmless to clients that ignore them.
	cc.markdownHover, cc.relatedInformation, cc.codeDescription = true, true, true
	if td := c.TextDocument; td != nil {
		if h := td.Hover; h != nil && len(h.ContentFormat) > 0 {
			cc.markdownHover = false
			for _, k := range h.ContentFormat {
				if k == protocol.MarkupKindMarkdown {
					cc.markdownHover = true
				}
			}
		}
		if pd := td.PublishDiagnostics; pd != nil {
			if pd.RelatedInformation != nil {
				cc.relatedInformation = *pd.RelatedInformation
			}
			cc.versionSupport = isTrue(pd.VersionSupport)
		}
		if ca := td.CodeAction; ca != nil {
			cc.codeActionLiterals = len(ca.CodeActionLiteralSupport.CodeActionKind.ValueSet) > 0
		}
	}
	if ws := c.Workspace; ws != nil {
		if ws.WorkspaceEdit != nil {
			cc.documentChanges = isTrue(ws.WorkspaceEdit.DocumentChanges)
		}
		cc.configuration = isTrue(ws.Configuration)
		if ws.InlayHint != nil {
			cc.inlayRefresh = isTrue(ws.InlayHint.RefreshSupport)
		}
		if ws.DidChangeWatchedFiles != nil {
			cc.watchRegistration = isTrue(ws.DidChangeWatchedFiles.DynamicRegistration)
		}
	}
	if w := c.Window; w != nil {
		cc.showDocument = w.ShowDocument != nil && w.ShowDocument.Support
		cc.workDoneProgress = isTrue(w.WorkDoneProgress)
	}
	return cc
}

func (s *server) initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	s.logs.start() // log messages may go to the client from now on
	if !s.state.CompareAndSwap(stateNew, stateRunning) {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "synclens: initialize may only be sent once")
	}
	s.mu.Lock()
	s.caps = readCaps(p.Capabilities)
	if folders, ok := p.WorkspaceFolders.Get(); ok && len(folders) > 0 && folders[0].URI.IsFile() {
		s.root = folders[0].URI.FsPath()
	} else if p.RootURI != nil && p.RootURI.IsFile() {
		s.root = p.RootURI.FsPath()
	}
	if len(p.InitializationOptions) > 0 {
		if _, err := s.cfg.apply(p.InitializationOptions, s.log); err != nil {
			s.log.Warn("ignoring initializationOptions", "error", err)
		}
	}
	literals := s.caps.codeActionLiterals
	s.mu.Unlock()

	open, incremental := true, protocol.TextDocumentSyncKindIncremental
	var codeActions protocol.CodeActionProvider = protocol.Boolean(true)
	if literals {
		codeActions = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindRefactorRewrite, kindDoc}}
	}
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: protocol.PositionEncodingKindUTF16,
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: &open,
				Change:    &incremental,
				Save:      &protocol.SaveOptions{},
			},
			HoverProvider:          protocol.Boolean(true),
			InlayHintProvider:      protocol.Boolean(true),
			CodeActionProvider:     codeActions,
			ExecuteCommandProvider: protocol.ExecuteCommandOptions{Commands: []string{cmdOpenGuide, cmdImportRace, cmdClearRuntime}},
		},
		ServerInfo: protocol.ServerInfo{Name: "synclens", Version: protocol.NewOptional(version())},
	}, nil
}

// initialized starts what needs calls to the client (file watchers, the
// configuration), on a goroutine: this is a notification handler, and a
// call from the read loop could never read its reply.
func (s *server) initialized(ctx context.Context, _ jsonrpc2.RawMessage) (any, error) {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	s.goWork(func() {
		if caps.watchRegistration {
			s.registerWatchers()
		}
		if caps.configuration {
			s.pullConfiguration()
		}
	})
	return nil, nil
}

func (s *server) shutdown(ctx context.Context, _ jsonrpc2.RawMessage) (any, error) {
	s.state.Store(stateShutdown)
	return nil, nil
}

func (s *server) exit(ctx context.Context, _ jsonrpc2.RawMessage) (any, error) {
	s.exitOnce.Do(func() { close(s.exited) })
	return nil, nil
}

// goWork runs f on a goroutine that Serve waits for, unless the server is
// closing.
func (s *server) goWork(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return
	}
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		f()
	}()
}

// showOnce shows a message to the user once per server, and logs it.
func (s *server) showOnce(typ protocol.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	seen := s.shown[msg]
	s.shown[msg] = true
	s.mu.Unlock()
	if seen {
		return
	}
	s.log.Warn(msg)
	if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: typ, Message: msg}); err != nil {
		s.log.Warn("cannot show message", "error", err)
	}
}
