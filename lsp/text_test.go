package lsp

import (
	"testing"

	"go.lsp.dev/protocol"
)

func TestMapper(t *testing.T) {
	// "é" is 2 bytes and 1 UTF-16 unit; "🎉" is 4 bytes and 2 units.
	text := "ab\né🎉x\r\ny\rz"
	m := newMapper([]byte(text))
	for _, tc := range []struct {
		line, char uint32
		off        int
	}{
		{0, 0, 0}, {0, 2, 2}, {0, 9, 2}, // past the line's end: its end
		{1, 0, 3}, {1, 1, 5}, {1, 2, 5}, // inside the surrogate pair: before the emoji
		{1, 3, 9}, {1, 4, 10}, {1, 5, 10},
		{2, 0, 12}, {2, 1, 13},
		{3, 0, 14}, {3, 1, 15},
	} {
		off, err := m.offset(protocol.Position{Line: tc.line, Character: tc.char})
		if err != nil || off != tc.off {
			t.Errorf("offset(%d:%d) = %d, %v; want %d", tc.line, tc.char, off, err, tc.off)
		}
	}
	if _, err := m.offset(protocol.Position{Line: 4}); err == nil {
		t.Error("offset of a line past the end: no error")
	}
	if got := m.clampedOffset(protocol.Position{Line: 99}); got != len(text) {
		t.Errorf("clampedOffset past the end = %d, want %d", got, len(text))
	}
	for _, tc := range []struct {
		off        int
		line, char uint32
	}{
		{0, 0, 0}, {2, 0, 2}, {3, 1, 0}, {5, 1, 1}, {9, 1, 3}, {10, 1, 4},
		{11, 1, 4}, // between "\r" and "\n": end of line 1
		{12, 2, 0}, {14, 3, 0}, {15, 3, 1}, {99, 3, 1},
	} {
		if got := m.position(tc.off); got != (protocol.Position{Line: tc.line, Character: tc.char}) {
			t.Errorf("position(%d) = %d:%d, want %d:%d", tc.off, got.Line, got.Character, tc.line, tc.char)
		}
	}
	if got := utf16Len([]byte("a\xffé🎉")); got != 5 {
		t.Errorf("utf16Len with an invalid byte = %d, want 5", got)
	}
}

func TestApplyChanges(t *testing.T) {
	r := func(l1, c1, l2, c2 uint32) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
	}
	got, err := applyChanges([]byte("héllo\nwörld\n"), []protocol.TextDocumentContentChangeEvent{
		&protocol.TextDocumentContentChangePartial{Range: r(0, 1, 0, 2), Text: "e"},     // é → e
		&protocol.TextDocumentContentChangePartial{Range: r(1, 5, 1, 5), Text: " 🎉"},    // after "wörld"
		&protocol.TextDocumentContentChangePartial{Range: r(1, 8, 1, 8), Text: "!"},     // after the emoji (2 units)
		&protocol.TextDocumentContentChangePartial{Range: r(2, 0, 9, 0), Text: "end\n"}, // past the end: clamped
	})
	if want := "hello\nwörld 🎉!\nend\n"; err != nil || string(got) != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	got, err = applyChanges([]byte("x"), []protocol.TextDocumentContentChangeEvent{
		&protocol.TextDocumentContentChangeWholeDocument{Text: "whole"},
		&protocol.TextDocumentContentChangePartial{Range: r(0, 0, 0, 1), Text: "W"},
	})
	if string(got) != "Whole" || err != nil {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := applyChanges([]byte("ab"), []protocol.TextDocumentContentChangeEvent{
		&protocol.TextDocumentContentChangePartial{Range: r(0, 2, 0, 1)},
	}); err == nil {
		t.Error("inverted range: no error")
	}
}
