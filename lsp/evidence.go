package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/evidence"
)

// Runtime evidence: workspace/executeCommand synclens.importRace reads a
// file of race detector reports or a goroutine leak profile (see package
// hints/evidence) and publishes one diagnostic per report at its line, next
// to the analysis's own, with the stacks as related information. The
// evidence of a file lasts until the next import, until
// synclens.clearRuntimeEvidence, or until the file is edited (its lines no
// longer are those of the run). Files that are not open get their evidence
// published alone.
const (
	cmdImportRace   = "synclens.importRace"
	cmdClearRuntime = "synclens.clearRuntimeEvidence"
)

// importArgs are the arguments of synclens.importRace: the report file,
// and optionally the module the reports come from (default: the module
// holding the report file, else the workspace root).
type importArgs struct {
	File string `json:"file"`
	Dir  string `json:"dir"`
}

// importResult is what synclens.importRace answers.
type importResult struct {
	Races   int      `json:"races"`
	Leaks   int      `json:"leaks"`
	Skipped int      `json:"skipped"` // reports with no frame in the module
	Static  int      `json:"static"`  // reports synclens also finds statically
	Files   []string `json:"files"`
}

func decodeImportArgs(args []protocol.LSPAny) (importArgs, bool) {
	var a importArgs
	if len(args) != 1 {
		return a, false
	}
	if json.Unmarshal(args[0], &a.File) != nil && json.Unmarshal(args[0], &a) != nil {
		return a, false
	}
	return a, a.File != ""
}

// importRace runs in a request handler (it loads and analyses packages).
func (s *server) importRace(ctx context.Context, args []protocol.LSPAny) (*importResult, error) {
	a, ok := decodeImportArgs(args)
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, `synclens: %s takes one argument, the report file's path or {"file": path, "dir": module directory}`, cmdImportRace)
	}
	f, err := os.Open(a.File)
	if err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "synclens: %v", err)
	}
	reports, err := evidence.Parse(f)
	f.Close()
	if err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "synclens: %s: %v", a.File, err)
	}
	dir := a.Dir
	if dir == "" {
		dir = s.moduleOf(filepath.Dir(a.File))
	}
	diags, skipped, err := hints.ImportEvidence(ctx, hints.EvidenceConfig{Dir: dir, Env: s.opts.Env, Static: true}, reports)
	if err != nil {
		return nil, err
	}
	res := &importResult{Skipped: skipped, Files: []string{}}
	byFile := make(map[string][]hints.Diagnostic)
	for _, d := range diags {
		// The static fix was computed on the file on disk; the analysis of
		// the open document offers it where synclens reports the finding.
		d.Fixes = nil
		if d.Code == hints.CodeRuntimeRace {
			res.Races++
		} else {
			res.Leaks++
		}
		if d.Static != "" {
			res.Static++
		}
		if _, ok := byFile[d.Pos.Filename]; !ok {
			res.Files = append(res.Files, d.Pos.Filename)
		}
		byFile[d.Pos.Filename] = append(byFile[d.Pos.Filename], d)
	}
	s.setEvidence(byFile)
	return res, nil
}

// moduleOf returns the directory of the go.mod above dir, else the
// workspace root, else dir.
func (s *server) moduleOf(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root != "" {
		return s.root
	}
	return dir
}

// setEvidence replaces all runtime evidence and publishes every file whose
// evidence changed.
func (s *server) setEvidence(byFile map[string][]hints.Diagnostic) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	touched := make(map[string]bool)
	for path := range s.evidence {
		touched[path] = true
	}
	for path := range byFile {
		touched[path] = true
	}
	s.evidence = byFile
	var out []*protocol.PublishDiagnosticsParams
	for _, path := range slices.Sorted(mapKeys(touched)) {
		if doc := s.docByPathLocked(path); doc != nil {
			if st := s.pkgs[keyOf(doc.path)]; st != nil {
				if v, ok := st.versions[doc.path]; ok && v == doc.version {
					out = append(out, s.diagnosticsLocked(st, doc))
				}
			}
			continue // its analysis publishes it
		}
		p := &protocol.PublishDiagnosticsParams{URI: s.uriOfLocked(path), Diagnostics: []protocol.Diagnostic{}}
		if b, err := os.ReadFile(path); err == nil {
			m := newMapper(b)
			for _, d := range byFile[path] {
				p.Diagnostics = append(p.Diagnostics, s.protocolDiagnosticLocked(d, m, s.docsBaseLocked(), s.fileMapper(nil)))
			}
		}
		out = append(out, p)
	}
	s.mu.Unlock()
	for _, p := range out {
		if err := s.client.PublishDiagnostics(s.ctx, p); err != nil {
			s.log.Warn("cannot publish diagnostics", "uri", p.URI, "error", err)
			return
		}
	}
}

func (s *server) docByPathLocked(path string) *document {
	for _, doc := range s.docs {
		if doc.path == path {
			return doc
		}
	}
	return nil
}
