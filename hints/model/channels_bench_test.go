package model

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkCollectChans measures the channel tracing the model does for the
// goroutine and channel checks (every make(chan) followed to its uses, and
// returned channels into their callers), on database/sql and testing
// (about 5,000 lines each) and net/http (about 30,000).
func BenchmarkCollectChans(b *testing.B) {
	for _, pkg := range []string{"database/sql", "testing", "net/http"} {
		m := buildStd(b, pkg)
		b.Run(strings.ReplaceAll(pkg, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				m.Chans = nil
				m.collectChans()
			}
			b.ReportMetric(float64(len(m.Chans)), "chans")
		})
	}
}

// buildStd type-checks a standard library package from source (imports
// from export data) and builds its model.
func buildStd(b *testing.B, path string) *Model {
	b.Helper()
	dir := filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(path))
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		b.Skip(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		Instances:    make(map[*ast.Ident]types.Instance),
		FileVersions: make(map[*ast.File]string),
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Error: func(error) {}}
	pkg, _ := conf.Check(path, fset, files, info)
	return Build(fset, pkg, files, info, nil)
}
