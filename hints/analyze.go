package hints

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"

	"github.com/synclens/synclens/hints/explain"
	"github.com/synclens/synclens/hints/model"
)

// Result is the analysis of one package version: its diagnostics and the
// concurrency model behind them, which hovers read.
type Result struct {
	Package     *Package
	Model       *model.Model // nil if the package could not be modelled
	Diagnostics []Diagnostic
	// Actions lists the findings of FixOnly checks: quick fixes to offer as
	// code actions on their range, with no warning shown (see
	// Check.FixOnly).
	Actions []Diagnostic
	// Errors lists analyzer failures (panics included); the diagnostics of
	// the other analyzers are still reported.
	Errors []error
	// Paused lists the functions that use concurrency but were left out
	// because they do not type-check.
	Paused []Paused
	// Skipped says why nothing of the package was analysed ("" if it was);
	// LeftOut names the functions and package variables that were left out
	// because they do not type-check (the rest was analysed).
	Skipped string
	LeftOut []string
}

// Analyze runs the enabled checks (all default ones when enabled is nil) on
// pkg. Functions with syntax or type errors are left out of the analysis, so
// a file being edited still gets results for the rest of its package.
func Analyze(pkg *Package, enabled func(code string) bool) *Result {
	res, _ := AnalyzeContext(context.Background(), pkg, enabled)
	return res
}

// AnalyzeContext is Analyze that gives up when ctx ends, between one
// analyzer and the next, returning ctx's error and no result: an editor
// cancels the analysis of a version that a newer edit replaced.
func AnalyzeContext(ctx context.Context, pkg *Package, enabled func(code string) bool) (*Result, error) {
	if enabled == nil {
		enabled = func(code string) bool { c := Lookup(code); return c != nil && c.Default }
	}
	res := &Result{Package: pkg}
	if pkg.Types == nil {
		res.Skipped = "the Go type checker crashed on it"
		return res, nil
	}
	files, info, tpkg := pkg.Files, pkg.Info, pkg.Types
	// Uses of C have no types and no errors (FakeImportC): they are
	// broken too.
	if len(pkg.Errors) > 0 || importsC(pkg.Files) {
		files, tpkg, info, res.LeftOut = pkg.withoutBrokenFuncs()
		res.Paused = pkg.paused(files)
	}
	if tpkg == nil {
		res.Skipped = "it has errors outside function bodies"
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := &driver{pkg: pkg, files: files, info: info, types: tpkg, results: make(map[*analysis.Analyzer]any), res: res}
	if m, ok := d.run(model.Analyzer).(*model.Model); ok {
		res.Model = m
	}
	for _, c := range checks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if enabled(c.Code()) {
			d.check = c
			d.run(c.Analyzer)
		}
	}
	res.Diagnostics = suppress(pkg, res.Diagnostics)
	res.Diagnostics, res.Actions = splitFixOnly(res.Diagnostics)
	SortDiagnostics(res.Diagnostics)
	SortDiagnostics(res.Actions)
	return res, nil
}

// driver is a minimal analysis driver for one package: analyzers run on the
// package alone, with dependencies known only from their types. Facts are not
// propagated across packages; the few that matter (functions that never
// return) are known intrinsically.
type driver struct {
	pkg     *Package
	files   []*ast.File
	info    *types.Info
	types   *types.Package
	results map[*analysis.Analyzer]any
	failed  map[*analysis.Analyzer]bool
	check   *Check
	res     *Result
}

