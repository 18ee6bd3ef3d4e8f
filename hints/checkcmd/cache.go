package checkcmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/internal/filecache"
)

// cacheEnv names the cache's directory, or "off" to run without it.
const cacheEnv = "SYNCLENS_CACHE"

// openCache opens the cache of per-package results, or returns nil when it
// is off or has nowhere to live: then everything is computed, as without it.
func openCache() *filecache.Cache {
	dir := os.Getenv(cacheEnv)
	switch dir {
	case "off":
		return nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "synclens")
	}
	c, err := filecache.Open(dir)
	if err != nil {
		return nil
	}
	return c
}

// missHook, if set, is told which packages a run did not find in the cache
// (tests check that exactly the changed ones are analysed again).
var missHook func([]*packages.Package)

// pkgResult is what check prints for one package: what is cached.
type pkgResult struct {
	PkgPath string
	// Errors are the package's errors (as err.Error() says them, positions
	// absolute), Failures the analyzers' failures; a package with either
	// is not cached, since they may come from the environment (a missing
	// module, a crash) rather than from the files.
	Errors      []string `json:",omitempty"`
	Failures    []string `json:",omitempty"`
	Skipped     string   `json:",omitempty"`
	LeftOut     []string `json:",omitempty"`
	Diagnostics []hints.Diagnostic
}

func (r *pkgResult) cacheable() bool { return len(r.Errors) == 0 && len(r.Failures) == 0 }

// keyer computes the cache keys of packages: a hash of everything their
// results depend on.
type keyer struct {
	global           []byte // what every package depends on
	goroot, modcache string
	release          bool              // a released Go, whose GOROOT does not change under its version
	pkgs             map[string][]byte // package ID -> hash of it and its dependencies
	err              error             // the first file that could not be read
}

// keyVars are the go env variables results depend on: the toolchain, the
// target, the flags and the module or workspace. (Not all of go env: some of
// it, like GOGCCFLAGS, differs from one run to the next.)
var keyVars = []string{
	"GOVERSION", "GOROOT", "GOOS", "GOARCH", "GOEXPERIMENT", "GOFLAGS", "GODEBUG", "CGO_ENABLED",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
	"GOMOD", "GOWORK", "GOPATH", "GOMODCACHE", "GOFIPS140",
}

// newKeyer starts the keys of the packages in l: synclens's build, the Go
// environment (version, GOOS, GOARCH, GOFLAGS, build tags...), the build
// flags and which checks run.
func newKeyer(ctx context.Context, l *hints.Listing, enabled []string, tests bool) (*keyer, error) {
	id, err := selfID()
	if err != nil {
		return nil, err
	}
	env, err := l.GoEnv(ctx, keyVars...)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "synclens check\x00%s\x00%q\x00%q\x00%v\x00", id, l.BuildFlags(), enabled, tests)
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(h, "%s=%q\x00", k, env[k])
	}
	return &keyer{
		global:   h.Sum(nil),
		goroot:   env["GOROOT"],
		modcache: env["GOMODCACHE"],
		release:  strings.HasPrefix(env["GOVERSION"], "go") && !strings.Contains(env["GOVERSION"], "devel"),
		pkgs:     make(map[string][]byte),
	}, nil
}

// key returns the cache key of a root package.
func (k *keyer) key(p *packages.Package) (filecache.Key, error) {
	h := sha256.New()
	h.Write(k.global)
	h.Write(k.pkg(p))
	var key filecache.Key
	h.Sum(key[:0])
	return key, k.err
}

// pkg returns the hash of p's files, metadata and dependencies: a change in
// any package changes the hashes of exactly those that depend on it.
func (k *keyer) pkg(p *packages.Package) []byte {
	if sum, ok := k.pkgs[p.ID]; ok {
		return sum
	}
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q\x00", p.ID, p.PkgPath, p.Name, p.ForTest)
	if m := p.Module; m != nil {
		fmt.Fprintf(h, "module %q %q %q %q\x00", m.Path, m.Version, m.GoVersion, m.Dir)
		if m.Replace != nil {
			fmt.Fprintf(h, "replace %q %q %q\x00", m.Replace.Path, m.Replace.Version, m.Replace.Dir)
		}
	}
	for _, e := range p.Errors {
		fmt.Fprintf(h, "error %q\x00", e.Error())
	}
	immutable := k.immutable(p)
	for _, name := range slices.Concat(p.GoFiles, p.OtherFiles) {
		fmt.Fprintf(h, "file %q\x00", name)
		if !immutable {
			k.hashFile(h, name)
		}
	}
	for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
		fmt.Fprintf(h, "import %q\x00", path)
		h.Write(k.pkg(p.Imports[path]))
	}
	sum := h.Sum(nil)
	k.pkgs[p.ID] = sum
	return sum
}

// immutable reports whether p's files cannot change while their names stay:
// the standard library of a released Go (its version is in the key), and a
// module version in the module cache (the go command checks it against
// go.sum and keeps it read-only). Reading those files would cost most of a
// repeated run.
func (k *keyer) immutable(p *packages.Package) bool {
	files := slices.Concat(p.GoFiles, p.OtherFiles)
	under := func(dir string) bool {
		return dir != "" && !slices.ContainsFunc(files, func(f string) bool {
			return !strings.HasPrefix(f, dir+string(filepath.Separator))
		})
	}
	switch m := p.Module; {
	case m == nil:
		return k.release && under(filepath.Join(k.goroot, "src"))
	case m.Replace == nil && m.Version != "":
		return under(k.modcache)
	}
	return false
}

func (k *keyer) hashFile(h hash.Hash, name string) {
	f, err := os.Open(name)
	if err != nil {
		if k.err == nil {
			k.err = err
		}
		return
	}
	defer f.Close()
	fh := sha256.New()
	if _, err := io.Copy(fh, f); err != nil && k.err == nil {
		k.err = err
	}
	h.Write(fh.Sum(nil))
}

// selfID identifies this build of synclens, so that a rebuilt synclens (its
// checks changed) never reuses the results of another: the Go build ID the
// linker writes near the start of the executable, which changes with any of
// its inputs, or else a hash of the whole executable.
func selfID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 32<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	if i := bytes.Index(head, []byte(prefix)); i >= 0 {
		rest := head[i+len(prefix):]
		if j := bytes.Index(rest, []byte(suffix)); j > 0 {
			return string(rest[:j]), nil
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("sha256:%x", h.Sum(nil)), nil
}

func encodeResult(r *pkgResult) ([]byte, error) { return json.Marshal(r) }

// decodeResult reads an entry; one that does not decode (another format)
// is a miss.
func decodeResult(b []byte, pkgPath string) (*pkgResult, bool) {
	var r pkgResult
	if err := json.Unmarshal(b, &r); err != nil || r.PkgPath != pkgPath || !r.cacheable() {
		return nil, false
	}
	return &r, true
}
