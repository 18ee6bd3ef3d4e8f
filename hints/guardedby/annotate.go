package guardedby

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints/model"
)

// annotate offers to write the inferred guard of g on its field's
// declaration as a gVisor checklocks annotation (// +checklocks:mu),
// together with those of the other fields of its struct that have findings
// and the same guard: each of their findings offers the same edit, which
// is applied once. The findings stay: the accesses still lack the lock,
// which the annotation now states (hints.Check.Annotates). The edit
// rewrites the whole struct as gofmt prints it, since a comment line ends
// gofmt's alignment of the fields around it: inserting the line alone
// would leave them misaligned.
//
// A field is left out when its guard cannot be written from its struct, is
// already declared, or is not shared by every name of its declaration
// (a, b int: the annotation guards both); so is an embedded field, whose
// annotation nothing reads.
func annotate(pass *analysis.Pass, m *model.Model, g *model.Guard, reported []*model.Guard) (analysis.SuggestedFix, bool) {
	file := fileOf(pass, g.Var.Pos())
	if file == nil || g.Declared || g.Rel == "" {
		return analysis.SuggestedFix{}, false
	}
	st, field := fieldAt(file, g.Var.Pos())
	if field == nil || !sharedGuard(pass, m, field, g.Rel) {
		return analysis.SuggestedFix{}, false
	}
	var names []string
	fields := make(map[*ast.Field]bool)
	for _, o := range reported {
		if o.Declared || o.Rel != g.Rel || o.Var.Pos() < st.Pos() || st.End() <= o.Var.Pos() {
			continue
		}
		if s, f := fieldAt(file, o.Var.Pos()); s == st && sharedGuard(pass, m, f, g.Rel) {
			names = append(names, o.Var.Name())
			fields[f] = true
		}
	}
	tf := pass.Fset.File(file.FileStart)
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	text, ok := annotatedStruct(content, tf, st, fields, g.Rel)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	name := names[0]
	if len(names) > 1 {
		name = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Annotate %s with // +checklocks:%s", name, g.Rel),
		TextEdits: []analysis.TextEdit{{Pos: st.Pos(), End: st.End(), NewText: text}},
	}, true
}

// fileOf returns the file of the pass that holds pos.
func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// fieldAt returns the innermost struct of f with a field named at pos, and
// that field.
func fieldAt(f *ast.File, pos token.Pos) (*ast.StructType, *ast.Field) {
	var st *ast.StructType
	var field *ast.Field
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || n.End() <= pos {
			return false
		}
		if s, ok := n.(*ast.StructType); ok && s.Fields != nil {
			for _, fd := range s.Fields.List {
				for _, id := range fd.Names {
					if id.Pos() == pos {
						st, field = s, fd
					}
				}
			}
		}
		return true
	})
	return st, field
}

// sharedGuard reports whether every name the field declares has the
// inferred guard rel.
func sharedGuard(pass *analysis.Pass, m *model.Model, field *ast.Field, rel string) bool {
	for _, id := range field.Names {
		v, ok := pass.TypesInfo.Defs[id].(*types.Var)
		if !ok {
			return false
		}
		if g := m.GuardOf(v); g == nil || g.Declared || g.Rel != rel {
			return false
		}
	}
	return true
}

// annotatedStruct returns the source of st with "// +checklocks:rel" on a
// line before each of fields, formatted as gofmt formats it where st is:
// the struct alone is formatted, then its lines are indented as the line
// it starts on. A struct with a multi-line raw string or block comment,
// whose lines indenting would change, is left alone.
func annotatedStruct(content []byte, tf *token.File, st *ast.StructType, fields map[*ast.Field]bool, rel string) ([]byte, bool) {
	start, end := tf.Offset(st.Pos()), tf.Offset(st.End())
	src := content[start:end]
	if multiLine(src) {
		return nil, false
	}
	var at []int
	for f := range fields {
		at = append(at, tf.Offset(f.Names[0].Pos())-start)
	}
	sort.Ints(at)
	var b bytes.Buffer
	b.WriteString("package p\n\ntype _ ")
	last := 0
	for _, off := range at {
		b.Write(src[last:off])
		if line := src[bytes.LastIndexByte(src[:off], '\n')+1 : off]; len(bytes.TrimSpace(line)) > 0 {
			b.WriteByte('\n') // the field does not start its line
		}
		fmt.Fprintf(&b, "// +checklocks:%s\n", rel)
		last = off
	}
	b.Write(src[last:])
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, false
	}
	out, ok := bytes.CutPrefix(out, []byte("package p\n\ntype _ "))
	if !ok {
		return nil, false
	}
	// Indent the lines after the first as the struct's own line, but for
	// the blank ones, which gofmt leaves empty.
	line := content[tf.Offset(tf.LineStart(tf.PositionFor(st.Pos(), false).Line)):start]
	indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
	for i := 1; i < len(lines); i++ {
		if len(lines[i]) > 0 {
			lines[i] = append(indent[:len(indent):len(indent)], lines[i]...)
		}
	}
	return bytes.Join(lines, []byte("\n")), true
}

// multiLine reports whether src holds a raw string or a block comment that
// spans lines.
func multiLine(src []byte) bool {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), src, nil, scanner.ScanComments)
	for {
		_, tok, lit := s.Scan()
		switch {
		case tok == token.EOF:
			return false
		case (tok == token.STRING || tok == token.COMMENT) && strings.Contains(lit, "\n"):
			return true
		}
	}
}
