// Package editors_test runs the editor integrations' tests from
// go test ./...: the Neovim headless test (nvim/test/headless.lua), the
// VS Code extension's npm test (vscode/) and the extension in a real VS Code
// (code-server in headless Chromium, vscode/test/real), all against a
// synclens built once from this repository. Each skips, saying why, when
// its editor or toolchain is missing (nvim; node and npm; Chromium and an
// installable code-server).
package editors_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Generous: the first package load on a cold build cache compiles the
// standard library (24-60 s on 2 cores), and the race detector and other
// packages' tests share the machine.
const (
	buildTimeout  = 10 * time.Minute
	nvimTimeout   = 10 * time.Minute
	npmCITimeout  = 10 * time.Minute
	npmRunTimeout = 15 * time.Minute
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
	extDir  string // the copy of vscode/ that preparedExtension made
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{binDir, extDir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// synclens returns the server binary: $SYNCLENS if set, else one built from
// the repository root on first use.
func synclens(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SYNCLENS"); p != "" {
		return p
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "synclens-editors-")
		if binErr != nil {
			return
		}
		name := "synclens"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		binPath = filepath.Join(binDir, name)
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, goCommand(), "build", "-o", binPath, "github.com/synclens/synclens")
		cmd.Dir = ".."
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build github.com/synclens/synclens: %v\n%s", err, out)
			return
		}
		t.Logf("built %s in %.1fs", binPath, time.Since(start).Seconds())
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// goCommand is the go command running this test, else go on PATH.
func goCommand() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// copySample copies testdata/buggy (a module with an unreleasedlock bug) to
// a temporary directory.
func copySample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	copyTree(t, filepath.Join("testdata", "buggy"), dst, nil)
	return dst
}

// run runs cmd with a timeout, logging its output, and fails the test if it
// does not exit 0.
func run(t *testing.T, timeout time.Duration, cmd *exec.Cmd) string {
	t.Helper()
	start := time.Now()
	out, err := runOutput(timeout, cmd)
	t.Logf("$ %s (in %s, %.1fs)\n%s", strings.Join(cmd.Args, " "), cmd.Dir, time.Since(start).Seconds(), out)
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	return out
}

// runOutput runs cmd with a timeout and returns its output, stdout and
// stderr together.
func runOutput(timeout time.Duration, cmd *exec.Cmd) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	c.Dir, c.Env = cmd.Dir, cmd.Env
	c.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	if ctx.Err() != nil {
		return out.String(), fmt.Errorf("timed out after %v", timeout)
	}
	return out.String(), err
}

// copyTree copies the directory src to dst, leaving out the entries skip
// reports (rel is relative to src, with forward slashes).
func copyTree(t *testing.T, src, dst string, skip func(rel string, d fs.DirEntry) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel != "." && skip != nil && skip(filepath.ToSlash(rel), d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func absPath(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNeovim runs nvim/test/headless.lua in a real headless Neovim: set-up
// as the README says, diagnostics with code, href and related location,
// hover (K), the quick fix, Open guide and :SynclensGuide, disabling the
// check, :SynclensRestart, shutdown. It runs twice: alone on a cold build
// cache, where the first load is slow and the plugin must show its
// progress, and next to a real gopls, whose hover must show in the same
// window as synclens's.
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("skipping the Neovim test: nvim is not installed (on Debian: apt-get install neovim)")
	}
	bin := synclens(t)
	t.Run("cold build cache", func(t *testing.T) {
		runHeadless(t, nvim, bin, "GOCACHE="+t.TempDir(), "SYNCLENS_EXPECT_PROGRESS=1")
	})
	t.Run("next to gopls", func(t *testing.T) {
		gopls := os.Getenv("GOPLS")
		if gopls == "" {
			if gopls, err = exec.LookPath("gopls"); err != nil {
				t.Skip("skipping the test next to gopls: gopls is not installed (go install golang.org/x/tools/gopls@v0.23.0)")
			}
		}
		runHeadless(t, nvim, bin, "GOPLS="+gopls)
	})
}

func runHeadless(t *testing.T, nvim, bin string, env ...string) {
	sample := copySample(t)
	cmd := exec.Command(nvim, "--headless", "--clean",
		"--cmd", "lua vim.opt.runtimepath:prepend(os.getenv('SYNCLENS_NVIM_RTP'))",
		"-c", "lua dofile(os.getenv('SYNCLENS_NVIM_TEST'))")
	cmd.Dir = t.TempDir()
	var inherited []string
	for _, kv := range os.Environ() {
		// Each run says itself whether gopls joins in.
		if !strings.HasPrefix(kv, "GOPLS=") {
			inherited = append(inherited, kv)
		}
	}
	cmd.Env = append(inherited,
		"SYNCLENS="+bin,
		"SAMPLE="+sample,
		"SYNCLENS_NVIM_RTP="+absPath(t, "nvim"),
		"SYNCLENS_NVIM_TEST="+absPath(t, filepath.Join("nvim", "test", "headless.lua")),
		// Keep Neovim's LSP log and state (and gopls's cache) out of the
		// user's home.
		"XDG_STATE_HOME="+t.TempDir(),
		"XDG_CACHE_HOME="+t.TempDir(),
		"XDG_DATA_HOME="+t.TempDir(),
	)
	cmd.Env = append(cmd.Env, env...)
	out := run(t, nvimTimeout, cmd)
	if !strings.Contains(out, " passed, 0 failed") {
		t.Fatalf("the headless test did not report its result:\n%s", out)
	}
}

// TestNeovimImportRace runs go test -race on a copy of testdata/racy and
// has real headless Neovim show the report with :SynclensImportRace
// (nvim/test/importrace.lua).
func TestNeovimImportRace(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("skipping the Neovim test: nvim is not installed (on Debian: apt-get install neovim)")
	}
	if out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output(); err != nil {
		t.Skipf("go env: %v", err)
	} else if f := strings.Fields(string(out)); len(f) < 2 || f[0] != "1" {
		t.Skip("cgo is disabled: the race detector needs it")
	} else if _, err := exec.LookPath(f[1]); err != nil {
		t.Skipf("no C compiler (%s): the race detector needs one", f[1])
	}
	bin := synclens(t)
	sample := t.TempDir()
	copyTree(t, filepath.Join("testdata", "racy"), sample, nil)
	race := exec.Command("go", "test", "-race", "-count=1", ".")
	race.Dir = sample
	out, _ := race.CombinedOutput() // the race fails the test
	if !bytes.Contains(out, []byte("WARNING: DATA RACE")) {
		t.Fatalf("go test -race reported no race:\n%s", out)
	}
	report := filepath.Join(sample, "race.txt")
	if err := os.WriteFile(report, out, 0o666); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nvim, "--headless", "--clean",
		"--cmd", "lua vim.opt.runtimepath:prepend(os.getenv('SYNCLENS_NVIM_RTP'))",
		"-c", "lua dofile(os.getenv('SYNCLENS_NVIM_TEST'))")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(),
		"SYNCLENS="+bin,
		"SAMPLE="+sample,
		"REPORT="+report,
		"SYNCLENS_NVIM_RTP="+absPath(t, "nvim"),
		"SYNCLENS_NVIM_TEST="+absPath(t, filepath.Join("nvim", "test", "importrace.lua")),
		"XDG_STATE_HOME="+t.TempDir(),
		"XDG_CACHE_HOME="+t.TempDir(),
		"XDG_DATA_HOME="+t.TempDir(),
	)
	if got := run(t, nvimTimeout, cmd); !strings.Contains(got, " passed, 0 failed") {
		t.Fatalf("the headless test did not report its result:\n%s", got)
	}
}

