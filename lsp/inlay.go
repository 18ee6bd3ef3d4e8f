package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/synclens/synclens/hints"
)

// inlayHint answers textDocument/inlayHint from the analysis of the
// document's current version (waiting for it as hover does). The hints
// themselves come from hints.Result.InlayHints; this only converts them.
// Nothing to show is an empty list, not null, so that clients clear hints
// left from an earlier version.
func (s *server) inlayHint(ctx context.Context, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	cur, err := s.current(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	out := []protocol.InlayHint{}
	if cur == nil {
		return out, nil
	}
	start, end := cur.m.clampedOffset(p.Range.Start), cur.m.clampedOffset(p.Range.End)
	if end == len(cur.m.content) {
		end++ // a hint at the very end of the document is in a range ending there
	}
	yes := true
	for _, h := range cur.u.res.InlayHints(cur.path, start, end, cur.cfg.inlayEnabled) {
		hint := protocol.InlayHint{
			Position:    cur.m.position(h.Offset),
			Label:       protocol.String(h.Label),
			PaddingLeft: &yes,
		}
		tip := h.Tooltip
		if url, title := guideURL(cur.base, h.Doc); url != "" {
			if cur.markdown {
				tip += "\n\n[Guide: " + escapeLinkText(title) + "](" + url + ")"
			} else {
				tip += "\n\nGuide: " + title + " <" + url + ">"
			}
		}
		if cur.markdown {
			hint.Tooltip = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: tip}
		} else {
			hint.Tooltip = protocol.String(tip)
		}
		out = append(out, hint)
	}
	return out, nil
}

// refreshInlayHints asks the client to request inlay hints again (after a
// settings change, or when the first analysis of a package completes and
// the hints it asked for on open were empty). Never call it from the read
// loop: it is a request.
func (s *server) refreshInlayHints() {
	s.mu.Lock()
	ok := s.caps.inlayRefresh
	s.mu.Unlock()
	if !ok {
		return
	}
	if err := s.client.InlayHintRefresh(s.ctx); err != nil {
		s.log.Debug("workspace/inlayHint/refresh failed", "error", err)
	}
}

// inlaySetting names each kind of inlay hint in the settings.
var inlaySetting = map[hints.InlayKind]string{
	hints.InlayLocks:   "heldLocks",
	hints.InlayJoins:   "goroutineJoins",
	hints.InlayChanCap: "channelCapacity",
}