func (d *driver) run(a *analysis.Analyzer) (result any) {
	if r, ok := d.results[a]; ok {
		return r
	}
	if d.failed[a] {
		return nil
	}
	inputs := make(map[*analysis.Analyzer]any)
	for _, req := range a.Requires {
		r := d.run(req)
		if r == nil && d.failed[req] {
			d.fail(a)
			return nil
		}
		inputs[req] = r
	}
	check := d.check
	pass := &analysis.Pass{
		Analyzer:   a,
		Fset:       d.pkg.Fset,
		Files:      d.files,
		OtherFiles: d.pkg.OtherFiles,
		Pkg:        d.types,
		TypesInfo:  d.info,
		TypesSizes: d.pkg.Sizes,
		Module:     d.pkg.Module,
		ResultOf:   inputs,
		Report: func(diag analysis.Diagnostic) {
			if check != nil && check.Analyzer == a {
				d.res.Diagnostics = append(d.res.Diagnostics, d.convert(check, diag))
			}
		},
		ReadFile:          d.pkg.Content,
		ImportObjectFact:  importNoReturnFact,
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ExportPackageFact: func(analysis.Fact) {},
		AllObjectFacts:    func() []analysis.ObjectFact { return nil },
		AllPackageFacts:   func() []analysis.PackageFact { return nil },
	}
	defer func() {
		if r := recover(); r != nil {
			d.res.Errors = append(d.res.Errors, &PanicError{Analyzer: a.Name, Pkg: d.pkg.PkgPath, Value: r, Stack: debug.Stack()})
			d.fail(a)
			result = nil
		}
	}()
	r, err := a.Run(pass)
	if err != nil {
		d.res.Errors = append(d.res.Errors, fmt.Errorf("analyzer %s: %w", a.Name, err))
		d.fail(a)
		return nil
	}
	d.results[a] = r
	return r
}

// PanicError is an analyzer's panic. Its message is one line; the stack is
// for logs.
type PanicError struct {
	Analyzer, Pkg string
	Value         any
	Stack         []byte
}

func (e *PanicError) Error() string {
	what := "check " + e.Analyzer
	if e.Analyzer == model.Analyzer.Name {
		what = "the model (SSA form) of the package, which every check needs,"
	}
	return fmt.Sprintf("%s crashed on package %s and was skipped: %v", what, e.Pkg, e.Value)
}

func (d *driver) fail(a *analysis.Analyzer) {
	if d.failed == nil {
		d.failed = make(map[*analysis.Analyzer]bool)
	}
	d.failed[a] = true
}

// splitFixOnly moves the diagnostics of FixOnly checks out of ds.
func splitFixOnly(ds []Diagnostic) (diags, actions []Diagnostic) {
	diags = ds[:0]
	for _, d := range ds {
		if c := Lookup(d.Code); c != nil && c.FixOnly {
			actions = append(actions, d)
			continue
		}
		diags = append(diags, d)
	}
	return diags, actions
}

// noReturnFactType is ctrlflow's (unexported) fact type for functions that
// never return.
var noReturnFactType = reflect.TypeOf(ctrlflow.Analyzer.FactTypes[0])

// importNoReturnFact answers ctrlflow's question "does this imported function
// never return?" for the standard library functions that matter, since this
// driver does not analyse dependencies.
func importNoReturnFact(obj types.Object, fact analysis.Fact) bool {
	if reflect.TypeOf(fact) != noReturnFactType {
		return false
	}
	fn, ok := obj.(*types.Func)
	return ok && noReturn(fn)
}

func noReturn(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "os":
		return name == "Exit"
	case "log":
		return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
	case "testing":
		switch name {
		case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
			return true
		}
	case "runtime":
		return name == "Goexit"
	}
	return false
}

// convert turns an analysis diagnostic into a Diagnostic.
func (d *driver) convert(c *Check, diag analysis.Diagnostic) Diagnostic {
	fset := d.pkg.Fset
	end := diag.End
	if !end.IsValid() {
		end = diag.Pos
	}
	// Editors and edits need the file as it is on disk; //line directives
	// only change what is printed.
	phys := func(p token.Pos) token.Position { return fset.PositionFor(p, false) }
	out := Diagnostic{
		Code:        c.Code(),
		Severity:    c.Severity,
		Message:     diag.Message,
		Pos:         phys(diag.Pos),
		End:         phys(end),
		Adjusted:    fset.Position(diag.Pos),
		AdjustedEnd: fset.Position(end),
	}
	for _, r := range diag.Related {
		rend := r.End
		if !rend.IsValid() {
			rend = r.Pos
		}
		out.Related = append(out.Related, Related{Pos: phys(r.Pos), End: phys(rend), Adjusted: fset.Position(r.Pos), Message: r.Message})
	}
	for _, sf := range diag.SuggestedFixes {
		fix := Fix{Title: sf.Message, Annotation: c.Annotates}
		for _, e := range sf.TextEdits {
			start := phys(e.Pos)
			stop := start
			if e.End.IsValid() {
				stop = phys(e.End)
			}
			fix.Edits = append(fix.Edits, Edit{Filename: start.Filename, Start: start.Offset, End: stop.Offset, NewText: string(e.NewText)})
		}
		out.Fixes = append(out.Fixes, fix)
	}
	return out
}

