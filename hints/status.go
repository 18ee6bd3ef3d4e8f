package hints

import (
	"errors"
	"fmt"
	"strings"
)

// LoadErrors returns the errors go list reported for the package (a broken
// go.mod, an import cycle, a bad build constraint): the package may be
// incomplete, and the user should be told even when it type-checks.
func (p *Package) LoadErrors() []error { return p.listErrors }

// Notes returns, for every file of the analysed package, a note at its
// package clause saying why the package was not analysed, or may be
// incomplete; nil if it was analysed. Functions left out because they do
// not type-check get no note: that is the normal state of a file being
// typed, and the compiler's error is shown anyway. An editor shows these, so that missing hints are
// not mistaken for a clean package.
func (r *Result) Notes() []Diagnostic {
	pkg := r.Package
	if len(pkg.Errors) == 0 {
		return nil
	}
	var msg string
	first := strings.TrimPrefix(pkg.Errors[0].Error(), pkg.Dir+"/")
	var crash *CrashError
	for _, e := range pkg.Errors {
		if errors.As(e, &crash) {
			break
		}
	}
	switch {
	case crash != nil:
		msg = crash.Error()
	case r.Skipped != "":
		msg = fmt.Sprintf("synclens cannot analyse this package: %s (%s)", r.Skipped, first)
	case len(pkg.listErrors) > 0:
		msg = fmt.Sprintf("go list reported errors for this package, so synclens's results may be incomplete (%s)",
			strings.TrimPrefix(pkg.listErrors[0].Error(), pkg.Dir+"/"))
	default:
		return nil // the errors took nothing out of the analysis
	}
	var out []Diagnostic
	for _, f := range pkg.Files {
		pos, end := f.Package, f.Name.End()
		if !pos.IsValid() || !end.IsValid() {
			pos, end = f.FileStart, f.FileStart
		}
		out = append(out, Diagnostic{
			Severity: SeverityInformation, Message: msg,
			Pos: pkg.Fset.PositionFor(pos, false), End: pkg.Fset.PositionFor(end, false),
		})
	}
	return out
}
