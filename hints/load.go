package hints

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// Package is one type-checked package, ready for analysis. Its syntax and
// types belong to this version of its files: an edit makes a new Package
// with Reparse, which re-type-checks only this package against the imported
// packages of the original load.
type Package struct {
	ID, PkgPath, Name string
	Dir               string
	Module            *analysis.Module

	Fset       *token.FileSet
	Filenames  []string // absolute paths of the compiled Go files
	Files      []*ast.File
	Contents   map[string][]byte // file contents as analysed
	Types      *types.Package
	Info       *types.Info
	Sizes      types.Sizes
	Errors     []error // parse and type errors, in position order
	OtherFiles []string

	imports map[string]*types.Package // import path as written -> package
}

// ErrImportsChanged is returned by Reparse when the new contents import a
// package the original load did not: the package must be loaded again.
var ErrImportsChanged = errors.New("imports changed")

// LoadConfig says how to load packages.
type LoadConfig struct {
	Dir   string   // working directory of the go command
	Env   []string // environment (nil: os.Environ())
	Tests bool     // include test files (test variants replace their packages)
	// Overlay holds unsaved file contents by absolute path. It is used for
	// go/packages only when a file's imports differ from the file on disk
	// (go/packages type-checks every dependency from source when given an
	// overlay); otherwise the contents are applied with Reparse.
	Overlay map[string][]byte
}

const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax |
	packages.NeedTypesInfo | packages.NeedModule | packages.NeedForTest

// Load loads the packages matching patterns (go list patterns, or
// "file=path" for the package of one file). Dependencies come from export
// data; only the matched packages are parsed and type-checked.
func Load(ctx context.Context, cfg LoadConfig, patterns ...string) ([]*Package, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return nil, fmt.Errorf("synclens needs the go command on PATH to load packages: %w", err)
	}
	pcfg := &packages.Config{
		Context: ctx,
		Mode:    loadMode,
		Dir:     cfg.Dir,
		Env:     cfg.Env,
		Tests:   cfg.Tests,
	}
	if overlayChangesImports(cfg.Overlay) {
		pcfg.Overlay = cfg.Overlay
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, err
	}
	var out []*Package
	hasTestVariant := make(map[string]bool)
	for _, p := range pkgs {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			hasTestVariant[p.PkgPath] = true
		}
	}
	var errs []string
	for _, p := range pkgs {
		switch {
		case strings.HasSuffix(p.ID, ".test"):
			continue // the generated test main
		case p.ForTest == "" && hasTestVariant[p.PkgPath]:
			continue // its test variant covers the same files and more
		}
		for _, e := range p.Errors {
			if e.Kind == packages.ListError {
				errs = append(errs, e.Error())
			}
		}
		if p.Types == nil || len(p.CompiledGoFiles) == 0 {
			continue
		}
		pkg := fromPackages(p)
		if len(cfg.Overlay) > 0 && pcfg.Overlay == nil {
			if np, err := pkg.Reparse(cfg.Overlay); err == nil {
				pkg = np
			}
		}
		out = append(out, pkg)
	}
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return out, nil
}

func fromPackages(p *packages.Package) *Package {
	pkg := &Package{
		ID: p.ID, PkgPath: p.PkgPath, Name: p.Name,
		Fset: p.Fset, Files: p.Syntax, Types: p.Types, Info: p.TypesInfo, Sizes: p.TypesSizes,
		OtherFiles: p.OtherFiles,
		Contents:   make(map[string][]byte),
		imports:    make(map[string]*types.Package),
	}
	if p.Module != nil {
		pkg.Module = &analysis.Module{Path: p.Module.Path, Version: p.Module.Version, GoVersion: p.Module.GoVersion}
	}
	for _, f := range p.Syntax {
		pkg.Filenames = append(pkg.Filenames, p.Fset.File(f.FileStart).Name())
	}
	if len(pkg.Filenames) > 0 {
		pkg.Dir = filepath.Dir(pkg.Filenames[0])
	}
	byPath := make(map[string]*types.Package)
	for _, imp := range p.Types.Imports() {
		byPath[imp.Path()] = imp
	}
	for path, ip := range p.Imports {
		if t := byPath[ip.PkgPath]; t != nil {
			pkg.imports[path] = t
		}
	}
	for _, e := range p.Errors {
		if e.Kind != packages.ListError {
			pkg.Errors = append(pkg.Errors, e)
		}
	}
	return pkg
}

