package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// document is an open text document: the client's version of it, which
// overrides the file on disk until it is closed.
type document struct {
	uri     uri.URI // as the client sent it in didOpen; used to publish
	path    string  // canonical file path; "" for non-file URIs
	version int32
	content []byte
	m       *mapper
	tooBig  bool

	// pub is what was last published for the document (for code actions).
	pub *published
}

// docKey normalizes a document URI, so that the differently escaped
// spellings of one file ("c%3A" and "c:") find the same document.
func docKey(u uri.URI) uri.URI {
	if u.IsFile() {
		if p := u.FsPath(); p != "" {
			return uri.File(filepath.Clean(p))
		}
	}
	return u
}

// canonicalPath returns the path go list would report for a file: cleaned,
// with symbolic links in its directory resolved (the file itself may not
// exist yet).
func canonicalPath(p string) string {
	p = filepath.Clean(p)
	if dir, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(dir, filepath.Base(p))
	}
	return p
}

// isGoFile reports whether a path is Go source that synclens analyses.
func isGoFile(p string) bool { return strings.HasSuffix(p, ".go") }

// isModFile reports whether a path is a module file whose change makes every
// load stale.
func isModFile(p string) bool {
	switch filepath.Base(p) {
	case "go.mod", "go.sum", "go.work", "go.work.sum":
		return true
	}
	return false
}

func (s *server) didOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	td := p.TextDocument
	doc := &document{uri: td.URI, version: td.Version, content: []byte(td.Text)}
	doc.m = newMapper(doc.content)
	if td.URI.IsFile() {
		doc.path = canonicalPath(td.URI.FsPath())
	}
	analyse := doc.path != "" && isGoFile(doc.path)
	if analyse && len(doc.content) > s.opts.MaxFileSize {
		doc.tooBig, analyse = true, false
		s.showOnce(protocol.MessageTypeWarning, "synclens: %s is %d MiB, more than the %d MiB synclens analyses; it gets no hints",
			filepath.Base(doc.path), len(doc.content)>>20, s.opts.MaxFileSize>>20)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[docKey(td.URI)] = doc
	switch {
	case doc.path != "" && isModFile(doc.path):
		s.invalidateAllLocked(true)
	case analyse:
		own := keyOf(doc.path)
		if s.pkgs[own] == nil {
			s.pkgs[own] = newPkgState(own)
		}
		for key, st := range s.pkgs {
			// A non-test file is part of the test variants too.
			if key.dir != own.dir || key != own && own.test {
				continue
			}
			if !st.has(doc.path) {
				st.needLoad = true // a file the last load did not see
			}
			// No debounce for the file's own package: the user is waiting
			// for its first results.
			delay := s.opts.Debounce
			if key == own {
				delay = 0
			}
			s.scheduleLocked(st, delay)
		}
	}
	return nil
}

func (s *server) didChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	warn, err := s.applyChange(p)
	if warn != "" {
		s.showOnce(protocol.MessageTypeWarning, "%s", warn)
	}
	return err
}

// applyChange updates the document and schedules its packages. It returns
// a message for the user, if any.
func (s *server) applyChange(p *protocol.DidChangeTextDocumentParams) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.docs[docKey(p.TextDocument.URI)]
	if doc == nil {
		return "", fmt.Errorf("didChange for %s, which is not open", p.TextDocument.URI)
	}
	content, err := applyChanges(doc.content, p.ContentChanges)
	if err != nil {
		// Our text and the client's no longer agree: every position would
		// be wrong from here on. Closing and reopening the file recovers.
		return fmt.Sprintf("synclens: cannot apply an edit to %s (%v); close and reopen the file", doc.uri, err), err
	}
	doc.content, doc.m, doc.version = content, newMapper(content), p.TextDocument.Version
	if doc.path == "" || !isGoFile(doc.path) {
		return "", nil // go.mod edits take effect when saved
	}
	// Runtime evidence names lines of the file as it ran; after an edit
	// they may be other lines.
	delete(s.evidence, doc.path)
	warn := ""
	if big := len(content) > s.opts.MaxFileSize; big != doc.tooBig {
		doc.tooBig = big
		if big {
			warn = fmt.Sprintf("synclens: %s is now more than %d MiB; it gets no hints", filepath.Base(doc.path), s.opts.MaxFileSize>>20)
		}
	}
	s.touchLocked(doc.path)
	return warn, nil
}

