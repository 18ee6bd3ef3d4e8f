package datarace

import (
	"bytes"
	"go/format"
	"sort"

	"golang.org/x/tools/go/analysis"
)

// A fix that lengthens a line can end gofmt's alignment of the comments
// beside it and of the fields around it (x.n++ // ... becoming
// x.n.Add(1) // ...). Editors and synclens check -fix apply edits as they
// are, so a fix also makes the white space gofmt realigns: the fixed file
// is as gofmt-clean as it was.

// formatted returns edits that take each file from its source to the
// source with edits applied and gofmt'd: edits, with the white space
// around them that gofmt changes. Files that were not gofmt-clean, or
// that gofmt changes beyond white space, keep their edits as they are.
func formatted(pass *analysis.Pass, edits []analysis.TextEdit) []analysis.TextEdit {
	byFile := make(map[string][]analysis.TextEdit)
	var names []string
	for _, e := range edits {
		name := pass.Fset.File(e.Pos).Name()
		if byFile[name] == nil {
			names = append(names, name)
		}
		byFile[name] = append(byFile[name], e)
	}
	var out []analysis.TextEdit
	for _, name := range names {
		out = append(out, formatFile(pass, name, byFile[name])...)
	}
	return out
}

// span is an edit in byte offsets: src[start:end] becomes text.
type span struct {
	start, end int
	text       string
}

func formatFile(pass *analysis.Pass, name string, edits []analysis.TextEdit) []analysis.TextEdit {
	tf := pass.Fset.File(edits[0].Pos)
	src, err := pass.ReadFile(name)
	if err != nil {
		return edits
	}
	if clean, err := format.Source(src); err != nil || !bytes.Equal(clean, src) {
		return edits // not gofmt-clean before: the fix need not make it so
	}
	var es []span
	for _, e := range edits {
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		es = append(es, span{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].start < es[j].start })
	// The fixed source, and where each edit's text is in it.
	var fixed []byte
	var at []span // the edits in fixed's offsets (text unused)
	last := 0
	for _, e := range es {
		if e.start < last {
			return edits // overlapping: not for this function to sort out
		}
		fixed = append(fixed, src[last:e.start]...)
		at = append(at, span{start: len(fixed)})
		fixed = append(fixed, e.text...)
		at[len(at)-1].end = len(fixed)
		last = e.end
	}
	fixed = append(fixed, src[last:]...)
	want, err := format.Source(fixed)
	if err != nil || bytes.Equal(want, fixed) {
		return edits
	}
	ws, ok := whiteSpaceDiff(fixed, want)
	if !ok {
		return edits
	}
	// The regions of fixed to replace: the edits' texts and the white
	// space gofmt changes, merged where they meet.
	type region struct {
		start, end int
		edits      []int // indexes in es of the edits inside
	}
	var regions []region
	for i, a := range at {
		regions = append(regions, region{a.start, a.end, []int{i}})
	}
	for _, w := range ws {
		regions = append(regions, region{start: w.start, end: w.end})
	}
	sort.SliceStable(regions, func(i, j int) bool { return regions[i].start < regions[j].start })
	var merged []region
	for _, r := range regions {
		if n := len(merged); n > 0 && r.start <= merged[n-1].end {
			m := &merged[n-1]
			m.end = max(m.end, r.end)
			m.edits = append(m.edits, r.edits...)
			continue
		}
		merged = append(merged, r)
	}
	// Offsets of fixed in want: shifted by the white space changes
	// before them (a region boundary is never inside one).
	toWant := func(p int) int {
		d := 0
		for _, w := range ws {
			if w.end <= p {
				d += len(w.text) - (w.end - w.start)
			}
		}
		return p + d
	}
	// Offsets of fixed in src: an edit's own bounds at its text's (an edit
	// that meets a region is in it), else shifted by the edits before.
	toSrc := func(p int, end bool) int {
		d := 0
		for i, a := range at {
			switch {
			case !end && a.start == p:
				return es[i].start
			case end && a.end == p:
				return es[i].end
			case a.end <= p:
				d += len(es[i].text) - (es[i].end - es[i].start)
			}
		}
		return p - d
	}
	var out []analysis.TextEdit
	for _, r := range merged {
		s, e := toSrc(r.start, false), toSrc(r.end, true)
		out = append(out, analysis.TextEdit{Pos: tf.Pos(s), End: tf.Pos(e), NewText: want[toWant(r.start):toWant(r.end)]})
	}
	return out
}

// whiteSpaceDiff lists the runs of white space of a that b has otherwise
// (with b's text), when a and b differ only in white space.
func whiteSpaceDiff(a, b []byte) ([]span, bool) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	var out []span
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		i0, j0 := i, j
		for i < len(a) && isSpace(a[i]) {
			i++
		}
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if !bytes.Equal(a[i0:i], b[j0:j]) {
			out = append(out, span{i0, i, string(b[j0:j])})
		}
		if i == len(a) || j == len(b) {
			if i != len(a) || j != len(b) {
				return nil, false
			}
			break
		}
		if a[i] != b[j] {
			return nil, false
		}
		i++
		j++
	}
	return out, true
}
