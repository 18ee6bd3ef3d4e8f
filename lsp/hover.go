package lsp

import (
	"context"
	"strings"
	"time"

	"go.lsp.dev/protocol"
)

// hover answers from the analysis of the document's current version; see
// the package comment for what happens while that analysis is pending.
// Positions outside the document, unopened files and places without a
// concurrency construct get null.
func (s *server) hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	key := docKey(p.TextDocument.URI)
	var deadline <-chan time.Time
	for {
		s.mu.Lock()
		doc := s.docs[key]
		if doc == nil || doc.path == "" || !isGoFile(doc.path) || doc.tooBig {
			s.mu.Unlock()
			return nil, nil
		}
		st := s.pkgs[keyOf(doc.path)]
		if st == nil {
			s.mu.Unlock()
			return nil, nil
		}
		if v, ok := st.versions[doc.path]; ok && v == doc.version {
			u, m, markdown, base := st.unitOf(doc.path), doc.m, s.caps.markdownHover, s.docsBaseLocked()
			s.mu.Unlock()
			if u == nil {
				return nil, nil
			}
			return hoverAt(u, doc.path, m, p.Position, markdown, base), nil
		}
		if !st.analysed || !st.running && !st.pending {
			// The first load is still running (never block behind it), or
			// the analysis of this version failed: nothing to wait for.
			s.mu.Unlock()
			return nil, nil
		}
		// Analyse now rather than after the debounce: someone is waiting.
		if !st.running {
			st.stopTimer()
			s.startLocked(st)
		}
		updated := st.updated
		s.mu.Unlock()
		if deadline == nil {
			t := time.NewTimer(s.opts.HoverWait)
			defer t.Stop()
			deadline = t.C
		}
		select {
		case <-updated:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline:
			return nil, nil
		}
	}
}

// hoverAt makes the hover card at a position of an analysed file.
func hoverAt(u *unit, path string, m *mapper, pos protocol.Position, markdown bool, base string) *protocol.Hover {
	off, err := m.offset(pos)
	if err != nil {
		return nil
	}
	h := u.res.Hover(path, off)
	if h == nil {
		return nil
	}
	text := strings.TrimRight(h.Markdown, "\n")
	if url, title := guideURL(base, h.Doc); url != "" {
		if markdown {
			text += "\n\n[Guide: " + escapeLinkText(title) + "](" + url + ")"
		} else {
			text += "\n\nGuide: " + title + " <" + url + ">"
		}
	}
	kind := protocol.MarkupKindMarkdown
	if !markdown {
		kind = protocol.MarkupKindPlainText
	}
	r := m.rangeOf(h.Start, h.End)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: text}, Range: &r}
}

// escapeLinkText escapes the characters that end a markdown link text.
func escapeLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}
