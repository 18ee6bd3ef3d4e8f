package lsp

import (
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// A mapper converts between LSP positions and byte offsets for one version
// of a document's text. LSP positions count UTF-16 code units within a line
// (the only encoding synclens negotiates), while the analysis and go/token
// count bytes, so every position crossing the protocol goes through here.
//
// Lines end at "\n", "\r\n" or "\r", as the LSP specification says; the
// terminator is not part of the line for character counting.
type mapper struct {
	content []byte
	lines   []int // byte offset of the start of each line; lines[0] == 0
}

func newMapper(content []byte) *mapper {
	m := &mapper{content: content, lines: []int{0}}
	for i := 0; i < len(content); i++ {
		switch content[i] {
		case '\n':
			m.lines = append(m.lines, i+1)
		case '\r':
			if i+1 < len(content) && content[i+1] == '\n' {
				i++
			}
			m.lines = append(m.lines, i+1)
		}
	}
	return m
}

// lineEnd returns the byte offset just before the terminator of line l.
func (m *mapper) lineEnd(l int) int {
	if l+1 >= len(m.lines) {
		return len(m.content)
	}
	end := m.lines[l+1]
	if end > 0 && m.content[end-1] == '\n' {
		end--
	}
	if end > m.lines[l] && m.content[end-1] == '\r' {
		end--
	}
	return end
}

var errOutOfRange = errors.New("position out of range")

// offset returns the byte offset of p. A line past the end of the document
// is an error; a character past the end of its line means the end of the
// line, as the specification asks ("defaults back to the line length"). A
// character in the middle of a surrogate pair rounds down to the rune.
func (m *mapper) offset(p protocol.Position) (int, error) {
	if int64(p.Line) >= int64(len(m.lines)) {
		return 0, fmt.Errorf("%w: line %d, the document has %d lines", errOutOfRange, p.Line, len(m.lines))
	}
	l := int(p.Line)
	i, end := m.lines[l], m.lineEnd(l)
	units := uint32(0)
	for i < end && units < p.Character {
		r, size := utf8.DecodeRune(m.content[i:end])
		u := uint32(1)
		if r >= 0x10000 {
			u = 2
		}
		if units+u > p.Character {
			break
		}
		units += u
		i += size
	}
	return i, nil
}

// clampedOffset is offset for edits: a position past the end of the
// document means its end, which is what editors send when replacing
// everything up to "line count, 0".
func (m *mapper) clampedOffset(p protocol.Position) int {
	off, err := m.offset(p)
	if err != nil {
		return len(m.content)
	}
	return off
}

// position returns the LSP position of a byte offset (clamped to the text).
func (m *mapper) position(off int) protocol.Position {
	off = max(0, min(off, len(m.content)))
	l := sort.Search(len(m.lines), func(i int) bool { return m.lines[i] > off }) - 1
	start := m.lines[l]
	if end := m.lineEnd(l); off > end {
		off = end // inside a "\r\n": the end of the line
	}
	return protocol.Position{Line: uint32(l), Character: utf16Len(m.content[start:off])}
}

// rangeOf returns the LSP range of the byte offsets [start, end).
func (m *mapper) rangeOf(start, end int) protocol.Range {
	if end < start {
		end = start
	}
	return protocol.Range{Start: m.position(start), End: m.position(end)}
}

// utf16Len counts the UTF-16 code units of b. An invalid byte counts as one
// unit, as it does once an editor has decoded it to U+FFFD.
func utf16Len(b []byte) uint32 {
	n := uint32(0)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}

// applyChanges applies didChange content changes in order, each one to the
// result of the previous, as the specification requires.
func applyChanges(content []byte, changes []protocol.TextDocumentContentChangeEvent) ([]byte, error) {
	for _, c := range changes {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			content = []byte(c.Text)
		case *protocol.TextDocumentContentChangePartial:
			m := newMapper(content)
			start, end := m.clampedOffset(c.Range.Start), m.clampedOffset(c.Range.End)
			if end < start {
				return nil, fmt.Errorf("change range ends (%d:%d) before it starts (%d:%d)",
					c.Range.End.Line, c.Range.End.Character, c.Range.Start.Line, c.Range.Start.Character)
			}
			next := make([]byte, 0, len(content)-(end-start)+len(c.Text))
			next = append(next, content[:start]...)
			next = append(next, c.Text...)
			content = append(next, content[end:]...)
		default:
			return nil, fmt.Errorf("unknown content change %T", c)
		}
	}
	return content, nil
}

// before reports whether position a comes before b.
func before(a, b protocol.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
}

// overlaps reports whether two ranges share a position; touching ends count,
// so that a cursor right after a diagnostic still gets its actions.
func overlaps(a, b protocol.Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}
