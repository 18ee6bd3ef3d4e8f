package lsp

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"
)

// Main runs "synclens serve [flags]": the language server over stdin and
// stdout, logging to the client (window/logMessage, see logmessage.go) and
// errors to stderr too. It returns the process exit code.
//
// Language clients add transport flags of their own to the command line:
// vscode-languageclient adds --stdio, --pipe=<name> or --socket=<port>,
// and --clientProcessId=<pid>, as do others built on it. They are accepted
// in the forms clients write them (one or two dashes, "=" or a separate
// value): --stdio is the default, --clientProcessId is not needed (the
// server exits when its input ends), and --pipe and --socket connect to the
// client instead of using stdio. --node-ipc, Node.js's own channel to a
// child process, is refused with a clear error rather than ignored, since
// the client would then wait forever for a server that never speaks.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "send debug messages to the editor's log too")
	var opts Options
	fs.DurationVar(&opts.Debounce, "debounce", 0, "wait this long after an edit before analysing the packages that depend on the edited one, its test variant (default 150ms); the edited package is analysed at once")
	fs.Bool("stdio", false, "talk over stdin and stdout (the default; language clients add this flag)")
	fs.String("clientProcessId", "", "the editor's process id (accepted and not needed: the server exits when its input ends)")
	pipe := fs.String("pipe", "", "connect to the Unix socket `path` the client listens on, instead of stdio")
	socket := fs.String("socket", "", "connect to the TCP `port` on localhost the client listens on, instead of stdio")
	nodeIPC := fs.Bool("node-ipc", false, "not supported: Node.js's channel to a child process; use stdio")
	fs.Usage = func() {
		io.WriteString(stderr, "usage: synclens serve [-v] [-debounce d] [--stdio | --pipe=path | --socket=port]\n\nRuns the language server over stdin and stdout; editors start it.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "synclens serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *nodeIPC {
		io.WriteString(stderr, "synclens serve: --node-ipc is not supported (it is Node.js's own channel to a child process); configure the client to use stdio\n")
		return 2
	}
	if *pipe != "" && *socket != "" {
		io.WriteString(stderr, "synclens serve: give --pipe or --socket, not both\n")
		return 2
	}
	if port, err := strconv.ParseUint(*socket, 10, 16); *socket != "" && (err != nil || port == 0) {
		fmt.Fprintf(stderr, "synclens serve: --socket=%s: not a TCP port\n", *socket)
		return 2
	}
	if *verbose {
		opts.LogLevel = slog.LevelDebug
	}
	// The log goes to the client (window/logMessage); stderr, which
	// editors file as errors, gets only errors.
	opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	var rwc io.ReadWriteCloser = stdio{stdin, stdout}
	if *pipe != "" || *socket != "" {
		conn, err := dialClient(*pipe, *socket)
		if err != nil {
			fmt.Fprintf(stderr, "synclens serve: %v\n", err)
			return 1
		}
		rwc = conn
	}
	return Serve(context.Background(), rwc, opts)
}

// dialClient connects to the client's pipe (a Unix socket) or to its TCP
// port on the loopback interface.
func dialClient(pipe, socket string) (net.Conn, error) {
	network, addr := "unix", pipe
	if socket != "" {
		network, addr = "tcp", net.JoinHostPort("127.0.0.1", socket)
	}
	conn, err := net.DialTimeout(network, addr, 30*time.Second)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to the client: %v", err)
	}
	return conn, nil
}

// stdio joins stdin and stdout into the connection's stream. Closing it
// closes both; a read blocked on stdin may not return, which is why Serve
// does not wait for it after exit.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	var err error
	if c, ok := s.Reader.(io.Closer); ok {
		err = c.Close()
	}
	if c, ok := s.Writer.(io.Closer); ok {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
