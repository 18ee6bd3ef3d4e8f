package lsp

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// syncBuffer is a bytes.Buffer safe for the server's logger and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// session runs initialize (with initOptions unless ""), shutdown and exit
// over conn, as a client does. Before shutdown it waits for the
// window/logMessage notifications received to satisfy until, if given, and
// returns them.
func session(t *testing.T, conn io.ReadWriteCloser, initOptions string, until func([]protocol.LogMessageParams) bool) []protocol.LogMessageParams {
	t.Helper()
	// newStream, not jsonrpc2.NewStream: see startClient.
	c := jsonrpc2.NewConn(newStream(conn, testLogger(t)), jsonrpc2.WithCodec(codec{}))
	var (
		mu      sync.Mutex
		logs    []protocol.LogMessageParams
		changed = make(chan struct{}, 1)
	)
	c.Go(context.Background(), func(_ context.Context, req *jsonrpc2.Request) (any, error) {
		if req.Method() == protocol.MethodWindowLogMessage {
			var p protocol.LogMessageParams
			if err := protocol.Unmarshal(req.Params(), &p); err != nil {
				t.Errorf("bad logMessage: %v", err)
			}
			mu.Lock()
			logs = append(logs, p)
			mu.Unlock()
			select {
			case changed <- struct{}{}:
			default:
			}
		}
		return nil, nil
	})
	defer c.Close()
	srv := protocol.ServerDispatcher(c)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	params := &protocol.InitializeParams{}
	if initOptions != "" {
		params.InitializationOptions = []byte(initOptions)
	}
	res, err := srv.Initialize(ctx, params)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if res.ServerInfo.Name != "synclens" {
		t.Errorf("serverInfo.name = %q", res.ServerInfo.Name)
	}
	for until != nil {
		mu.Lock()
		done := until(logs)
		mu.Unlock()
		if done {
			break
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for log messages; got %+v", logs)
		}
	}
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := srv.Exit(ctx); err != nil {
		t.Fatalf("exit: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	return logs
}

// runMain runs Main with args, stdin and stdout being in and out, and
// returns a channel with its exit code.
func runMain(args []string, in io.Reader, out io.Writer, stderr io.Writer) <-chan int {
	done := make(chan int, 1)
	go func() { done <- Main(args, in, out, stderr) }()
	return done
}

func waitExit(t *testing.T, done <-chan int, stderr *syncBuffer) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not exit; stderr:\n%s", stderr)
		return -1
	}
}

// Clients add transport flags to the command line they are given:
// vscode-languageclient runs "synclens serve --stdio" for the stdio
// transport, and --clientProcessId=<pid> comes from vscode-languageserver's
// conventions. serve accepts them in every form clients write.
func TestServeAcceptsClientFlags(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"--stdio"},
		{"-stdio"},
		{"--stdio", "--clientProcessId=4242"},
		{"--clientProcessId", "4242", "--stdio"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			serverIn, clientOut := io.Pipe()
			clientIn, serverOut := io.Pipe()
			var stderr syncBuffer
			done := runMain(args, serverIn, serverOut, &stderr)
			session(t, rwc{clientIn, clientOut}, "", nil)
			if code := waitExit(t, done, &stderr); code != 0 {
				t.Fatalf("serve %v exited %d; stderr:\n%s", args, code, &stderr)
			}
		})
	}
}

type rwc struct {
	*io.PipeReader
	*io.PipeWriter
}

func (p rwc) Close() error {
	p.PipeReader.Close()
	return p.PipeWriter.Close()
}

// --pipe and --socket: the client listens and the server connects, as
// vscode-languageclient's TransportKind.pipe and socket do.
func TestServeConnectsToTheClient(t *testing.T) {
	unixListener := func(t *testing.T) (net.Listener, string) {
		path := filepath.Join(t.TempDir(), "lsp.sock")
		l, err := net.Listen("unix", path)
		if err != nil {
			t.Skipf("no Unix sockets here: %v", err)
		}
		return l, "--pipe=" + path
	}
	tcpListener := func(t *testing.T) (net.Listener, string) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return l, "--socket=" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	}
	for name, listen := range map[string]func(*testing.T) (net.Listener, string){"pipe": unixListener, "socket": tcpListener} {
		t.Run(name, func(t *testing.T) {
			l, flag := listen(t)
			defer l.Close()
			var stderr syncBuffer
			// stdin and stdout are not used: reading stdin would block.
			done := runMain([]string{flag, "--clientProcessId=1"}, strings.NewReader(""), io.Discard, &stderr)
			conn, err := l.Accept()
			if err != nil {
				t.Fatal(err)
			}
			session(t, conn, "", nil)
			if code := waitExit(t, done, &stderr); code != 0 {
				t.Fatalf("serve %s exited %d; stderr:\n%s", flag, code, &stderr)
			}
		})
	}
}

// Flags serve cannot honour are refused at once with a message, never
// ignored: a client waiting on a channel the server does not use would hang.
func TestServeRefusesBadTransportFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--node-ipc"}, "--node-ipc is not supported"},
		{[]string{"--socket=http"}, "not a TCP port"},
		{[]string{"--pipe=/a", "--socket=1"}, "not both"},
		{[]string{"--stdio", "extra"}, `unexpected argument "extra"`},
		{[]string{"--transport=carrier-pigeon"}, "flag provided but not defined"},
	} {
		var stderr syncBuffer
		done := runMain(c.args, strings.NewReader(""), io.Discard, &stderr)
		code := waitExit(t, done, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr.String(), c.want)
		}
	}
}

// The log goes to the editor as window/logMessage with the type of its
// level; stderr, which editors show as errors, stays empty unless something
// is wrong.
func TestServeLogsToTheClient(t *testing.T) {
	serverIn, clientOut := io.Pipe()
	clientIn, serverOut := io.Pipe()
	var stderr syncBuffer
	done := runMain([]string{"--stdio"}, serverIn, serverOut, &stderr)
	// An unknown check code is worth a warning.
	logs := session(t, rwc{clientIn, clientOut}, `{"disabledChecks": ["nosuchcheck"]}`, func(logs []protocol.LogMessageParams) bool {
		return len(logs) > 0
	})
	if code := waitExit(t, done, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, &stderr)
	}
	var found bool
	for _, l := range logs {
		if l.Message == "disabledChecks names an unknown check code=nosuchcheck" {
			found = true
			if l.Type != protocol.MessageTypeWarning {
				t.Errorf("logMessage %q has type %v, want Warning", l.Message, l.Type)
			}
		}
	}
	if !found {
		t.Errorf("no window/logMessage with the warning; got %+v", logs)
	}
	if s := stderr.String(); s != "" {
		t.Errorf("stderr = %q, want nothing (only errors go there)", s)
	}
}

func TestMessageTypes(t *testing.T) {
	for l, want := range map[slog.Level]protocol.MessageType{
		slog.LevelDebug: protocol.MessageTypeLog,
		slog.LevelInfo:  protocol.MessageTypeInfo,
		slog.LevelWarn:  protocol.MessageTypeWarning,
		slog.LevelError: protocol.MessageTypeError,
	} {
		if got := messageType(l); got != want {
			t.Errorf("messageType(%v) = %v, want %v", l, got, want)
		}
	}
}
