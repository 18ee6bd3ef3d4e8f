package lsp

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.lsp.dev/protocol"
)

// The server's log goes to the client as window/logMessage, with the type
// of its level, so that the editor files it properly: editors show whatever
// a server writes to stderr as errors (Neovim's LSP log says [ERROR], VS
// Code's output channel [error]), which for "loaded 3 packages" misleads.
// Options.Logger still receives every record; synclens serve gives it only
// errors, on stderr.

// logQueueSize bounds the messages waiting to be sent; beyond it they are
// dropped and counted, since logging must never block the caller (the read
// loop logs too, and the client may be slow to read).
const logQueueSize = 256

// logSink holds the messages for the client until the sender sends them.
// Nothing is sent before the initialize request: until then the protocol
// allows the server no message at all.
type logSink struct {
	queue    chan protocol.LogMessageParams
	dropped  atomic.Int64
	open     chan struct{} // closed when initialize arrives
	openOnce sync.Once

	mu  sync.Mutex // one record at a time through the formatter
	buf bytes.Buffer
}

func newLogSink() *logSink {
	return &logSink{queue: make(chan protocol.LogMessageParams, logQueueSize), open: make(chan struct{})}
}

// start lets the queued messages go: the client sent initialize.
func (k *logSink) start() {
	k.openOnce.Do(func() { close(k.open) })
}

// Write receives one record formatted by the text handler.
func (k *logSink) Write(p []byte) (int, error) {
	k.buf.Write(p)
	return len(p), nil
}

// send sends the queued messages to the client, once it is started, until
// ctx ends.
func (k *logSink) send(ctx context.Context, client protocol.Client) {
	select {
	case <-k.open:
	case <-ctx.Done():
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-k.queue:
			if n := k.dropped.Swap(0); n > 0 {
				client.LogMessage(ctx, &protocol.LogMessageParams{Type: protocol.MessageTypeWarning, Message: "synclens: dropped log messages the editor did not read in time: " + strconv.FormatInt(n, 10)})
			}
			client.LogMessage(ctx, &m)
		}
	}
}

// clientLog is a slog.Handler that queues records at or above level for the
// client and passes every record to base.
type clientLog struct {
	base  slog.Handler
	level slog.Leveler
	text  slog.Handler // formats the attributes into sink: no time, level or msg key
	sink  *logSink
}

func newClientLog(base slog.Handler, level slog.Leveler, sink *logSink) *clientLog {
	text := slog.NewTextHandler(sink, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey || a.Key == slog.MessageKey) {
				return slog.Attr{}
			}
			return a
		},
	})
	return &clientLog{base: base, level: level, text: text, sink: sink}
}

func (h *clientLog) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level.Level() || h.base.Enabled(ctx, l)
}

func (h *clientLog) Handle(ctx context.Context, r slog.Record) error {
	var err error
	if h.base.Enabled(ctx, r.Level) {
		err = h.base.Handle(ctx, r.Clone())
	}
	if r.Level < h.level.Level() {
		return err
	}
	k := h.sink
	k.mu.Lock()
	k.buf.Reset()
	h.text.Handle(ctx, r)
	msg := r.Message
	if attrs := strings.TrimSpace(k.buf.String()); attrs != "" {
		msg += " " + attrs
	}
	k.mu.Unlock()
	select {
	case k.queue <- protocol.LogMessageParams{Type: messageType(r.Level), Message: msg}:
	default:
		k.dropped.Add(1)
	}
	return err
}

func (h *clientLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &clientLog{base: h.base.WithAttrs(attrs), level: h.level, text: h.text.WithAttrs(attrs), sink: h.sink}
}

func (h *clientLog) WithGroup(name string) slog.Handler {
	return &clientLog{base: h.base.WithGroup(name), level: h.level, text: h.text.WithGroup(name), sink: h.sink}
}

// messageType is the window/logMessage type of a level.
func messageType(l slog.Level) protocol.MessageType {
	switch {
	case l >= slog.LevelError:
		return protocol.MessageTypeError
	case l >= slog.LevelWarn:
		return protocol.MessageTypeWarning
	case l >= slog.LevelInfo:
		return protocol.MessageTypeInfo
	}
	return protocol.MessageTypeLog
}
