// Package hints holds synclens's analyses and everything built on them that
// is independent of the editor protocol: the registry of checks, loading and
// type-checking packages, running the checks, and the hover explanations.
//
// The language server (package lsp) and the command line call this package;
// it never imports either of them.
package hints

import (
	"go/token"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints/blockinglock"
	"github.com/synclens/synclens/hints/chanleak"
	"github.com/synclens/synclens/hints/closedchan"
	"github.com/synclens/synclens/hints/concurrentmap"
	"github.com/synclens/synclens/hints/condmisuse"
	"github.com/synclens/synclens/hints/copiedlock"
	"github.com/synclens/synclens/hints/datarace"
	"github.com/synclens/synclens/hints/doublelock"
	"github.com/synclens/synclens/hints/goroutineleak"
	"github.com/synclens/synclens/hints/guardedby"
	"github.com/synclens/synclens/hints/lockorder"
	"github.com/synclens/synclens/hints/lockstarvation"
	"github.com/synclens/synclens/hints/loopcapture"
	"github.com/synclens/synclens/hints/lostcancel"
	"github.com/synclens/synclens/hints/mixedatomic"
	"github.com/synclens/synclens/hints/rlockrecursion"
	"github.com/synclens/synclens/hints/sharedcapture"
	"github.com/synclens/synclens/hints/unreleasedlock"
	"github.com/synclens/synclens/hints/waitgroupmisuse"
)

// Severity of a diagnostic, in the order of the LSP's DiagnosticSeverity.
type Severity int

const (
	SeverityError Severity = iota + 1
	SeverityWarning
	SeverityInformation
	SeverityHint
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInformation:
		return "info"
	case SeverityHint:
		return "hint"
	}
	return "unknown"
}

// Check is one synclens check: an analyzer whose name is the stable
// diagnostic code and the anchor of its section in the guide.
type Check struct {
	Analyzer *analysis.Analyzer
	Severity Severity
	// Default is whether the check runs unless disabled.
	Default bool
	// FixOnly is set for a check that shows no warning of its own: each of
	// its diagnostics carries a quick fix for a finding that another tool
	// already reports (copiedlock adds a fix to go vet's copylocks).
	// Analyze returns them in Result.Actions instead of Result.Diagnostics,
	// so that synclens check prints nothing for them. A language server
	// offers each one's fixes as code actions of kind "quickfix" when a
	// textDocument/codeAction request's range overlaps the action's range
	// (Pos to End), whether or not the request's context lists a
	// diagnostic there, and publishes nothing for it.
	FixOnly bool
	// Annotates is set for a check whose fixes write down the rule it
	// inferred (guardedby's // +checklocks:mu) instead of resolving the
	// finding, which stays, now citing the written rule. Their Fix has
	// Annotation set: a language server offers them as refactorings
	// (kind "refactor.rewrite", resolving no diagnostic), never as the
	// preferred quick fix, and synclens check -fix leaves them alone.
	Annotates bool
}

// Code is the check's stable diagnostic code.
func (c *Check) Code() string { return c.Analyzer.Name }

// checks lists every check in the order of the guide's check reference.
var checks = []*Check{
	{Analyzer: unreleasedlock.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: doublelock.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: rlockrecursion.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: lockorder.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: blockinglock.Analyzer, Severity: SeverityWarning, Default: true},
	// lockstarvation is about latency, not correctness, and on code it
	// was not written against it found no bug (README, Precision): on
	// request only.
	{Analyzer: lockstarvation.Analyzer, Severity: SeverityInformation, Default: false},
	{Analyzer: sharedcapture.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: concurrentmap.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: mixedatomic.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: guardedby.Analyzer, Severity: SeverityWarning, Default: true, Annotates: true},
	// datarace is new: on the real-world corpus it has found no real race
	// yet, and what it reported was ordered by something the interleaving
	// engine does not see (README, Precision). On request until it earns
	// its place.
	{Analyzer: datarace.Analyzer, Severity: SeverityWarning, Default: false},
	{Analyzer: loopcapture.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: copiedlock.Analyzer, Severity: SeverityHint, Default: true, FixOnly: true},
	{Analyzer: chanleak.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: goroutineleak.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: closedchan.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: waitgroupmisuse.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: condmisuse.Analyzer, Severity: SeverityWarning, Default: true},
	{Analyzer: lostcancel.Analyzer, Severity: SeverityWarning, Default: true},
}

// Checks returns all checks, in guide order.
func Checks() []*Check { return checks }

// Lookup returns the check with the given code, or nil.
func Lookup(code string) *Check {
	for _, c := range checks {
		if c.Code() == code {
			return c
		}
	}
	return nil
}

// Analyzers returns the analyzers of all checks, for drivers such as
// unitchecker (go vet -vettool).
func Analyzers() []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(checks))
	for i, c := range checks {
		out[i] = c.Analyzer
	}
	return out
}

// Diagnostic is a finding of a check, in file positions (byte offsets and
// 1-based lines and byte columns), independent of any protocol.
type Diagnostic struct {
	Code     string
	Severity Severity
	Message  string
	// Pos and End are where the finding is in the file on disk, which
	// editors show; Adjusted and AdjustedEnd are the same places as //line
	// directives name them, which the compiler and go vet print.
	Pos, End              token.Position
	Adjusted, AdjustedEnd token.Position
	Related               []Related
	Fixes                 []Fix
	// Doc is the anchor of the guide section the diagnostic links to;
	// empty means the section of the check named Code.
	Doc string
	// Static is set on a diagnostic made from runtime evidence
	// (ImportEvidence) to the code of synclens's finding on the same code.
	Static string
}

// Anchor returns the guide anchor the diagnostic links to.
func (d *Diagnostic) Anchor() string {
	if d.Doc != "" {
		return d.Doc
	}
	return d.Code
}

// Related is a second location that matters to a diagnostic.
type Related struct {
	Pos, End token.Position // in the file on disk
	Adjusted token.Position // Pos as //line directives name it
	Message  string
}

// Fix is a suggested change that repairs a diagnostic, or, with
// Annotation set, one that writes down what the check inferred and leaves
// the finding (see Check.Annotates).
type Fix struct {
	Title      string
	Edits      []Edit
	Annotation bool
}

// Edit replaces the bytes [Start, End) of a file with NewText.
type Edit struct {
	Filename   string
	Start, End int
	NewText    string
}

// SortDiagnostics orders diagnostics by file, position and code.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Pos.Filename != b.Pos.Filename {
			return a.Pos.Filename < b.Pos.Filename
		}
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset < b.Pos.Offset
		}
		return a.Code < b.Code
	})
}

// Version is synclens's version.
const Version = "0.1.0"
