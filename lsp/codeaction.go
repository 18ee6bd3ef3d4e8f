package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/synclens/synclens/docs"
	"github.com/synclens/synclens/hints"
)

// cmdOpenGuide opens the guide section of a check in the editor. Its one
// argument is the section's anchor (a check's code).
const cmdOpenGuide = "synclens.openGuide"

// kindDoc is the kind of the "Open guide" actions: a source action, as
// gopls files its "Browse documentation" ones, so that it stays out of the
// Quick Fix menu (VS Code lists it under Source Action...; Neovim's
// vim.lsp.buf.code_action() lists every kind).
const kindDoc protocol.CodeActionKind = "source.doc"

// codeAction returns, for each published diagnostic in the range, its quick
// fixes (the first one preferred), its annotations as refactorings and an
// "Open guide" source action, then the fixes of fix-only checks whose range
// overlaps the request; each only if the request's kinds include it. The
// diagnostics come from what was published for the document's current
// version; if the document changed since, there are no actions until the
// next analysis, since the fixes' offsets would be wrong.
func (s *server) codeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	out := []protocol.CommandOrCodeAction{}
	wantFixes, wantDocs := wants(p.Context.Only, protocol.CodeActionKindQuickFix), wants(p.Context.Only, kindDoc)
	wantAnnotations := wants(p.Context.Only, protocol.CodeActionKindRefactorRewrite)
	if !wantFixes && !wantDocs && !wantAnnotations {
		return out, nil
	}
	s.mu.Lock()
	doc := s.docs[docKey(p.TextDocument.URI)]
	if doc == nil || doc.pub == nil || doc.pub.version != doc.version {
		s.mu.Unlock()
		return out, nil
	}
	pub, caps := doc.pub, s.caps
	target := editTarget{path: doc.path, uri: doc.uri, version: doc.version, m: doc.m}
	others := make(map[string]editTarget)
	for _, d := range s.docs {
		if d != doc && d.path != "" {
			others[d.path] = editTarget{path: d.path, uri: d.uri, version: d.version, m: d.m}
		}
	}
	s.mu.Unlock()

	quickfix, rewrite := protocol.CodeActionKindQuickFix, protocol.CodeActionKindRefactorRewrite
	annotations := make(map[string]bool) // offered once: the warnings of a struct share it
	for i, pd := range pub.diags {
		if !overlaps(pd.Range, p.Range) {
			continue
		}
		src := pub.src[i]
		preferred := true
		for _, fix := range src.Fixes {
			if fix.Annotation && (!wantAnnotations || annotations[fix.Title]) || !fix.Annotation && !wantFixes {
				continue
			}
			edit := workspaceEdit(fix, target, others, pub.pkg, caps.documentChanges)
			if edit == nil || !caps.codeActionLiterals {
				continue
			}
			if fix.Annotation {
				// The finding stays once the rule is written down: the
				// action resolves no diagnostic, so it names none and
				// stays out of the Quick Fix menu.
				out = append(out, &protocol.CodeAction{Title: fix.Title, Kind: &rewrite, Edit: edit})
				annotations[fix.Title] = true
				continue
			}
			a := &protocol.CodeAction{Title: fix.Title, Kind: &quickfix, Diagnostics: []protocol.Diagnostic{pd}, Edit: edit}
			if preferred {
				yes := true
				a.IsPreferred, preferred = &yes, false
			}
			out = append(out, a)
		}
		if !wantDocs {
			continue
		}
		title := "Open guide: " + guideTitle(src.Anchor())
		arg, _ := protocol.Marshal(src.Anchor())
		cmd := protocol.Command{Title: title, Command: cmdOpenGuide, Arguments: []protocol.LSPAny{arg}}
		if caps.codeActionLiterals {
			doc := kindDoc
			out = append(out, &protocol.CodeAction{Title: title, Kind: &doc, Diagnostics: []protocol.Diagnostic{pd}, Command: cmd})
		} else {
			out = append(out, &cmd)
		}
	}
	// Fix-only checks: their fixes apply wherever the cursor is in their
	// range, with no diagnostic to attach to.
	for i, a := range pub.actions {
		if !wantFixes || !overlaps(pub.actionRanges[i], p.Range) || !caps.codeActionLiterals {
			continue
		}
		for _, fix := range a.Fixes {
			if edit := workspaceEdit(fix, target, others, pub.pkg, caps.documentChanges); edit != nil {
				out = append(out, &protocol.CodeAction{Title: fix.Title, Kind: &quickfix, Edit: edit})
			}
		}
	}
	return out, nil
}

// wants reports whether the requested kinds include kind: no kinds, the
// empty kind, kind itself or a kind it is under ("source" for "source.doc").
func wants(only []protocol.CodeActionKind, kind protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if k == protocol.CodeActionKindEmpty || k == kind || strings.HasPrefix(string(kind), string(k)+".") {
			return true
		}
	}
	return false
}

// editTarget is a document an edit may apply to.
type editTarget struct {
	path    string
	uri     uri.URI
	version int32
	m       *mapper
}

