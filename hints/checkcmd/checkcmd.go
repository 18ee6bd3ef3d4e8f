// Package checkcmd implements "synclens check", which runs synclens's checks
// over packages from the command line, like go vet.
package checkcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/internal/filecache"
)

const usage = `usage: synclens check [-json | -sarif] [-fix] [-C dir] [-disable codes] [-enable codes] [build flags] [packages]

Runs synclens's checks on the packages (default "."), test files included,
and prints one line per finding:

	file:line:col: message [code]

With -sarif it writes a SARIF 2.1.0 log instead, for GitHub code scanning
(github/codeql-action/upload-sarif) and other SARIF viewers: one rule per
check linking to its section of the guide, related locations and fixes.

Build flags (-tags, -mod, -modfile) are passed to the go command, as are the
ones in GOFLAGS.

Results are cached per package, keyed by its files and dependencies, the
Go version, the flags and this build of synclens, so a repeated run analyses
only what changed. The cache is in the user cache directory (synclens under
os.UserCacheDir), trimmed to 1 GB; SYNCLENS_CACHE=dir moves it and
SYNCLENS_CACHE=off turns it off.

Exit status: 0 when nothing was found, 1 when something was, 2 on a usage
error, when a package could not be loaded or has errors (the findings in the
rest are still printed, and which packages were skipped or partly analysed
is said on stderr), or when a check failed.

Flags:
`

// Main runs the check command with the arguments after "check".
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	asSARIF := fs.Bool("sarif", false, "print the findings as a SARIF 2.1.0 log")
	fix := fs.Bool("fix", false, "apply each finding's preferred quick fix to the files")
	dir := fs.String("C", "", "run in `dir` instead of the current directory")
	tests := fs.Bool("tests", true, "also analyse test files")
	disable := fs.String("disable", "", "comma-separated `codes` of checks not to run")
	enable := fs.String("enable", "", "comma-separated `codes` of checks to run even if off by default (\"all\" for every check)")
	tags := fs.String("tags", "", "comma-separated build `tags`, as for go build")
	modfile := fs.String("modfile", "", "use `file` instead of go.mod, as for go build")
	modMode := fs.String("mod", "", "module download `mode` (readonly, vendor or mod), as for go build")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *asJSON && *asSARIF {
		fmt.Fprintln(stderr, "synclens check: -json and -sarif are exclusive")
		return 2
	}
	enabled, err := selection(*enable, *disable)
	if err != nil {
		fmt.Fprintln(stderr, "synclens check:", err)
		return 2
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	wd := *dir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	wd, _ = filepath.Abs(wd)

	var flags []string
	for name, v := range map[string]string{"tags": *tags, "modfile": *modfile, "mod": *modMode} {
		if v != "" {
			flags = append(flags, "-"+name+"="+v)
		}
	}
	sort.Strings(flags)
	ctx := context.Background()
	l, err := hints.List(ctx, hints.LoadConfig{Dir: wd, Tests: *tests, BuildFlags: flags}, patterns...)
	if err != nil {
		fmt.Fprintln(stderr, "synclens check:", err)
		return 2
	}
	if l == nil {
		fmt.Fprintf(stderr, "synclens check: no Go packages match %s\n", strings.Join(patterns, " "))
		return 2
	}
	results, err := packageResults(ctx, l, enabled, *tests)
	if err != nil {
		fmt.Fprintln(stderr, "synclens check:", err)
		return 2
	}
	var diags []hints.Diagnostic
	seen := make(map[string]bool)
	failed := false    // a package has errors or an analyzer failed: the results are incomplete
	var notes []string // the failures, for -sarif
	for _, res := range results {
		for _, e := range res.Errors {
			fmt.Fprintf(stderr, "synclens check: %s\n", shortError(wd, res.PkgPath, e))
			failed = true
			notes = append(notes, shortError(wd, res.PkgPath, e))
		}
		switch {
		case res.Skipped != "":
			fmt.Fprintf(stderr, "synclens check: %s: not analysed: %s\n", res.PkgPath, res.Skipped)
		case len(res.LeftOut) > 0:
			fmt.Fprintf(stderr, "synclens check: %s: partly analysed: left out %s (they do not type-check, or use C)\n", res.PkgPath, strings.Join(res.LeftOut, ", "))
		}
		for _, e := range res.Failures {
			fmt.Fprintf(stderr, "synclens check: %s\n", e)
			failed = true
			notes = append(notes, fmt.Sprintf("%s: %s", res.PkgPath, e))
		}
		for _, d := range res.Diagnostics {
			// A package and its test variant share files: report once.
			k := fmt.Sprintf("%s:%d:%s:%s", d.Pos.Filename, d.Pos.Offset, d.Code, d.Message)
			if !seen[k] {
				seen[k] = true
				diags = append(diags, d)
			}
		}
	}
	hints.SortDiagnostics(diags)

	if *fix {
		var err error
		diags, err = applyFixes(diags)
		if err != nil {
			fmt.Fprintln(stderr, "synclens check:", err)
			return 2
		}
	}
	if *asSARIF {
		if err := writeSARIF(stdout, diags, wd, notes, !failed); err != nil {
			fmt.Fprintln(stderr, "synclens check:", err)
			return 2
		}
	} else if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(toJSON(diags, wd)); err != nil {
			fmt.Fprintln(stderr, "synclens check:", err)
			return 2
		}
	} else {
		for _, d := range diags {
			fmt.Fprintf(stdout, "%s:%d:%d: %s [%s]\n", relative(wd, d.Adjusted.Filename), d.Adjusted.Line, d.Adjusted.Column, d.Message, d.Code)
		}
	}
	switch {
	case failed:
		return 2
	case len(diags) > 0:
		return 1
	}
	return 0
}

