// Package analysisutil holds small helpers shared by synclens's analyzers.
package analysisutil

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// MustExtractDoc returns the documentation of the named analyzer from the
// package comment of its doc.go: the text after the line "# Analyzer name".
// (A copy of x/tools' internal helper, which cannot be imported.)
func MustExtractDoc(content, name string) string {
	doc, err := extractDoc(content, name)
	if err != nil {
		panic(err)
	}
	return doc
}

func extractDoc(content, name string) (string, error) {
	if content == "" {
		return "", fmt.Errorf("empty Go source file")
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("Go source file has no package doc comment")
	}
	for _, section := range strings.Split(f.Doc.Text(), "\n# ") {
		if body, ok := strings.CutPrefix(section, "Analyzer "+name); ok {
			body = strings.TrimLeft(body, "\n")
			if !strings.HasPrefix(body, name+": ") {
				return "", fmt.Errorf("'Analyzer %s' heading not followed by '%s: summary...' line", name, name)
			}
			return body, nil
		}
	}
	return "", fmt.Errorf("package doc comment contains no 'Analyzer %s' heading", name)
}

// Path returns the syntax path from the innermost node enclosing [start,
// end) out to the file, or nil when no file of the pass contains it.
func Path(pass *analysis.Pass, start, end token.Pos) []ast.Node {
	for _, f := range pass.Files {
		if f.FileStart <= start && start <= f.FileEnd {
			return PathIn(f, start, end)
		}
	}
	return nil
}

// PathIn is astutil.PathEnclosingInterval, without its cost per call that
// grows with the file: it lists and sorts the children of every node on the
// path, the file's declarations included, and checks call it once per lock
// or channel operation. The declaration holding the interval is found by
// binary search and searched alone; the path still ends with the file.
func PathIn(f *ast.File, start, end token.Pos) []ast.Node {
	i := sort.Search(len(f.Decls), func(i int) bool { return f.Decls[i].End() > start })
	if i == len(f.Decls) || f.Decls[i].Pos() > start || end > f.Decls[i].End() {
		path, _ := astutil.PathEnclosingInterval(f, start, end)
		return path
	}
	// A file of one declaration: the path inside it is the same, and only
	// its last element, the file, needs replacing.
	one := &ast.File{Package: f.Package, Name: f.Name, Decls: f.Decls[i : i+1], FileStart: f.FileStart, FileEnd: f.FileEnd}
	path, _ := astutil.PathEnclosingInterval(one, start, end)
	if len(path) > 0 && path[len(path)-1] == one {
		path[len(path)-1] = f
	}
	return path
}

// CallAt returns the call expression whose opening parenthesis is at lparen
// (the position go/ssa records for calls), with its syntax path.
func CallAt(pass *analysis.Pass, lparen token.Pos) (*ast.CallExpr, []ast.Node) {
	path := Path(pass, lparen, lparen)
	for i, n := range path {
		if call, ok := n.(*ast.CallExpr); ok && call.Lparen == lparen {
			return call, path[i:]
		}
	}
	return nil, nil
}

// Receiver returns the receiver expression of a method call x.M(...), or nil.
func Receiver(call *ast.CallExpr) ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return sel.X
	}
	return nil
}

// Format renders an expression as source text.
func Format(fset *token.FileSet, e ast.Node) string {
	var b bytes.Buffer
	if err := format.Node(&b, fset, e); err != nil {
		return ""
	}
	return b.String()
}

// Source returns the source of an expression as written (comments and
// spacing kept), or as gofmt prints it when the file cannot be read.
func Source(pass *analysis.Pass, e ast.Expr) string {
	tf := pass.Fset.File(e.Pos())
	if content, err := pass.ReadFile(tf.Name()); err == nil {
		start, end := tf.Offset(e.Pos()), tf.Offset(e.End())
		if 0 <= start && start <= end && end <= len(content) {
			return string(content[start:end])
		}
	}
	return Format(pass.Fset, e)
}

// Line returns the line of pos in the file as it is on disk. token.File's
// Line and Position follow //line directives, while LineStart and offsets
// do not: an edit computed from an adjusted line lands elsewhere, or
// nowhere (//line a.go:90000).
func Line(tf *token.File, pos token.Pos) int { return tf.PositionFor(pos, false).Line }