// TestVSCode runs npm test on a copy of vscode/: packaging the .vsix, the
// activation code against a stand-in vscode module, and the server end to
// end with VS Code's client capabilities. The test in a real VS Code is
// TestVSCodeReal.
func TestVSCode(t *testing.T) {
	ext := preparedExtension(t)
	test := exec.Command(ext.npm, "test")
	test.Dir, test.Env = ext.dir, ext.env
	out := run(t, npmRunTimeout, test)
	if !strings.Contains(out, "# fail 0") {
		t.Fatalf("npm test did not report its result:\n%s", out)
	}
}

// extension is a copy of vscode/ with its node_modules installed.
type extension struct {
	dir string   // the copy of vscode/
	env []string // the environment to run npm and node in
	npm string
	bin string // the synclens binary
}

var (
	extOnce sync.Once
	ext     extension
	extErr  string
	extSkip string
)

// preparedExtension copies vscode/ and runs npm ci there, once for the
// tests that need it. It skips, saying why, without node and npm.
func preparedExtension(t *testing.T) extension {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping the VS Code extension tests: %s is not installed (they need Node 20+ and npm)", tool)
		}
	}
	bin := synclens(t)
	extOnce.Do(func() {
		// Work on a copy: other runs of go test may share this checkout,
		// and npm ci replaces node_modules. The copy keeps the layout the
		// tests expect (editors/vscode next to editors/testdata/buggy).
		// It outlives the test that made it: TestMain removes it.
		root, err := os.MkdirTemp("", "synclens-vscode-")
		if err != nil {
			extErr = err.Error()
			return
		}
		extDir = root
		root = filepath.Join(root, "editors")
		copyTree(t, "vscode", filepath.Join(root, "vscode"), func(rel string, d fs.DirEntry) bool {
			return rel == "node_modules" || rel == "dist" || strings.HasSuffix(rel, ".vsix")
		})
		copyTree(t, filepath.Join("testdata", "buggy"), filepath.Join(root, "testdata", "buggy"), nil)
		dir := filepath.Join(root, "vscode")
		env := append(os.Environ(), "SYNCLENS="+bin, "npm_config_audit=false", "npm_config_fund=false", "npm_config_update_notifier=false")
		npm, _ := exec.LookPath("npm")

		ci := exec.Command(npm, "ci")
		ci.Dir, ci.Env = dir, env
		if out, err := runOutput(npmCITimeout, ci); err != nil {
			extErr = fmt.Sprintf("npm ci: %v\n%s", err, out)
			return
		}
		// go test ./... and go vet ./... walk into vscode/node_modules when
		// a developer runs npm ci there: it must hold no Go package.
		var goFiles []string
		filepath.WalkDir(filepath.Join(dir, "node_modules"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
				goFiles = append(goFiles, p)
			}
			return nil
		})
		if len(goFiles) > 0 {
			extErr = fmt.Sprintf("node_modules holds Go files, which go test ./... would build: %v", goFiles)
			return
		}
		ext = extension{dir: dir, env: env, npm: npm, bin: bin}
	})
	if extErr == "" && ext.dir == "" {
		extErr = "copying vscode/ failed in an earlier test"
	}
	if extErr != "" {
		t.Fatal(extErr)
	}
	return ext
}