// packageResults returns what check prints for each root of l, in order:
// from the cache where it has them, else loaded, analysed and stored in the
// cache.
func packageResults(ctx context.Context, l *hints.Listing, enabled func(string) bool, tests bool) ([]*pkgResult, error) {
	out := make([]*pkgResult, len(l.Roots))
	keys := make([]filecache.Key, len(l.Roots))
	c := openCache()
	var kr *keyer
	if c != nil {
		var codes []string
		for _, ch := range hints.Checks() {
			if enabled(ch.Code()) {
				codes = append(codes, ch.Code())
			}
		}
		var err error
		if kr, err = newKeyer(ctx, l, codes, tests); err != nil {
			c = nil // no key, no cache: compute everything
		}
	}
	var missed []*packages.Package
	var at []int
	for i, p := range l.Roots {
		if c != nil {
			var err error
			if keys[i], err = kr.key(p); err == nil {
				if b, ok := c.Get(keys[i]); ok {
					if r, ok := decodeResult(b, p.PkgPath); ok {
						out[i] = r
						continue
					}
				}
			}
		}
		missed = append(missed, p)
		at = append(at, i)
	}
	if missHook != nil {
		missHook(missed)
	}
	if len(missed) == 0 {
		return out, nil
	}
	pkgs, err := l.Load(ctx, missed)
	if err != nil {
		return nil, err
	}
	for j, pkg := range pkgs {
		r := analyse(pkg, enabled)
		out[at[j]] = r
		if c != nil && r.cacheable() && kr.err == nil {
			if b, err := encodeResult(r); err == nil {
				c.Put(keys[at[j]], b) // a result not stored is computed again next time
			}
		}
	}
	if c != nil {
		c.Trim(false)
	}
	return out, nil
}

// analyse runs the enabled checks on pkg.
func analyse(pkg *hints.Package, enabled func(string) bool) *pkgResult {
	r := &pkgResult{PkgPath: pkg.PkgPath}
	// synclens reads cgo files as written, so uses of C have no types:
	// those errors are its own, not the package's (the "partly analysed"
	// line names what was left out).
	if !pkg.UsesCgo() {
		for _, e := range pkg.Errors {
			r.Errors = append(r.Errors, e.Error())
		}
	}
	res := hints.Analyze(pkg, enabled)
	r.Skipped, r.LeftOut, r.Diagnostics = res.Skipped, res.LeftOut, res.Diagnostics
	for _, e := range res.Errors {
		r.Failures = append(r.Failures, e.Error())
	}
	return r
}

// selection returns which checks run, from the -enable and -disable lists.
func selection(enable, disable string) (func(string) bool, error) {
	on := make(map[string]bool)
	for _, c := range hints.Checks() {
		on[c.Code()] = c.Default
	}
	for _, code := range split(enable) {
		if code == "all" {
			for k := range on {
				on[k] = true
			}
			continue
		}
		if _, ok := on[code]; !ok {
			return nil, fmt.Errorf("unknown check %q in -enable", code)
		}
		on[code] = true
	}
	for _, code := range split(disable) {
		if _, ok := on[code]; !ok {
			return nil, fmt.Errorf("unknown check %q in -disable", code)
		}
		on[code] = false
	}
	return func(code string) bool { return on[code] }, nil
}