// suppress drops diagnostics silenced by a "//synclens:ignore code[,code]"
// comment on their line or the line above (without codes: all checks).
func suppress(pkg *Package, ds []Diagnostic) []Diagnostic {
	if len(ds) == 0 {
		return ds
	}
	type lineKey struct {
		file string
		line int
	}
	ignores := make(map[lineKey][]string)
	for _, f := range pkg.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text, ok := strings.CutPrefix(c.Text, "//synclens:ignore")
				if !ok || text != "" && text[0] != ' ' && text[0] != '\t' {
					continue
				}
				pos := pkg.Fset.PositionFor(c.Slash, false)
				codes := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
				if len(codes) == 0 {
					codes = []string{"*"}
				}
				for _, line := range []int{pos.Line, pos.Line + 1} {
					k := lineKey{pos.Filename, line}
					ignores[k] = append(ignores[k], codes...)
				}
			}
		}
	}
	out := ds[:0]
	for _, d := range ds {
		silenced := false
		for _, code := range ignores[lineKey{d.Pos.Filename, d.Pos.Line}] {
			if code == "*" || code == d.Code {
				silenced = true
			}
		}
		if !silenced {
			out = append(out, d)
		}
	}
	return out
}

// warnings returns the diagnostics as positions of the package's file set,
// for the cards to agree with.
func (r *Result) warnings() []explain.Warning {
	var out []explain.Warning
	for _, d := range r.Diagnostics {
		f := r.Package.File(d.Pos.Filename)
		if f == nil {
			continue
		}
		tf := r.Package.Fset.File(f.FileStart)
		if tf == nil || d.Pos.Offset > tf.Size() || d.End.Offset > tf.Size() {
			continue
		}
		out = append(out, explain.Warning{Code: d.Code, Start: tf.Pos(d.Pos.Offset), End: tf.Pos(d.End.Offset), Message: d.Message, Steps: steps(d)})
	}
	return out
}

// steps returns the numbered steps of an interleaving a diagnostic shows
// in its related information ("1. the goroutine started at line 34 sends
// on out"), each with its place: "… (line 35)", or "(file.go:35)" in
// another file.
func steps(d Diagnostic) []string {
	var out []string
	for _, r := range d.Related {
		num, text, ok := strings.Cut(r.Message, ". ")
		if !ok || num != strconv.Itoa(len(out)+1) {
			continue
		}
		where := fmt.Sprintf("line %d", r.Pos.Line)
		if r.Pos.Filename != d.Pos.Filename {
			where = fmt.Sprintf("%s:%d", filepath.Base(r.Pos.Filename), r.Pos.Line)
		}
		out = append(out, fmt.Sprintf("%s (%s)", text, where))
	}
	return out
}

// Hover is a hover card for a position: markdown, the byte range of the
// source it explains, and the guide anchor it links to.
type Hover struct {
	Markdown   string
	Start, End int // byte offsets in the file
	Doc        string
}

// modelFile returns the syntax and token file of a file of the package,
// when the model was built (nil otherwise).
func (r *Result) modelFile(filename string) (*ast.File, *token.File) {
	if r.Model == nil {
		return nil, nil
	}
	f := r.Package.File(filename)
	if f == nil {
		return nil, nil
	}
	tf := r.Package.Fset.File(f.FileStart)
	if tf == nil {
		return nil, nil
	}
	return f, tf
}

// Hover returns the hover card at a byte offset of a file of the package, or
// nil when there is no concurrency construct there.
func (r *Result) Hover(filename string, offset int) *Hover {
	f, tf := r.modelFile(filename)
	if f == nil || offset < 0 || offset > tf.Size() {
		return nil
	}
	card := explain.Hover(r.Model, f, tf.Pos(offset), r.warnings())
	if card == nil {
		return nil
	}
	return &Hover{Markdown: card.Markdown, Start: tf.Offset(card.Start), End: tf.Offset(card.End), Doc: card.Doc}
}
