package lsp

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// Fuzz targets. Their seed corpora (testdata/fuzz/Fuzz*) run in go test; a
// longer run is documented in docs/development.md.

func framed(body string) string { return string(frame(body)) }

// fuzzConn reads the fuzz input and swallows what the server writes.
type fuzzConn struct {
	io.Reader
	out bytes.Buffer
}

func (c *fuzzConn) Write(b []byte) (int, error) { return c.out.Write(b) }
func (c *fuzzConn) Close() error                { return nil }

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		framed(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) +
			framed(`{"jsonrpc":"2.0","method":"initialized","params":{}}`) +
			framed(`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere/a.txt"},"position":{"line":0,"character":0}}}`) +
			framed(`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`) + framed(`{"jsonrpc":"2.0","method":"exit"}`),
		framed(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"disabledChecks":["x"],"buildFlags":["-tags=a"]}}}`),
		framed(`{"jsonrpc":"2.0","id":"é","method":"nosuch","params":[1,2]}`),
		framed(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///nowhere/a.txt","languageId":"text","version":1,"text":"a\r\nb🎉"}}}`) +
			framed(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere/a.txt","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":1},"end":{"line":9,"character":0}},"text":"x"}]}}`),
		"Content-Length: 5\r\n\r\n{bad}" + framed(`{"jsonrpc":"2.0","id":1}`),
		"Content-Length: -1\r\n\r\n",
		"Content-Type: x\r\n\r\n{}",
		"Content-Length: 99999999999999999999\r\n\r\n",
		"\r\n\r\n\r\n",
		framed(`[]`) + framed(`null`) + framed(`{"jsonrpc":"1.0","id":{},"method":3}`),
	} {
		f.Add([]byte(s))
	}
}

// FuzzServe feeds arbitrary bytes to a whole server: framing, decoding and
// dispatch of every method. The server must not panic, and must return once
// the input ends. Documents are named outside any Go module, so no go
// command runs.
func FuzzServe(f *testing.F) {
	fuzzSeeds(f)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		if bytes.Contains(in, []byte(".go")) || bytes.Contains(in, []byte("go.mod")) {
			t.Skip("Go files start loads (the go command): out of scope for a fuzz target")
		}
		conn := &fuzzConn{Reader: bytes.NewReader(in)}
		done := make(chan int, 1)
		go func() {
			done <- newServer(Options{Logger: log, Debounce: time.Millisecond}).serve(context.Background(), conn)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("the server did not return after its input ended")
		}
	})
}

// FuzzStream reads frames from arbitrary bytes: every Read returns a message
// or an error, never panics, and the input is consumed.
func FuzzStream(f *testing.F) {
	fuzzSeeds(f)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		s := newStream(&fuzzConn{Reader: bytes.NewReader(in)}, log)
		for range len(in) + 2 {
			msg, _, err := s.Read(context.Background())
			if err != nil {
				return
			}
			if msg == nil {
				t.Fatal("Read returned neither a message nor an error")
			}
		}
		t.Fatal("Read kept returning messages past the end of the input")
	})
}

// FuzzPositions: UTF-16 positions and byte offsets convert consistently on
// any text, including invalid UTF-8, lone "\r" and surrogate pairs.
func FuzzPositions(f *testing.F) {
	for _, s := range []string{"", "a", "a\nb", "a\r\nb", "\r\r\n\n", "é🎉x\n\t🎉", "\xff\xfe\n\x80", "line\r"} {
		f.Add([]byte(s), uint32(0), uint32(1))
	}
	f.Fuzz(func(t *testing.T, text []byte, line, char uint32) {
		m := newMapper(text)
		off, err := m.offset(protocol.Position{Line: line, Character: char})
		if err != nil {
			if int(line) < len(m.lines) {
				t.Fatalf("offset(%d:%d) failed on a line that exists: %v", line, char, err)
			}
			return
		}
		if off < 0 || off > len(text) {
			t.Fatalf("offset(%d:%d) = %d, outside [0, %d]", line, char, off, len(text))
		}
		p := m.position(off)
		if p.Line != line || p.Character > char {
			t.Fatalf("position(offset(%d:%d)) = %d:%d", line, char, p.Line, p.Character)
		}
		if back, _ := m.offset(p); back != off {
			t.Fatalf("offset(position(%d)) = %d", off, back)
		}
		for o := 0; o <= len(text); o++ {
			if o < len(text) && !utf8.RuneStart(text[o]) {
				continue
			}
			q := m.position(o)
			if int(q.Line) >= len(m.lines) {
				t.Fatalf("position(%d) = %v: no such line", o, q)
			}
			back, err := m.offset(q)
			if err != nil || back > o {
				t.Fatalf("offset(position(%d)=%v) = %d, %v", o, q, back, err)
			}
		}
	})
}

// FuzzChanges: incremental edits apply as the specification says, whatever
// their range: clamped to the text, each on the result of the previous.
func FuzzChanges(f *testing.F) {
	f.Add([]byte("package a\n\nfunc F() {}\n"), uint32(2), uint32(5), uint32(2), uint32(6), "G", true)
	f.Add([]byte("é🎉\r\nx"), uint32(0), uint32(1), uint32(0), uint32(3), "", false)
	f.Add([]byte(""), uint32(9), uint32(9), uint32(0), uint32(0), "x\r", true)
	f.Fuzz(func(t *testing.T, text []byte, l1, c1, l2, c2 uint32, insert string, twice bool) {
		r := protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
		change := &protocol.TextDocumentContentChangePartial{Range: r, Text: insert}
		if twice {
			// Each change applies to the previous one's result: the same
			// change twice is two single changes in a row.
			once, err1 := applyChanges(text, []protocol.TextDocumentContentChangeEvent{change})
			both, err2 := applyChanges(text, []protocol.TextDocumentContentChangeEvent{change, change})
			if err1 == nil {
				again, err3 := applyChanges(once, []protocol.TextDocumentContentChangeEvent{change})
				if (err2 == nil) != (err3 == nil) || !bytes.Equal(both, again) {
					t.Fatalf("two changes: %q, %v; one after the other: %q, %v", both, err2, again, err3)
				}
			}
			return
		}
		got, err := applyChanges(text, []protocol.TextDocumentContentChangeEvent{change})
		m := newMapper(text)
		start, end := m.clampedOffset(r.Start), m.clampedOffset(r.End)
		if end < start {
			if err == nil {
				t.Fatalf("a range that ends before it starts was applied")
			}
			return
		}
		if err != nil {
			t.Fatalf("applyChanges: %v", err)
		}
		want := append(append(append([]byte(nil), text[:start]...), insert...), text[end:]...)
		if !bytes.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}