func split(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// relative shortens a path as go vet does: relative to the working
// directory when that is shorter (../x.go included).
func relative(wd, name string) string {
	if rel, err := filepath.Rel(wd, name); err == nil && len(rel) < len(name) {
		return rel
	}
	return name
}

// shortError prints an error of a package: with the file name its position
// starts with made relative, or after the package path if it has none.
func shortError(wd, pkgPath, msg string) string {
	if name, rest, ok := strings.Cut(msg, ":"); ok && filepath.IsAbs(name) {
		return relative(wd, name) + ":" + rest
	}
	return pkgPath + ": " + msg
}

// jsonDiagnostic is the -json form of a finding.
type jsonDiagnostic struct {
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"endLine"`
	EndColumn int           `json:"endColumn"`
	Code      string        `json:"code"`
	Severity  string        `json:"severity"`
	Message   string        `json:"message"`
	URL       string        `json:"url"`
	Related   []jsonRelated `json:"related,omitempty"`
	Fixes     []jsonFix     `json:"fixes,omitempty"`
	// Static is the code of synclens's finding on the same lines
	// (import-race only).
	Static string `json:"static,omitempty"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonFix struct {
	Title string     `json:"title"`
	Edits []jsonEdit `json:"edits"`
	// Annotation marks a fix that writes down the inferred rule and
	// leaves the finding (hints.Check.Annotates).
	Annotation bool `json:"annotation,omitempty"`
}

type jsonEdit struct {
	File    string `json:"file"`
	Start   int    `json:"start"` // byte offsets
	End     int    `json:"end"`
	NewText string `json:"newText"`
}

func toJSON(diags []hints.Diagnostic, wd string) []jsonDiagnostic {
	out := make([]jsonDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := jsonDiagnostic{
			File: relative(wd, d.Adjusted.Filename), Line: d.Adjusted.Line, Column: d.Adjusted.Column,
			EndLine: d.AdjustedEnd.Line, EndColumn: d.AdjustedEnd.Column,
			Code: d.Code, Severity: d.Severity.String(), Message: d.Message,
		}
		if c := hints.Lookup(d.Code); c != nil {
			jd.URL = c.Analyzer.URL
		}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelated{File: relative(wd, r.Adjusted.Filename), Line: r.Adjusted.Line, Column: r.Adjusted.Column, Message: r.Message})
		}
		for _, f := range d.Fixes {
			jf := jsonFix{Title: f.Title, Annotation: f.Annotation}
			for _, e := range f.Edits {
				jf.Edits = append(jf.Edits, jsonEdit{File: relative(wd, e.Filename), Start: e.Start, End: e.End, NewText: e.NewText})
			}
			jd.Fixes = append(jd.Fixes, jf)
		}
		out = append(out, jd)
	}
	return out
}

// applyFixes applies the first fix of each diagnostic that resolves it,
// skipping fixes that overlap one already taken, and returns the
// diagnostics left unfixed. An annotation (guardedby's // +checklocks:mu)
// resolves nothing: its finding stays, and so is not applied.
func applyFixes(diags []hints.Diagnostic) ([]hints.Diagnostic, error) {
	byFile := make(map[string][]hints.Edit)
	var rest []hints.Diagnostic
	for _, d := range diags {
		i := slices.IndexFunc(d.Fixes, func(f hints.Fix) bool { return !f.Annotation })
		if i < 0 {
			rest = append(rest, d)
			continue
		}
		fix := d.Fixes[i]
		if overlaps(byFile, fix.Edits) {
			rest = append(rest, d)
			continue
		}
		for _, e := range fix.Edits {
			byFile[e.Filename] = append(byFile[e.Filename], e)
		}
	}
	names := make([]string, 0, len(byFile))
	for name := range byFile {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out, err := hints.ApplyEdits(src, byFile[name])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(name, out, 0o666); err != nil {
			return nil, err
		}
	}
	return rest, nil
}

func overlaps(taken map[string][]hints.Edit, edits []hints.Edit) bool {
	for _, e := range edits {
		for _, t := range taken[e.Filename] {
			if e.Start < t.End && t.Start < e.End || e.Start == t.Start {
				return true
			}
		}
	}
	return false
}