// workspaceEdit converts a fix's byte edits into LSP edits, using the
// contents the fix was computed on. Versions pin the edit to the open
// documents it was computed for; files not open get a null version.
func workspaceEdit(fix hints.Fix, target editTarget, others map[string]editTarget, pkg *hints.Package, documentChanges bool) *protocol.WorkspaceEdit {
	var order []string
	byFile := make(map[string][]hints.Edit)
	for _, e := range fix.Edits {
		if _, ok := byFile[e.Filename]; !ok {
			order = append(order, e.Filename)
		}
		byFile[e.Filename] = append(byFile[e.Filename], e)
	}
	we := &protocol.WorkspaceEdit{}
	for _, file := range order {
		t, ok := target, file == target.path
		var version *int32
		if ok {
			version = &t.version
		} else {
			// Another file of the package: map with the contents analysed.
			analysed, err := pkg.Content(file)
			if err != nil {
				return nil
			}
			t = editTarget{path: file, uri: uri.File(file), m: newMapper(analysed)}
			if o, open := others[file]; open {
				if !bytes.Equal(o.m.content, analysed) {
					return nil // edited since the analysis
				}
				t.uri, t.version, version = o.uri, o.version, &o.version
			}
		}
		var edits []protocol.TextEdit
		for _, e := range byFile[file] {
			edits = append(edits, protocol.TextEdit{Range: t.m.rangeOf(e.Start, e.End), NewText: e.NewText})
		}
		if documentChanges {
			elems := make([]protocol.TextDocumentEditElement, len(edits))
			for i := range edits {
				elems[i] = &edits[i]
			}
			we.DocumentChanges = append(we.DocumentChanges, &protocol.TextDocumentEdit{
				TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: t.uri}, Version: version},
				Edits:        elems,
			})
		} else {
			if we.Changes == nil {
				we.Changes = make(map[uri.URI][]protocol.TextEdit)
			}
			we.Changes[t.uri] = append(we.Changes[t.uri], edits...)
		}
	}
	return we
}

// guideSectionOrCheck finds the section to open for an anchor: the section
// itself, or for a check whose section is not written yet, the check
// reference page.
func guideSectionOrCheck(anchor string) (docs.Section, bool) {
	if sec, ok := guideSection(anchor); ok {
		return sec, true
	}
	if hints.Lookup(anchor) != nil {
		if ref, ok := guideSection("check-reference"); ok {
			ref.Anchor = anchor
			return ref, true
		}
		return docs.Section{Page: "checks", Anchor: anchor, Title: anchor, Line: 1}, true
	}
	return docs.Section{}, false
}

func guideTitle(anchor string) string {
	if sec, ok := guideSection(anchor); ok {
		return sec.Title
	}
	return anchor
}

func (s *server) executeCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (any, error) {
	switch p.Command {
	case cmdOpenGuide:
		var anchor string
		if len(p.Arguments) != 1 || json.Unmarshal(p.Arguments[0], &anchor) != nil || anchor == "" {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "synclens: %s takes one argument, a guide anchor such as a check code", cmdOpenGuide)
		}
		return nil, s.openGuide(ctx, anchor)
	case cmdImportRace:
		return s.importRace(ctx, p.Arguments)
	case cmdClearRuntime:
		s.setEvidence(nil)
		return nil, nil
	default:
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "synclens: unknown command %q", p.Command)
	}
}

// openGuide asks the client to show the markdown of a guide section in the
// local copy of the guide, with the heading selected. That serves editors
// that do not follow codeDescription links (Neovim). A client without
// window/showDocument, or one that fails to show it, gets the section's
// address in a message instead. This runs in a request handler, never on
// the read loop, since showDocument is a call that waits for its reply.
func (s *server) openGuide(ctx context.Context, anchor string) error {
	sec, ok := guideSectionOrCheck(anchor)
	if !ok {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "synclens: the guide has no section %q", anchor)
	}
	s.mu.Lock()
	showDocument, base := s.caps.showDocument, s.docsBaseLocked()
	s.mu.Unlock()
	if showDocument {
		if dir, err := localGuideDir(); err == nil {
			md := filepath.Join(dir, sec.Page+".md")
			sel := headingRange(md, sec.Line)
			focus := true
			res, err := s.client.ShowDocument(ctx, &protocol.ShowDocumentParams{URI: uri.File(md), TakeFocus: &focus, Selection: &sel})
			switch {
			case err == nil && res != nil && res.Success:
				return nil
			case ctx.Err() != nil:
				return ctx.Err()
			default:
				s.log.Info("window/showDocument did not show the guide; sending its address", "error", err)
			}
		}
	}
	where := docs.URL(base, sec)
	if base == "" {
		where = sec.Page + ".md, line " + strconv.Itoa(sec.Line)
	}
	return s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeInfo, Message: "synclens guide, " + sec.Title + ": " + where})
}

// headingRange returns the range of a heading's line (1-based) in a file.
func headingRange(file string, line int) protocol.Range {
	l := uint32(max(line-1, 0))
	b, err := os.ReadFile(file)
	if err != nil {
		return protocol.Range{Start: protocol.Position{Line: l}, End: protocol.Position{Line: l}}
	}
	m := newMapper(b)
	if int(l) >= len(m.lines) {
		return protocol.Range{}
	}
	return m.rangeOf(m.lines[l], m.lineEnd(int(l)))
}
