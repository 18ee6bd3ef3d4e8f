package checkcmd_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// untrustedRepo writes a repository that tries to make whoever analyses it
// run something: every hook writes a file named ran-<hook> in dir, and the C
// toolchain and pkg-config on PATH are replaced by such hooks. goLine is the
// go.mod's go version.
func untrustedRepo(t *testing.T, goLine string) (dir string) {
	dir = t.TempDir()
	hook := func(name string) string {
		p := filepath.Join(dir, "bin", name)
		write(t, dir, filepath.Join("bin", name), "#!/bin/sh\ntouch "+filepath.Join(dir, "ran-"+name)+"\nexit 1\n")
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range []string{"gcc", "cc", "clang", "pkg-config"} {
		hook(name)
	}
	write(t, dir, "go.mod", "module example.com/evil\n\ngo "+goLine+"\n\ntoolchain go1.99.0\n")
	write(t, dir, "go.env", "GOFLAGS=-toolexec="+hook("toolexec")+"\nGOTOOLCHAIN=go1.99.0\n")
	write(t, dir, ".nvim.lua", "os.execute('"+hook("nvimlua")+"')\n")
	write(t, dir, ".exrc", "silent !"+hook("exrc")+"\n")
	write(t, dir, "evil.go", `package evil

//go:generate `+hook("generate")+`

// #cgo CFLAGS: -fplugin=`+filepath.Join(dir, "evil.so")+`
// #cgo pkg-config: evil
// #cgo LDFLAGS: -Wl,--wrap=`+hook("ldflags")+`
import "C"

import "sync"

var mu sync.Mutex

func Put(ok bool) {
	mu.Lock()
	if !ok {
		return
	}
	mu.Unlock()
}
`)
	t.Setenv("PATH", filepath.Join(dir, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

// proxy is a module proxy that records what it is asked and has nothing.
func proxy(t *testing.T) *[]string {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("GOPROXY", srv.URL)
	t.Setenv("GOSUMDB", "off")
	t.Setenv("GOFLAGS", "")
	unsetenv(t, "GOTOOLCHAIN")
	// The default of a Go from go.dev (its go.env), which a distribution
	// or this machine may have changed.
	goenv := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(goenv, []byte("GOTOOLCHAIN=auto\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOENV", goenv)
	return &asked
}

func unsetenv(t *testing.T, name string) {
	old, ok := os.LookupEnv(name)
	os.Unsetenv(name)
	t.Cleanup(func() {
		if ok {
			os.Setenv(name, old)
		}
	})
}

func ran(t *testing.T, dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "ran-*"))
	return matches
}

// TestUntrustedRepository: checking a repository runs none of its code or
// tools (go:generate, -toolexec, cgo flags, pkg-config, the C compiler), and
// with GOTOOLCHAIN unset downloads no toolchain for its toolchain line.
func TestUntrustedRepository(t *testing.T) {
	asked := proxy(t)
	dir := untrustedRepo(t, "1.26")
	out, errs, code := run(t, "-C", dir, ".")
	if code != 1 || !strings.HasPrefix(out, "evil.go:15:2: mu is locked here") {
		t.Errorf("exit %d, output %q, stderr %q; want the finding", code, out, errs)
	}
	if r := ran(t, dir); len(r) > 0 {
		t.Errorf("ran the repository's hooks: %v", r)
	}
	if len(*asked) > 0 {
		t.Errorf("asked the module proxy for %v (a toolchain download?)", *asked)
	}
}

// TestToolchainWanted: a module that needs a newer Go fails with an error
// that names the toolchain it wants, instead of downloading it.
func TestToolchainWanted(t *testing.T) {
	asked := proxy(t)
	dir := untrustedRepo(t, "1.99.0")
	out, errs, code := run(t, "-C", dir, ".")
	if code != 2 || out != "" || !strings.Contains(errs, "wants go1.99.0") || !strings.Contains(errs, "GOTOOLCHAIN") {
		t.Errorf("exit %d, output %q, stderr %q; want exit 2 and an error naming go1.99.0 and GOTOOLCHAIN", code, out, errs)
	}
	if r := ran(t, dir); len(r) > 0 {
		t.Errorf("ran the repository's hooks: %v", r)
	}
	if len(*asked) > 0 {
		t.Errorf("asked the module proxy for %v (a toolchain download?)", *asked)
	}
}
