package hints

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
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

	imports    map[string]*types.Package // import path as written -> package
	importErrs map[string]error          // import path as written -> why it has no package
	listErrors []error                   // errors of go list, kept by Reparse
}

// ErrImportsChanged is returned by Reparse when the new contents import a
// package the original load did not: the package must be loaded again.
var ErrImportsChanged = errors.New("imports changed")

// LoadConfig says how to load packages.
type LoadConfig struct {
	Dir   string   // working directory of the go command
	Env   []string // environment (nil: os.Environ())
	Tests bool     // include test files (test variants replace their packages)
	// BuildFlags are go build flags (-tags, -modfile, -mod). A relative
	// -modfile, here or in GOFLAGS, is relative to Dir.
	BuildFlags []string
	// Overlay holds unsaved file contents by absolute path: go list sees
	// them (their imports, new files), and they are parsed instead of the
	// files on disk.
	Overlay map[string][]byte
}

// metaMode asks go list for the package graph only. Without NeedTypes,
// NeedSyntax or NeedCompiledGoFiles it passes neither -export (which
// compiles every listed package) nor -compiled (which runs cgo).
const metaMode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps |
	packages.NeedModule | packages.NeedForTest

// Load loads the packages matching patterns (go list patterns, or
// "file=path" for the package of one file). The matched packages are parsed
// and type-checked here, from source, under a recover: go/types has bugs that
// panic on some input, and a workspace package is untrusted input that only
// needs type-checking, not compiling. Their dependencies come from export
// data, for which go list compiles the dependencies (not the matched
// packages).
func Load(ctx context.Context, cfg LoadConfig, patterns ...string) ([]*Package, error) {
	l, err := List(ctx, cfg, patterns...)
	if err != nil || l == nil {
		return nil, err
	}
	return l.Load(ctx, l.Roots)
}

// Listing is the package graph of the packages matching some patterns, as go
// list reports it, before anything is parsed or type-checked: enough to tell
// which files each package and its dependencies have (synclens check keys its
// cache by them) and to load only some of the packages.
type Listing struct {
	// Roots are the packages Load would return, in its order: the matched
	// packages with Go files, test variants replacing their packages.
	Roots  []*packages.Package
	cfg    LoadConfig
	pcfg   *packages.Config
	env    []string
	isRoot map[string]bool // by ID
}

// List lists the packages matching patterns, as Load does first. It returns
// nil and no error when no package matches.
func List(ctx context.Context, cfg LoadConfig, patterns ...string) (*Listing, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return nil, fmt.Errorf("synclens needs the go command on PATH to load packages: %w", err)
	}
	env, flags := goEnv(cfg)
	pcfg := &packages.Config{
		Context:    ctx,
		Mode:       metaMode,
		Dir:        cfg.Dir,
		Env:        env,
		BuildFlags: flags,
		Tests:      cfg.Tests,
		Overlay:    cfg.Overlay,
	}
	list, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, toolchainHint(err, cfg.Dir, env)
	}
	var errs []string
	l := &Listing{cfg: cfg, pcfg: pcfg, env: env, isRoot: make(map[string]bool)}
	for _, p := range selectRoots(list) {
		if len(p.GoFiles) == 0 {
			for _, e := range p.Errors {
				errs = append(errs, e.Error())
			}
			continue
		}
		l.Roots = append(l.Roots, p)
		l.isRoot[p.ID] = true
	}
	if len(l.Roots) == 0 {
		if len(errs) > 0 {
			return nil, errors.New(strings.Join(errs, "\n"))
		}
		return nil, nil
	}
	return l, nil
}

// GoEnv returns the values of go env variables, in the environment the
// packages were listed in.
func (l *Listing) GoEnv(ctx context.Context, names ...string) (map[string]string, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"env", "-json"}, names...)...)
	cmd.Dir, cmd.Env = l.cfg.Dir, l.env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	vars := make(map[string]string)
	if err := json.Unmarshal(out, &vars); err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	return vars, nil
}

// BuildFlags returns the build flags go list ran with: the configured ones
// and the module-mode flags of GOFLAGS.
func (l *Listing) BuildFlags() []string { return l.pcfg.BuildFlags }

