package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// codec is the payload codec of the connection: protocol.Marshal and
// protocol.Unmarshal, which know the LSP union types (encoding/json gets
// several of them wrong, e.g. DiagnosticTags), with raw messages passed
// through. The protocol package has the same codec but does not export it.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case json.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = bytes.Clone(data)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

const (
	// maxFrame caps the Content-Length we accept. Larger declarations are
	// treated as a broken header rather than allocated.
	maxFrame = 256 << 20
	// maxHeaderLine caps one header line; longer lines are garbage.
	maxHeaderLine = 64 << 10
)

// headerRoom is the space reserved for "Content-Length: N\r\n\r\n".
var headerRoom [len("Content-Length: \r\n\r\n") + 20]byte

// stream is a jsonrpc2.Stream with LSP "Content-Length" framing that, unlike
// jsonrpc2.NewHeaderStream, survives bad input. The library stream returns
// an error for a malformed header, invalid JSON or an invalid envelope, and
// any Read error ends the connection. Here such frames are answered on the
// spot with a JSON-RPC error (-32700 parse error, -32600 invalid request,
// with the request's id when it can be recovered, else null) and reading
// goes on with the next frame; after a broken header it resynchronises on
// the next Content-Length header.
type stream struct {
	in     *bufio.Reader
	out    io.Writer
	closer io.Closer
	log    *slog.Logger

	wmu  sync.Mutex // one frame per Write, in one out.Write call
	wbuf []byte
}

func newStream(rwc io.ReadWriteCloser, log *slog.Logger) *stream {
	return &stream{in: bufio.NewReaderSize(rwc, 64<<10), out: rwc, closer: rwc, log: log}
}

func (s *stream) Close() error { return s.closer.Close() }

// Write frames msg and writes it with a single Write.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// Leave room for the header, write the body after it, then put the
	// header right before the body: one buffer, one Write.
	const reserve = len(headerRoom)
	buf := append(s.wbuf[:0], headerRoom[:]...)
	buf = jsonrpc2.AppendMessage(buf, msg)
	body := len(buf) - reserve
	header := strconv.AppendInt([]byte("Content-Length: "), int64(body), 10)
	header = append(header, "\r\n\r\n"...)
	start := reserve - len(header)
	copy(buf[start:], header)
	s.wbuf = buf
	n, err := s.out.Write(buf[start:])
	return int64(n), err
}

// Read returns the next well-formed message, answering malformed ones.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		body, n, err := s.readFrame(ctx)
		if err != nil {
			return nil, 0, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, n, nil
		}
		s.reject(ctx, body, err)
	}
}

