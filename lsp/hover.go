package lsp

import (
	"context"
	"strings"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// hover answers from the analysis of the document's current version; see
// the package comment for what happens while that analysis is pending.
// Positions outside the document, unopened files and places without a
// concurrency construct get null.
func (s *server) hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	cur, err := s.current(ctx, p.TextDocument.URI)
	if cur == nil || err != nil {
		return nil, err
	}
	return hoverAt(cur.u, cur.path, cur.m, p.Position, cur.markdown, cur.base), nil
}

// analysed is the analysis of a document's current version, with what
// requests need to answer from it.
type analysed struct {
	u        *unit
	path     string
	m        *mapper
	markdown bool   // the client renders markdown
	base     string // guide links
	cfg      config
}

// current returns the analysis of the document's current version. If the
// document was edited since its last analysis, it starts that analysis at
// once (skipping the debounce: someone is waiting) and waits for it, up to
// Options.HoverWait or until ctx ends. It returns nil when there is nothing
// to answer from: an unopened or non-Go document, a first load still
// running (never block behind it), a failed analysis, or a timeout.
func (s *server) current(ctx context.Context, u uri.URI) (*analysed, error) {
	key := docKey(u)
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
			a := &analysed{u: st.unitOf(doc.path), path: doc.path, m: doc.m, markdown: s.caps.markdownHover, base: s.docsBaseLocked(), cfg: s.cfg}
			s.mu.Unlock()
			if a.u == nil {
				return nil, nil
			}
			return a, nil
		}
		if !st.analysed || !st.running && !st.pending {
			s.mu.Unlock()
			return nil, nil
		}
		s.runNowLocked(st) // a running worker goes on with it, debounce or not
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