// Load parses and type-checks some of the roots, in their order, each with
// what it depends on as in a Load of every root: the other roots it imports
// are type-checked from source too (and not returned), the rest comes from
// export data.
func (l *Listing) Load(ctx context.Context, roots []*packages.Package) ([]*Package, error) {
	cfg, env := l.cfg, l.env
	ld := &loader{
		cfg: cfg, pcfg: l.pcfg, fset: token.NewFileSet(),
		sizes:   types.SizesFor("gc", goarch(env)),
		roots:   make(map[string]*Package),
		view:    make(map[string]*types.Package),
		visited: make(map[string]bool),
	}
	// The roots these depend on, through any package: a full Load would
	// have type-checked them from source, so that is what the packages
	// asked for see.
	var checked []*packages.Package
	seen := make(map[string]bool)
	var deps func(p *packages.Package)
	deps = func(p *packages.Package) {
		if seen[p.ID] {
			return
		}
		seen[p.ID] = true
		if l.isRoot[p.ID] {
			ld.roots[p.ID] = nil
			checked = append(checked, p)
		}
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			deps(p.Imports[path])
		}
	}
	for _, p := range roots {
		deps(p)
	}
	// A dependency recompiled for a test (crypto/x509 [crypto/rsa.test])
	// refers to the test's variant of the package under test, which its
	// export data would not: it is type-checked from source too.
	var variants func(p *packages.Package)
	variants = func(p *packages.Package) {
		for _, imp := range p.Imports {
			if _, seen := ld.roots[imp.ID]; !seen && imp.ForTest != "" && len(imp.GoFiles) > 0 {
				ld.roots[imp.ID] = nil
				checked = append(checked, imp)
				variants(imp)
			}
		}
	}
	for _, p := range slices.Clone(checked) {
		variants(p)
	}
	if err := ld.loadExports(ctx, checked); err != nil {
		return nil, toolchainHint(err, cfg.Dir, env)
	}
	var out []*Package
	for _, p := range roots {
		ld.visit(p)
		out = append(out, ld.roots[p.ID])
	}
	return out, nil
}

// selectRoots drops the generated test mains, and the packages whose test
// variant covers the same files and more.
func selectRoots(list []*packages.Package) []*packages.Package {
	hasTestVariant := make(map[string]bool)
	for _, p := range list {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			hasTestVariant[p.PkgPath] = true
		}
	}
	var out []*packages.Package
	for _, p := range list {
		switch {
		case strings.HasSuffix(p.ID, ".test"):
		case p.ForTest == "" && hasTestVariant[p.PkgPath]:
		default:
			out = append(out, p)
		}
	}
	return out
}

// loader type-checks the root packages of one Load.
type loader struct {
	cfg   LoadConfig
	pcfg  *packages.Config
	fset  *token.FileSet
	sizes types.Sizes
	roots map[string]*Package // by ID; nil until checked
	// view holds the packages export data refers to, by path: the
	// dependencies read so far and the roots checked so far, so that a
	// dependency's view of a root is the root's own types.
	view    map[string]*types.Package
	exports map[string]*packages.Package // direct dependencies of roots, by path
	visited map[string]bool
}

// loadExports asks go list for the export data of the roots' direct
// dependencies (compiling them if the build cache does not have them).
func (ld *loader) loadExports(ctx context.Context, roots []*packages.Package) error {
	paths := make(map[string]bool)
	for _, p := range roots {
		for _, imp := range p.Imports {
			if _, isRoot := ld.roots[imp.ID]; isRoot || imp.PkgPath == "unsafe" || imp.PkgPath == "C" {
				continue
			}
			paths[imp.PkgPath] = true
		}
	}
	ld.exports = make(map[string]*packages.Package)
	if len(paths) == 0 {
		return nil
	}
	cfg := *ld.pcfg
	cfg.Mode = packages.NeedName | packages.NeedExportFile
	cfg.Tests = false
	cfg.Overlay = nil
	deps, err := packages.Load(&cfg, slices.Sorted(maps.Keys(paths))...)
	if err != nil {
		return err
	}
	for _, d := range deps {
		ld.exports[d.PkgPath] = d
	}
	return nil
}

// visit type-checks p, a root, after everything it depends on: other roots
// and the dependencies whose export data may refer to them.
func (ld *loader) visit(p *packages.Package) {
	if ld.visited[p.ID] {
		return
	}
	ld.visited[p.ID] = true
	for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
		ld.visit(p.Imports[path])
	}
	if _, isRoot := ld.roots[p.ID]; isRoot {
		pkg := ld.check(p)
		ld.roots[p.ID] = pkg
		// A test variant shares its path with the package it replaces,
		// which export data (and the packages outside the test) refer
		// to: it is found by its ID only, never by path.
		if pkg.Types != nil && p.ForTest == "" {
			ld.view[pkg.PkgPath] = pkg.Types
		}
	}
}