// readFrame reads one header block and its body. Header blocks without a
// usable Content-Length are answered and skipped.
func (s *stream) readFrame(ctx context.Context) ([]byte, int64, error) {
	length, bad, seen, consumed := -1, "", false, 0
	for {
		line, n, err := s.readLine()
		consumed += n
		if err != nil {
			if err == io.EOF && seen {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		if len(line) == 0 {
			if !seen {
				continue // stray line ends between frames
			}
			if length >= 0 && bad == "" {
				body := make([]byte, length)
				if _, err := io.ReadFull(s.in, body); err != nil {
					if err == io.EOF {
						err = io.ErrUnexpectedEOF
					}
					return nil, 0, err
				}
				return body, int64(consumed + length), nil
			}
			if bad == "" {
				bad = "missing Content-Length header"
			}
			s.skipBody(ctx, bad)
			length, bad, seen = -1, "", false
			continue
		}
		seen = true
		// Find "content-length" anywhere in the line: after a frame whose
		// Content-Length was too short, the rest of its body runs into the
		// next header line, and this is how we find our feet again.
		i := indexFold(line, "content-length")
		if i < 0 {
			if bytes.IndexByte(line, ':') < 0 {
				bad = "malformed header line"
			}
			continue // other headers (Content-Type) are ignored
		}
		rest := bytes.TrimLeft(line[i+len("content-length"):], " \t")
		if len(rest) == 0 || rest[0] != ':' {
			bad = "malformed Content-Length header"
			continue
		}
		v, err := strconv.ParseInt(string(bytes.TrimSpace(rest[1:])), 10, 64)
		switch {
		case err != nil || v < 0:
			bad = fmt.Sprintf("invalid Content-Length %q", bytes.TrimSpace(rest[1:]))
		case v > maxFrame:
			bad = fmt.Sprintf("Content-Length %d exceeds the limit of %d bytes", v, maxFrame)
		default:
			length, bad = int(v), ""
		}
	}
}

// readLine returns the next line without its terminator, and the number of
// bytes consumed. Overlong lines are discarded and returned as a marker.
func (s *stream) readLine() ([]byte, int, error) {
	line, err := s.in.ReadSlice('\n')
	n := len(line)
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = s.in.ReadSlice('\n')
			n += len(line)
		}
		if err != nil {
			return nil, n, err
		}
		return []byte("\x00overlong header line"), n, nil
	}
	if err != nil {
		if err == io.EOF && n > 0 {
			return nil, n, io.ErrUnexpectedEOF
		}
		return nil, n, err
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
	if len(line) > maxHeaderLine {
		return []byte("\x00overlong header line"), n, nil
	}
	return line, n, nil
}

// skipBody handles the body after a header block we cannot use. If it looks
// like a JSON value (and has arrived with the header) it is read by matching
// brackets, so that its request can be answered with an error and the next
// frame is found intact; otherwise the header alone is answered and the
// line-based resync takes over.
func (s *stream) skipBody(ctx context.Context, why string) {
	s.log.Warn("malformed frame header", "problem", why)
	// Look only at bytes already received: a header block with nothing
	// after it must be answered now, not when the next message arrives.
	var b []byte
	if s.in.Buffered() > 0 {
		b, _ = s.in.Peek(1)
	}
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		s.answer(ctx, jsonrpc2.ID{}, jsonrpc2.Errorf(jsonrpc2.ParseError, "synclens: %s", why))
		return
	}
	body, ok := s.scanJSON(maxFrame)
	if !ok {
		s.answer(ctx, jsonrpc2.ID{}, jsonrpc2.Errorf(jsonrpc2.ParseError, "synclens: %s", why))
		return
	}
	s.answer(ctx, lenientID(body), jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "synclens: %s", why))
}

// scanJSON reads one JSON object or array by counting brackets outside
// strings. It stops at limit bytes or at the end of the input.
func (s *stream) scanJSON(limit int) ([]byte, bool) {
	var out []byte
	depth, inString, escaped := 0, false, false
	for len(out) < limit {
		c, err := s.in.ReadByte()
		if err != nil {
			return out, false
		}
		out = append(out, c)
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return out, true
			}
		}
	}
	return out, false
}

// reject answers a frame whose body is not a valid JSON-RPC message.
func (s *stream) reject(ctx context.Context, body []byte, err error) {
	id := lenientID(body)
	var werr *jsonrpc2.Error
	switch {
	case !json.Valid(body):
		werr = jsonrpc2.NewError(jsonrpc2.ParseError, "synclens: invalid JSON")
	case len(bytes.TrimSpace(body)) > 0 && bytes.TrimSpace(body)[0] == '[':
		werr = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "synclens: batches are not part of the Language Server Protocol")
	default:
		werr = jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "synclens: invalid JSON-RPC 2.0 message: %v", err)
	}
	s.log.Warn("rejected malformed message", "error", werr.Message, "id", id)
	s.answer(ctx, id, werr)
}

func (s *stream) answer(ctx context.Context, id jsonrpc2.ID, err *jsonrpc2.Error) {
	if _, werr := s.Write(ctx, jsonrpc2.NewResponse(id, nil, err)); werr != nil {
		s.log.Warn("cannot answer malformed message", "error", werr)
	}
}

// lenientID recovers the id of a malformed request when it is a valid id,
// so that the error response reaches the caller waiting for it.
func lenientID(body []byte) jsonrpc2.ID {
	var env struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &env) != nil || len(env.ID) == 0 {
		return jsonrpc2.ID{}
	}
	var n int64
	if json.Unmarshal(env.ID, &n) == nil {
		return jsonrpc2.NewNumberID(n)
	}
	var str string
	if json.Unmarshal(env.ID, &str) == nil {
		return jsonrpc2.NewStringID(str)
	}
	return jsonrpc2.ID{}
}

// indexFold is bytes.Index for a lowercase ASCII needle, ignoring case.
func indexFold(s []byte, lower string) int {
	for i := 0; i+len(lower) <= len(s); i++ {
		match := true
		for j := 0; j < len(lower); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}