// File returns the syntax tree of the named file, or nil.
func (p *Package) File(filename string) *ast.File {
	for i, name := range p.Filenames {
		if name == filename {
			return p.Files[i]
		}
	}
	return nil
}

// Content returns the bytes of a file of the package as analysed.
func (p *Package) Content(filename string) ([]byte, error) {
	if b, ok := p.Contents[filename]; ok {
		return b, nil
	}
	return os.ReadFile(filename)
}

// Reparse returns a new Package with the given file contents (by absolute
// path; files not named keep their current contents), parsed and
// type-checked in process against the imports of the original load. Syntax
// and type errors do not fail it: they are recorded in Errors. It returns
// ErrImportsChanged when a file imports a package the load did not see.
func (p *Package) Reparse(contents map[string][]byte) (*Package, error) {
	np := &Package{
		ID: p.ID, PkgPath: p.PkgPath, Name: p.Name, Dir: p.Dir, Module: p.Module,
		Fset: token.NewFileSet(), Filenames: p.Filenames, Sizes: p.Sizes, OtherFiles: p.OtherFiles,
		Contents: make(map[string][]byte, len(p.Filenames)), imports: p.imports,
	}
	for _, name := range p.Filenames {
		src, ok := contents[name]
		if !ok {
			var err error
			if src, err = p.Content(name); err != nil {
				return nil, err
			}
		}
		np.Contents[name] = src
		f, err := parser.ParseFile(np.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if f == nil {
			return nil, err
		}
		var el scanner.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				np.Errors = append(np.Errors, e)
			}
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "C" || path == "unsafe" {
				continue
			}
			if _, ok := p.imports[path]; !ok {
				return nil, fmt.Errorf("%w: %s imports %q", ErrImportsChanged, filepath.Base(name), path)
			}
		}
		np.Files = append(np.Files, f)
	}
	np.Types, np.Info = np.check(np.Files)
	return np, nil
}

// check type-checks files against the cached imports, recording errors.
func (p *Package) check(files []*ast.File) (*types.Package, *types.Info) {
	info := newInfo()
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if t, ok := p.imports[path]; ok {
				return t, nil
			}
			return nil, fmt.Errorf("package %q was not loaded", path)
		}),
		Sizes: p.Sizes,
		Error: func(err error) { p.Errors = append(p.Errors, err) },
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	pkg, _ := conf.Check(p.PkgPath, p.Fset, files, info)
	sort.SliceStable(p.Errors, func(i, j int) bool { return errorPos(p.Errors[i]) < errorPos(p.Errors[j]) })
	return pkg, info
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Instances:    make(map[*ast.Ident]types.Instance),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		FileVersions: make(map[*ast.File]string),
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func errorPos(err error) token.Pos {
	if te, ok := err.(types.Error); ok {
		return te.Pos
	}
	return token.NoPos
}

// overlayChangesImports reports whether any overlaid file imports a package
// that the file on disk does not (or the file is new).
func overlayChangesImports(overlay map[string][]byte) bool {
	for name, src := range overlay {
		disk, err := os.ReadFile(name)
		if err != nil {
			return true
		}
		if !sameImports(importsOf(src), importsOf(disk)) {
			return true
		}
	}
	return false
}

func importsOf(src []byte) []string {
	f, _ := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if f == nil {
		return nil
	}
	var out []string
	for _, imp := range f.Imports {
		out = append(out, imp.Path.Value)
	}
	sort.Strings(out)
	return out
}

func sameImports(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