// check parses and type-checks the root p.
func (ld *loader) check(p *packages.Package) *Package {
	pkg := &Package{
		ID: p.ID, PkgPath: p.PkgPath, Name: p.Name,
		Fset: ld.fset, Sizes: ld.sizes, OtherFiles: p.OtherFiles,
		Filenames: p.GoFiles,
		Contents:  make(map[string][]byte),
		imports:   make(map[string]*types.Package),
	}
	if p.Module != nil {
		pkg.Module = &analysis.Module{Path: p.Module.Path, Version: p.Module.Version, GoVersion: p.Module.GoVersion}
	}
	pkg.Dir = filepath.Dir(p.GoFiles[0])
	for _, name := range p.GoFiles {
		src, ok := ld.cfg.Overlay[name]
		if !ok {
			var err error
			if src, err = os.ReadFile(name); err != nil {
				pkg.Errors = append(pkg.Errors, err)
				continue
			}
		}
		pkg.Contents[name] = src
		pkg.Files = append(pkg.Files, pkg.parse(name, src))
	}
	// go list reports the syntax errors it finds in the package clause and
	// imports too: keep its other errors (the package's own, like an import
	// cycle or a bad build constraint).
	for _, e := range p.Errors {
		if !slices.ContainsFunc(pkg.Errors, func(err error) bool { return strings.HasSuffix(err.Error(), ": "+e.Msg) }) {
			pkg.listErrors = append(pkg.listErrors, listError(e, ld.cfg.Dir))
		}
	}
	pkg.Errors = append(pkg.listErrors, pkg.Errors...)
	// The importer of the type checker, and the imports Reparse checks
	// against: import paths as written, resolved by go list.
	importErrs := make(map[string]error)
	for path, imp := range p.Imports {
		switch t, err := ld.importPackage(imp); {
		case err != nil:
			importErrs[path] = err
		default:
			pkg.imports[path] = t
		}
	}
	// Imports go list did not report at all: it could not list the
	// package's directory (a broken go.mod, say) and fell back to the file
	// alone. Say why, or the type errors would only say "not loaded".
	var unresolved error
	for _, f := range pkg.Files {
		for _, spec := range leadingImports(f) {
			path, _ := strconv.Unquote(spec.Path.Value)
			if _, ok := p.Imports[path]; ok || path == "C" || path == "unsafe" {
				continue
			}
			if unresolved == nil {
				unresolved = ld.whyUnlisted(pkg.Dir)
				pkg.listErrors = append(pkg.listErrors, unresolved)
				pkg.Errors = append([]error{unresolved}, pkg.Errors...)
			}
			importErrs[path] = unresolved
		}
	}
	pkg.importErrs = importErrs
	pkg.Types, pkg.Info = pkg.check(pkg.Files)
	return pkg
}

// listError is an error of go list, with its position (if any) absolute.
func listError(e packages.Error, dir string) error {
	switch {
	case e.Pos == "" || e.Pos == "-":
		return errors.New(e.Msg)
	case !filepath.IsAbs(e.Pos) && dir != "":
		return fmt.Errorf("%s: %s", filepath.Join(dir, e.Pos), e.Msg)
	}
	return e
}

// leadingImports returns the imports of f that go list sees: those before
// the first other declaration. A later one is a syntax error (reported as
// such), not an import to load.
func leadingImports(f *ast.File) []*ast.ImportSpec {
	var out []*ast.ImportSpec
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			break
		}
		for _, spec := range gd.Specs {
			out = append(out, spec.(*ast.ImportSpec))
		}
	}
	return out
}

// whyUnlisted returns the error of go list on dir, for a package whose
// imports it did not resolve.
func (ld *loader) whyUnlisted(dir string) error {
	cfg := *ld.pcfg
	cfg.Mode = packages.NeedName
	cfg.Tests = false
	cfg.Dir = dir
	pkgs, err := packages.Load(&cfg, ".")
	if err == nil {
		var msgs []string
		for _, p := range pkgs {
			for _, e := range p.Errors {
				msgs = append(msgs, e.Error())
			}
		}
		if len(msgs) == 0 {
			return fmt.Errorf("go list did not resolve the imports of the package in %s", dir)
		}
		err = errors.New(strings.Join(msgs, "; "))
	}
	return fmt.Errorf("go list cannot resolve the imports of the package in %s: %w", dir, err)
}

