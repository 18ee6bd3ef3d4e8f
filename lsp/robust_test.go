package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/uri"
)

// rawClient speaks to the server with raw Content-Length frames, to send
// what a typed client cannot: malformed frames, invalid JSON, params of the
// wrong type.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	srv  *server
	done chan int

	mu      sync.Mutex
	changed chan struct{}
	msgs    []rawMsg
	nextID  int
}

type rawMsg struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int64  `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (m rawMsg) String() string {
	b, _ := json.Marshal(m)
	return string(b)
}

func startRaw(t *testing.T) *rawClient {
	t.Helper()
	serverSide, clientSide := net.Pipe()
	c := &rawClient{t: t, conn: clientSide, done: make(chan int, 1), changed: make(chan struct{}), nextID: 1000}
	c.srv = newServer(Options{Logger: testLogger(t), testHooks: true})
	go func() { c.done <- c.srv.serve(context.Background(), serverSide) }()
	go c.read()
	t.Cleanup(func() {
		c.conn.Close()
		select {
		case <-c.done:
		case <-time.After(loadTimeout):
			t.Error("the server did not stop after its stream was closed")
		}
	})
	return c
}

// read collects the server's messages; it is deliberately strict about the
// framing the server writes.
func (c *rawClient) read() {
	in := bufio.NewReader(c.conn)
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		n, ok := strings.CutPrefix(line, "Content-Length: ")
		length, err := strconv.Atoi(strings.TrimSuffix(n, "\r\n"))
		if !ok || err != nil {
			c.t.Errorf("server wrote a bad header %q", line)
			return
		}
		if blank, _ := in.ReadString('\n'); blank != "\r\n" {
			c.t.Errorf("server header not ended by a blank line: %q", blank)
			return
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(in, body); err != nil {
			return
		}
		var m rawMsg
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server wrote invalid JSON %q: %v", body, err)
			return
		}
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}
}

func frame(body string) []byte {
	return []byte("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}

func (c *rawClient) write(b []byte) {
	c.t.Helper()
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *rawClient) id() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	return c.nextID
}

// call sends a request with params (omitted if "") and returns its id.
func (c *rawClient) call(method, params string) int {
	id := c.id()
	body := `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"` + method + `"`
	if params != "" {
		body += `,"params":` + params
	}
	c.write(frame(body + "}"))
	return id
}

func (c *rawClient) notify(method, params string) {
	c.write(frame(`{"jsonrpc":"2.0","method":"` + method + `","params":` + params + `}`))
}

// mark returns the number of messages received so far.
func (c *rawClient) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.msgs)
}

// wait returns the first message after index from that matches.
func (c *rawClient) wait(ctx context.Context, from int, what string, match func(rawMsg) bool) rawMsg {
	c.t.Helper()
	for {
		c.mu.Lock()
		for _, m := range c.msgs[from:] {
			if match(m) {
				c.mu.Unlock()
				return m
			}
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (c *rawClient) response(ctx context.Context, id int) rawMsg {
	c.t.Helper()
	return c.wait(ctx, 0, "the response to "+strconv.Itoa(id), func(m rawMsg) bool {
		return string(m.ID) == strconv.Itoa(id) && m.Method == ""
	})
}

// errorCode returns the code of an error response, or 0 for a result.
func errorCode(m rawMsg) int64 {
	if m.Error == nil {
		return 0
	}
	return m.Error.Code
}

func hoverParams(u uri.URI, line, char string) string {
	return `{"textDocument":{"uri":"` + string(u) + `"},"position":{"line":` + line + `,"character":` + char + `}}`
}

// TestRobustness sends malformed and unexpected input; after each probe the
// server must still answer a normal hover.
func TestRobustness(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	c := startRaw(t)

	// Before initialize, requests are refused with -32002.
	if m := c.response(ctx, c.call("textDocument/hover", hoverParams("file:///x.go", "0", "0"))); errorCode(m) != -32002 {
		t.Errorf("hover before initialize: %v, want -32002", m)
	}
	if m := c.response(ctx, c.call("initialize", `{"processId":null,"rootUri":null,"capabilities":{}}`)); m.Error != nil {
		t.Fatalf("initialize: %v", m)
	}
	c.notify("initialized", `{}`)
	if m := c.response(ctx, c.call("initialize", `{"capabilities":{}}`)); errorCode(m) != -32600 {
		t.Errorf("second initialize: %v, want -32600", m)
	}

	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	u := uri.File(filepath.Join(dir, "a", "a.go"))
	text, _ := json.Marshal(bugSrc)
	c.notify("textDocument/didOpen", `{"textDocument":{"uri":"`+string(u)+`","languageId":"go","version":1,"text":`+string(text)+`}}`)
	c.wait(ctx, 0, "the first diagnostics", func(m rawMsg) bool {
		return m.Method == "textDocument/publishDiagnostics" && bytes.Contains(m.Params, []byte("unreleasedlock"))
	})
	lock := pos(t, bugSrc, "mu.Lock()", 4)
	validHover := hoverParams(u, strconv.Itoa(int(lock.Line)), strconv.Itoa(int(lock.Character)))
	alive := func(t *testing.T) {
		t.Helper()
		m := c.response(ctx, c.call("textDocument/hover", validHover))
		if m.Error != nil || !bytes.Contains(m.Result, []byte("c.mu")) {
			t.Fatalf("the server no longer answers a hover: %v", m)
		}
	}
	alive(t)

	// Probes that get a response with their id.
	type callProbe struct {
		name   string
		method string
		params string
		want   int64 // error code; 0: a result
		result string
	}
	callProbes := []callProbe{
		{"unknown request", "synclens/noSuchMethod", `{}`, -32601, ""},
		{"unknown $/ request", "$/noSuchMethod", `{}`, -32601, ""},
		{"hover params a string", "textDocument/hover", `"not an object"`, -32602, ""},
		{"hover params of the wrong types", "textDocument/hover", `{"textDocument":{"uri":42},"position":{"line":"zero","character":true}}`, -32602, ""},
		{"hover without params", "textDocument/hover", ``, -32602, ""},
		{"hover with null params", "textDocument/hover", `null`, -32602, ""},
		{"hover on an unopened file", "textDocument/hover", hoverParams(uri.File(filepath.Join(dir, "nope.go")), "0", "0"), 0, "null"},
		{"hover on a non-file URI", "textDocument/hover", hoverParams("untitled:x", "0", "0"), 0, "null"},
		{"hover past the last line", "textDocument/hover", hoverParams(u, "1000000", "0"), 0, "null"},
		{"hover past the end of a line", "textDocument/hover", hoverParams(u, "0", "1000000"), 0, "null"},
		{"hover at a negative position", "textDocument/hover", hoverParams(u, "-1", "-1"), -32602, ""},
		{"hover at a position beyond uint32", "textDocument/hover", hoverParams(u, "4294967296", "0"), -32602, ""},
		{"codeAction with null params", "textDocument/codeAction", `null`, -32602, ""},
		{"codeAction on an unopened file", "textDocument/codeAction", `{"textDocument":{"uri":"file:///nope.go"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`, 0, "[]"},
		{"executeCommand unknown", "workspace/executeCommand", `{"command":"synclens.noSuch"}`, -32602, ""},
		{"executeCommand with a bad argument", "workspace/executeCommand", `{"command":"synclens.openGuide","arguments":[42]}`, -32602, ""},
		{"notification method as a request", "textDocument/didSave", `{"textDocument":{"uri":"file:///nope.go"}}`, -32600, ""},
		{"panic in a request handler", testPanicMethod, `{}`, -32603, ""},
	}
	for _, p := range callProbes {
		t.Run(p.name, func(t *testing.T) {
			m := c.response(ctx, c.call(p.method, p.params))
			if got := errorCode(m); got != p.want || p.result != "" && string(m.Result) != p.result {
				t.Errorf("got %v, want code %d result %s", m, p.want, p.result)
			}
			alive(t)
		})
	}

	// Notifications the server must ignore (or log) and live on.
	notifications := []struct{ name, method, params string }{
		{"unknown notification", "synclens/noSuchNotification", `{}`},
		{"unknown $/ notification", "$/noSuchNotification", `{}`},
		{"didChange with null params", "textDocument/didChange", `null`},
		{"didChange of the wrong types", "textDocument/didChange", `{"textDocument":"x","contentChanges":7}`},
		{"didChange of an unopened file", "textDocument/didChange", `{"textDocument":{"uri":"file:///nope.go","version":2},"contentChanges":[{"text":"package x\n"}]}`},
		{"didChange with an inverted range", "textDocument/didChange", `{"textDocument":{"uri":"untitled:none","version":2},"contentChanges":[{"range":{"start":{"line":1,"character":0},"end":{"line":0,"character":0}},"text":""}]}`},
		{"didOpen of the wrong types", "textDocument/didOpen", `{"textDocument":{"uri":"file:///p.go","languageId":7,"version":"one","text":null}}`},
		{"didClose of an unopened file", "textDocument/didClose", `{"textDocument":{"uri":"file:///nope.go"}}`},
		{"didChangeConfiguration with junk", "workspace/didChangeConfiguration", `{"settings":{"synclens":{"disabledChecks":"all"}}}`},
		{"cancel with a bad id", "$/cancelRequest", `{"id":{"x":1}}`},
		{"cancel of an unknown request", "$/cancelRequest", `{"id":424242}`},
		{"panic in a notification handler", testPanicNotification, `{}`},
	}
	for _, p := range notifications {
		t.Run(p.name, func(t *testing.T) {
			before := c.mark()
			c.notify(p.method, p.params)
			alive(t)
			c.mu.Lock()
			defer c.mu.Unlock()
			for _, m := range c.msgs[before:] {
				if m.Error != nil && string(m.ID) == "null" {
					t.Errorf("a notification was answered: %v", m)
				}
			}
		})
	}

	// Broken frames and envelopes: answered with an error (with the
	// request's id when it can be recovered, else null), then the stream
	// goes on.
	type frameProbe struct {
		name string
		wire func(id int, hover string) []byte
		want int64
		byID bool // the error carries the request's id
	}
	hoverBody := func(id int) string {
		return `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"textDocument/hover","params":` + validHover + `}`
	}
	frameProbes := []frameProbe{
		{"invalid JSON", func(id int, _ string) []byte { return frame(hoverBody(id)[:40]) }, -32700, false},
		{"JSON-RPC 1.0", func(id int, _ string) []byte {
			return frame(strings.Replace(hoverBody(id), `"2.0"`, `"1.0"`, 1))
		}, -32600, true},
		{"no method", func(id int, _ string) []byte { return frame(`{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `}`) }, -32600, true},
		{"an object id", func(id int, _ string) []byte {
			return frame(strings.Replace(hoverBody(id), `"id":`+strconv.Itoa(id), `"id":{"x":1}`, 1))
		}, -32600, false},
		{"a batch", func(id int, _ string) []byte { return frame("[" + hoverBody(id) + "]") }, -32600, false},
		{"a number", func(int, string) []byte { return frame(`42`) }, -32600, false},
		{"an empty body", func(int, string) []byte { return []byte("Content-Length: 0\r\n\r\n") }, -32700, false},
		{"a header line without a colon", func(int, string) []byte { return []byte("garbage\r\n\r\n") }, -32700, false},
		{"no Content-Length", func(id int, _ string) []byte {
			return []byte("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + hoverBody(id) + "\r\n")
		}, -32600, true},
		{"a Content-Length that is not a number", func(id int, _ string) []byte {
			return []byte("Content-Length: twelve\r\n\r\n" + hoverBody(id) + "\r\n")
		}, -32600, true},
		{"a Content-Length 5 bytes short", func(id int, _ string) []byte {
			b := hoverBody(id)
			return []byte("Content-Length: " + strconv.Itoa(len(b)-5) + "\r\n\r\n" + b)
		}, -32700, false},
		{"a Content-Length of 1 TiB", func(id int, _ string) []byte {
			return []byte("Content-Length: 1099511627776\r\n\r\n" + hoverBody(id))
		}, -32600, true},
	}
	for _, p := range frameProbes {
		t.Run(p.name, func(t *testing.T) {
			id, before := c.id(), c.mark()
			c.write(p.wire(id, validHover))
			m := c.wait(ctx, before, "an error response", func(m rawMsg) bool { return m.Error != nil })
			wantID := "null"
			if p.byID {
				wantID = strconv.Itoa(id)
			}
			if m.Error.Code != p.want || string(m.ID) != wantID {
				t.Errorf("got %v, want code %d with id %s", m, p.want, wantID)
			}
			alive(t)
		})
	}

	// Unusual but valid framing is answered normally.
	for name, header := range map[string]string{
		"lowercase header, LF only": "content-length: %d\n\n",
		"extra header":              "X-Probe: 1\r\nContent-Length: %d\r\n\r\n",
		"Content-Type after length": "Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			id := c.id()
			body := hoverBody(id)
			c.write(append([]byte(fmt.Sprintf(header, len(body))), body...))
			if m := c.response(ctx, id); m.Error != nil || !bytes.Contains(m.Result, []byte("c.mu")) {
				t.Errorf("got %v, want the hover", m)
			}
		})
	}

	// $/cancelRequest cancels an in-flight request, which answers -32800.
	t.Run("cancel", func(t *testing.T) {
		id := c.call(testBlockMethod, `{}`)
		alive(t) // the blocked request does not hold up others
		c.notify("$/cancelRequest", `{"id":`+strconv.Itoa(id)+`}`)
		if m := c.response(ctx, id); errorCode(m) != -32800 {
			t.Errorf("cancelled request: %v, want -32800", m)
		}
		c.write(frame(`{"jsonrpc":"2.0","id":"blocked","method":"` + testBlockMethod + `"}`))
		c.notify("$/cancelRequest", `{"id":"blocked"}`)
		m := c.wait(ctx, 0, "the cancelled string-id request", func(m rawMsg) bool { return string(m.ID) == `"blocked"` })
		if errorCode(m) != -32800 {
			t.Errorf("cancelled request with a string id: %v, want -32800", m)
		}
		alive(t)
	})

	// After shutdown, requests are invalid; exit then ends the server with
	// code 0.
	if m := c.response(ctx, c.call("shutdown", "")); m.Error != nil || string(m.Result) != "null" {
		t.Fatalf("shutdown: %v", m)
	}
	if m := c.response(ctx, c.call("textDocument/hover", validHover)); errorCode(m) != -32600 {
		t.Errorf("hover after shutdown: %v, want -32600", m)
	}
	c.notify("exit", `null`)
	select {
	case code := <-c.done:
		if code != 0 {
			t.Errorf("exit code = %d, want 0", code)
		}
		c.done <- code
	case <-ctx.Done():
		t.Fatal("exit did not end the server")
	}
}

// TestExitWithoutShutdown: exit without shutdown ends the server with 1,
// and notifications before initialize are dropped without an answer.
func TestExitWithoutShutdown(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := startRaw(t)
	c.notify("textDocument/didOpen", `{"textDocument":{"uri":"file:///x.go","languageId":"go","version":1,"text":"package x"}}`)
	c.notify("exit", `{}`)
	select {
	case code := <-c.done:
		if code != 1 {
			t.Errorf("exit code = %d, want 1", code)
		}
		c.done <- code
	case <-ctx.Done():
		t.Fatal("exit did not end the server")
	}
	if n := c.mark(); n != 0 {
		t.Errorf("the server answered %d messages before initialize: %v", n, c.msgs)
	}
}