// touchLocked schedules the analysis of the packages an edited file takes
// part in: its own package at once, and, for a non-test file, the test
// variants of its directory (which import it) after the debounce.
func (s *server) touchLocked(path string) {
	own := keyOf(path)
	for key, st := range s.pkgs {
		switch {
		case key == own:
			s.scheduleLocked(st, 0)
		case key.dir == own.dir && !own.test:
			s.scheduleLocked(st, s.opts.Debounce)
		}
	}
	s.ensureStatesLocked(own)
}

// ensureStatesLocked makes the package states missing for the open Go files
// of own's directory and schedules them: own at once, the others after the
// debounce.
func (s *server) ensureStatesLocked(own pkgKey) {
	dir := own.dir
	// A document whose package state was dropped (or never made, for a
	// file that was too big) gets one now.
	for _, doc := range s.docs {
		if doc.path == "" || filepath.Dir(doc.path) != dir || !isGoFile(doc.path) || doc.tooBig {
			continue
		}
		key := keyOf(doc.path)
		if s.pkgs[key] == nil {
			st := newPkgState(key)
			s.pkgs[key] = st
			delay := s.opts.Debounce
			if key == own {
				delay = 0
			}
			s.scheduleLocked(st, delay)
		}
	}
}

func (s *server) didSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.docs[docKey(p.TextDocument.URI)]
	if doc == nil || doc.path == "" {
		return nil
	}
	if isModFile(doc.path) {
		s.invalidateAllLocked(true)
		return nil
	}
	// Packages of other directories may import this one: their imported
	// types are now stale. Reload them when they are next analysed, rather
	// than run go list for every open package on every save.
	dir := filepath.Dir(doc.path)
	for key, st := range s.pkgs {
		if key.dir != dir {
			st.needLoad = true
		}
	}
	return nil
}

func (s *server) didClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	k := docKey(p.TextDocument.URI)
	doc := s.docs[k]
	if doc == nil {
		s.mu.Unlock()
		return fmt.Errorf("didClose for %s, which is not open", p.TextDocument.URI)
	}
	delete(s.docs, k)
	if doc.path != "" && isGoFile(doc.path) {
		dir := filepath.Dir(doc.path)
		// Drop the state of packages with no open file left; the others
		// now see the file on disk instead of the closed buffer.
		for key, st := range s.pkgs {
			if key.dir != dir {
				continue
			}
			if s.ownsOpenDocLocked(key) {
				s.scheduleLocked(st, s.opts.Debounce)
			} else {
				st.close()
				delete(s.pkgs, key)
			}
		}
	}
	s.mu.Unlock()
	// Clear its diagnostics: the client keeps showing them otherwise.
	return s.client.PublishDiagnostics(s.ctx, &protocol.PublishDiagnosticsParams{URI: doc.uri, Diagnostics: []protocol.Diagnostic{}})
}

func (s *server) didChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range p.Changes {
		if !ev.URI.IsFile() {
			continue
		}
		path := canonicalPath(ev.URI.FsPath())
		switch {
		case isModFile(path):
			s.invalidateAllLocked(true)
		case isGoFile(path):
			if doc := s.docs[docKey(ev.URI)]; doc != nil && ev.Type == protocol.FileChangeTypeChanged {
				continue // the open buffer is what counts
			}
			dir := filepath.Dir(path)
			for key, st := range s.pkgs {
				st.needLoad = true // a file of the package, or of a dependency
				if key.dir == dir {
					s.scheduleLocked(st, s.opts.Debounce)
				}
			}
		}
	}
	return nil
}

// invalidateAllLocked makes every package load again (go.mod changed).
func (s *server) invalidateAllLocked(schedule bool) {
	for _, st := range s.pkgs {
		st.needLoad = true
		st.stuckImports = ""
		if schedule {
			s.scheduleLocked(st, s.opts.Debounce)
		}
	}
}

// ownsOpenDocLocked reports whether a package key owns an open document.
func (s *server) ownsOpenDocLocked(key pkgKey) bool {
	for _, doc := range s.docs {
		if doc.path != "" && isGoFile(doc.path) && keyOf(doc.path) == key {
			return true
		}
	}
	return false
}

// dirDocsLocked returns the open Go documents of a directory.
func (s *server) dirDocsLocked(dir string) []*document {
	var out []*document
	for _, doc := range s.docs {
		if doc.path != "" && isGoFile(doc.path) && filepath.Dir(doc.path) == dir {
			out = append(out, doc)
		}
	}
	return out
}