// importPackage returns the types of a dependency of a root.
func (ld *loader) importPackage(imp *packages.Package) (*types.Package, error) {
	if imp.PkgPath == "unsafe" {
		return types.Unsafe, nil
	}
	if r, isRoot := ld.roots[imp.ID]; isRoot {
		if r == nil || r.Types == nil {
			return nil, fmt.Errorf("package %s could not be type-checked", imp.PkgPath)
		}
		return r.Types, nil
	}
	if t := ld.view[imp.PkgPath]; t != nil && t.Complete() {
		return t, nil
	}
	d := ld.exports[imp.PkgPath]
	if d == nil || d.ExportFile == "" {
		var msgs []string
		if d != nil {
			for _, e := range d.Errors {
				msgs = append(msgs, e.Msg)
			}
		}
		for _, e := range imp.Errors {
			msgs = append(msgs, e.Msg)
		}
		if len(msgs) == 0 {
			msgs = append(msgs, "no export data")
		}
		return nil, errors.New(strings.Join(slices.Compact(msgs), "; "))
	}
	return readExport(ld.fset, ld.view, d.ExportFile, imp.PkgPath)
}

// readExport reads export data. The reader has crashed on data it did not
// expect before; a crash is the dependency's error, not the load's.
func readExport(fset *token.FileSet, view map[string]*types.Package, file, path string) (t *types.Package, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("reading export data of %s: %v", path, r)
		}
	}()
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %v", path, err)
	}
	return gcexportdata.Read(r, fset, view, path)
}

// parse parses one file, recording its syntax errors. It always returns a
// file, so that Files and Filenames stay parallel; a file without a package
// clause (empty, or not Go) has an empty Name and is not type-checked.
func (p *Package) parse(name string, src []byte) *ast.File {
	f, err := parser.ParseFile(p.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	var el scanner.ErrorList
	if errors.As(err, &el) {
		for _, e := range el {
			p.Errors = append(p.Errors, e)
		}
	} else if err != nil {
		p.Errors = append(p.Errors, err)
	}
	if f == nil {
		tf := p.Fset.AddFile(name, -1, len(src))
		f = &ast.File{Name: &ast.Ident{}, FileStart: token.Pos(tf.Base()), FileEnd: token.Pos(tf.Base() + tf.Size())}
	}
	return f
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
		Contents: make(map[string][]byte, len(p.Filenames)), imports: p.imports, importErrs: p.importErrs,
		listErrors: p.listErrors,
	}
	np.Errors = append(np.Errors, p.listErrors...)
	for _, name := range p.Filenames {
		src, ok := contents[name]
		if !ok {
			var err error
			if src, err = p.Content(name); err != nil {
				return nil, err
			}
		}
		np.Contents[name] = src
		f := np.parse(name, src)
		for _, imp := range leadingImports(f) {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "C" || path == "unsafe" {
				continue
			}
			if _, ok := p.imports[path]; !ok && p.importErrs[path] == nil {
				return nil, fmt.Errorf("%w: %s imports %q", ErrImportsChanged, filepath.Base(name), path)
			}
		}
		np.Files = append(np.Files, f)
	}
	np.Types, np.Info = np.check(np.Files)
	return np, nil
}

// check type-checks files against the imports of the load, recording
// errors. A panic of the type checker (go/types has bugs that crash on some
// input) is recorded as an error too, and leaves the package without types.
func (p *Package) check(files []*ast.File) (tpkg *types.Package, info *types.Info) {
	info = newInfo()
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if t, ok := p.imports[path]; ok {
				return t, nil
			}
			if err := p.importErrs[path]; err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("package %q was not loaded", path)
		}),
		// Files that import "C" are analysed as written, not as cgo
		// rewrites them: uses of C have no types, and the functions that
		// use them are left out of the analysis.
		FakeImportC: true,
		Sizes:       p.Sizes,
		Error:       func(err error) { p.Errors = append(p.Errors, err) },
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	defer func() {
		if r := recover(); r != nil {
			p.Errors = append(p.Errors, &CrashError{Pkg: p.PkgPath, Pos: firstPos(files), Value: r, Stack: debug.Stack()})
			tpkg, info = nil, nil
		}
		sort.SliceStable(p.Errors, func(i, j int) bool { return errorPos(p.Errors[i]) < errorPos(p.Errors[j]) })
	}()
	// A file without a package clause is reported as a syntax error; the
	// type checker would add a confusing "package ; expected package x".
	files = slices.DeleteFunc(slices.Clone(files), func(f *ast.File) bool { return f.Name == nil || f.Name.Name == "" })
	tpkg, _ = conf.Check(p.PkgPath, p.Fset, files, info)
	return tpkg, info
}

// CrashError is a panic of the type checker on a package.
type CrashError struct {
	Pkg   string
	Pos   token.Pos // the package clause of its first file
	Value any
	Stack []byte
}

func (e *CrashError) Error() string {
	return fmt.Sprintf("the Go type checker crashed on package %s (a go/types bug), so synclens cannot analyse it (panic: %v)", e.Pkg, e.Value)
}

func firstPos(files []*ast.File) token.Pos {
	if len(files) == 0 {
		return token.NoPos
	}
	return files[0].Package
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
