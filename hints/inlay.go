package hints

import (
	"go/token"

	"github.com/synclens/synclens/hints/explain"
)

// InlayKind is a kind of inlay hint (see the constants).
type InlayKind = explain.InlayKind

// Kinds of inlay hints.
const (
	// InlayLocks labels a statement with the locks held once it has run:
	// "🔒 c.mu". Off by default.
	InlayLocks = explain.InlayLocks
	// InlayJoins labels a statement starting a goroutine with what waits
	// for it, "joined by wg.Wait() :48", or "not joined". On by default.
	InlayJoins = explain.InlayJoins
	// InlayChanCap labels make(chan T, n) with the capacity when n is not a
	// literal and its value is known: "cap 4". On by default.
	InlayChanCap = explain.InlayChanCap
)

// InlayKinds lists every kind of inlay hint.
var InlayKinds = []InlayKind{InlayLocks, InlayJoins, InlayChanCap}

// InlayDefault reports whether a kind of inlay hint is shown unless the
// user turns it off.
func InlayDefault(k InlayKind) bool { return k != InlayLocks }

// InlayHint is a label shown inline in the source.
type InlayHint struct {
	Kind    InlayKind
	Offset  int // byte offset in the file: the label goes just before it
	Label   string
	Tooltip string // markdown
	Doc     string // guide anchor
}

// InlayHints returns the inlay hints of the enabled kinds whose position is
// in the byte range [start, end) of a file of the package, in order. They
// come from the model the analysis built: no analysis runs.
func (r *Result) InlayHints(filename string, start, end int, enabled func(InlayKind) bool) []InlayHint {
	f, tf := r.modelFile(filename)
	if f == nil {
		return nil
	}
	start, end = max(0, start), min(end, tf.Size()+1)
	if start >= end {
		return nil
	}
	// A position at the very end of the file (a last line without a
	// newline) is tf.Base()+Size, which tf.Pos accepts.
	lo, hi := tf.Pos(start), token.Pos(tf.Base()+end)
	var out []InlayHint
	for _, h := range explain.Inlays(r.Model, f, lo, hi, enabled) {
		out = append(out, InlayHint{Kind: h.Kind, Offset: tf.Offset(h.Pos), Label: h.Label, Tooltip: h.Tooltip, Doc: h.Doc})
	}
	return out
}
