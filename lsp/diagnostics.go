package lsp

import (
	"os"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/synclens/synclens/hints"
)

// published is what was last published for a document: the protocol
// diagnostics and the findings behind them, for code actions.
type published struct {
	version int32
	diags   []protocol.Diagnostic
	src     []hints.Diagnostic
	pkg     *hints.Package // the analysed package (contents of other files)
	// Fix-only findings (hints.Check.FixOnly) of the document: offered as
	// code actions over their range, never published as diagnostics.
	actions      []hints.Diagnostic
	actionRanges []protocol.Range
}

// publish sends the diagnostics of st's last analysis for every open file
// the key owns whose version is still the analysed one. A file of the key
// that is in none of its packages gets an empty list, which clears it.
func (s *server) publish(st *pkgState) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	var out []*protocol.PublishDiagnosticsParams
	if !st.closed {
		for _, doc := range s.docs {
			if doc.path == "" || !isGoFile(doc.path) || keyOf(doc.path) != st.key {
				continue
			}
			if v, ok := st.versions[doc.path]; !ok || v != doc.version {
				continue // edited since: the next run publishes it
			}
			out = append(out, s.diagnosticsLocked(st, doc))
		}
	}
	s.mu.Unlock()
	for _, p := range out {
		if err := s.client.PublishDiagnostics(s.ctx, p); err != nil {
			s.log.Warn("cannot publish diagnostics", "uri", p.URI, "error", err)
			return
		}
	}
}

// republishAll publishes every analysed package again from its last
// analysis, after the configuration changed (a check disabled, a new docs
// URL): nothing is analysed again.
func (s *server) republishAll() {
	s.mu.Lock()
	var states []*pkgState
	for _, st := range s.pkgs {
		if st.analysed {
			states = append(states, st)
		}
	}
	s.mu.Unlock()
	for _, st := range states {
		s.publish(st)
	}
	s.refreshInlayHints()
}

// diagnosticsLocked converts the findings for doc from st's analysis and
// records them as published.
func (s *server) diagnosticsLocked(st *pkgState, doc *document) *protocol.PublishDiagnosticsParams {
	p := &protocol.PublishDiagnosticsParams{URI: doc.uri, Diagnostics: []protocol.Diagnostic{}}
	if s.caps.versionSupport {
		p.Version = protocol.NewOptional(doc.version)
	}
	pub := &published{version: doc.version}
	doc.pub = pub
	u := st.unitOf(doc.path)
	if u == nil || doc.tooBig {
		return p
	}
	pub.pkg = u.pkg
	base := s.docsBaseLocked()
	mapperOf := s.fileMapper(u.pkg)
	for _, d := range u.res.Diagnostics {
		if d.Pos.Filename != doc.path || !s.cfg.enabled(d.Code) {
			continue
		}
		pd := s.protocolDiagnosticLocked(d, doc.m, base, mapperOf)
		p.Diagnostics = append(p.Diagnostics, pd)
		pub.diags = append(pub.diags, pd)
		pub.src = append(pub.src, d)
	}
	for _, d := range s.evidence[doc.path] {
		pd := s.protocolDiagnosticLocked(d, doc.m, base, mapperOf)
		p.Diagnostics = append(p.Diagnostics, pd)
		pub.diags = append(pub.diags, pd)
		pub.src = append(pub.src, d)
	}
	// A function being edited is left out until it type-checks: say that
	// its warnings are paused rather than let them vanish. No code actions
	// go with these (they are not in pub).
	for _, f := range u.res.Paused {
		if f.Pos.Filename == doc.path {
			p.Diagnostics = append(p.Diagnostics, protocol.Diagnostic{
				Range:    doc.m.rangeOf(f.Pos.Offset, f.End.Offset),
				Severity: protocol.DiagnosticSeverityHint,
				Source:   protocol.NewOptional("synclens"),
				Message:  protocol.String(f.Func + " does not type-check: synclens's concurrency warnings for it are paused until it does"),
			})
		}
	}
	// Why hints may be missing: the package does not type-check, or the
	// type checker crashed on it.
	for _, n := range u.res.Notes() {
		if n.Pos.Filename == doc.path {
			p.Diagnostics = append(p.Diagnostics, protocol.Diagnostic{
				Range:    doc.m.rangeOf(n.Pos.Offset, n.End.Offset),
				Severity: protocol.DiagnosticSeverity(n.Severity),
				Source:   protocol.NewOptional("synclens"),
				Message:  protocol.String(n.Message),
			})
		}
	}
	for _, a := range u.res.Actions {
		if a.Pos.Filename == doc.path && s.cfg.enabled(a.Code) {
			pub.actions = append(pub.actions, a)
			pub.actionRanges = append(pub.actionRanges, doc.m.rangeOf(a.Pos.Offset, a.End.Offset))
		}
	}
	return p
}

// fileMapper returns a function giving the mapper of a file: its contents
// as pkg analysed them, else on disk; nil when unreadable.
func (s *server) fileMapper(pkg *hints.Package) func(string) *mapper {
	mappers := make(map[string]*mapper)
	return func(file string) *mapper {
		if m, ok := mappers[file]; ok {
			return m
		}
		var m *mapper
		if pkg != nil {
			if b, err := pkg.Content(file); err == nil {
				m = newMapper(b)
			}
		}
		if m == nil {
			if b, err := os.ReadFile(file); err == nil {
				m = newMapper(b)
			}
		}
		mappers[file] = m
		return m
	}
}

// protocolDiagnosticLocked converts a finding in the file m maps.
func (s *server) protocolDiagnosticLocked(d hints.Diagnostic, m *mapper, base string, mapperOf func(string) *mapper) protocol.Diagnostic {
	pd := protocol.Diagnostic{
		Range:    m.rangeOf(d.Pos.Offset, d.End.Offset),
		Severity: protocol.DiagnosticSeverity(d.Severity),
		Code:     protocol.String(d.Code),
		Source:   protocol.NewOptional("synclens"),
		Message:  protocol.String(d.Message),
	}
	if href, _ := guideURL(base, d.Anchor()); href != "" && s.caps.codeDescription {
		pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(href)}
	}
	if s.caps.relatedInformation {
		for _, r := range d.Related {
			rm := mapperOf(r.Pos.Filename)
			if rm == nil {
				continue
			}
			pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: s.uriOfLocked(r.Pos.Filename), Range: rm.rangeOf(r.Pos.Offset, r.End.Offset)},
				Message:  r.Message,
			})
		}
	}
	return pd
}

// uriOfLocked returns the URI the client uses for a file: the one it opened
// the file with, or the file URI of the path.
func (s *server) uriOfLocked(path string) uri.URI {
	for _, doc := range s.docs {
		if doc.path == path {
			return doc.uri
		}
	}
	return uri.File(path)
}
