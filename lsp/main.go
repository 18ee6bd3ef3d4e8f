package lsp

import (
	"context"
	"flag"
	"io"
	"log/slog"
)

// Main runs "synclens serve [flags]": the language server over stdin and
// stdout, logging to stderr. It returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log debug messages")
	var opts Options
	fs.DurationVar(&opts.Debounce, "debounce", 0, "wait this long after an edit before analysing the packages that depend on the edited one, its test variant (default 150ms); the edited package is analysed at once")
	fs.Usage = func() {
		io.WriteString(stderr, "usage: synclens serve [-v] [-debounce d]\n\nRuns the language server over stdin and stdout; editors start it.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	return Serve(context.Background(), stdio{stdin, stdout}, opts)
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
