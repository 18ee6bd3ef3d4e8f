//go:build unix

package editors_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	setupTimeout      = 20 * time.Minute
	codeServerTimeout = time.Minute
	driveTimeout      = 15 * time.Minute
)

// TestVSCodeReal runs vscode/test/real/drive.js: the .vsix built from
// vscode/ installed into code-server, a real VS Code, in a workspace of the
// guide's examples, driven in the system's headless Chromium as a user
// would: the server's log, the warning in the Problems panel, the guide
// tab, the hover card, the quick fix, Open guide, and the Install button
// when the server is gone. It skips, saying why, when Chromium is missing or setup.sh
// cannot install code-server on this machine.
func TestVSCodeReal(t *testing.T) {
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				chromium = p
				break
			}
		}
	}
	if chromium == "" {
		t.Skip("skipping the real VS Code test: no Chromium (on Debian: apt-get install chromium; or set CHROMIUM)")
	}

	ext := preparedExtension(t)
	dir, env, bin := ext.dir, ext.env, ext.bin

	// code-server and playwright-core, installed once into a cache.
	setup := exec.Command("sh", absPath(t, filepath.Join("vscode", "test", "real", "setup.sh")))
	setup.Env = env
	var stderr strings.Builder
	setup.Stderr = &stderr
	start := time.Now()
	out, err := runWithTimeout(setup, setupTimeout)
	t.Logf("setup.sh (%.1fs):\n%s", time.Since(start).Seconds(), stderr.String())
	if code := exitCode(err); code == 3 {
		t.Skipf("skipping the real VS Code test: %s", strings.TrimSpace(stderr.String()))
	} else if err != nil {
		t.Fatalf("setup.sh: %v\n%s", err, stderr.String())
	}
	tools := strings.TrimSpace(out)
	if b, err := os.ReadFile(filepath.Join(tools, ".install-seconds")); err == nil {
		t.Logf("code-server and playwright-core were installed in %ss (cached in %s)", strings.TrimSpace(string(b)), tools)
	}
	codeServer := filepath.Join(tools, "node_modules", "code-server", "out", "node", "entry.js")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal(err)
	}

	// The .vsix, as a user builds it.
	vsix := filepath.Join(t.TempDir(), "synclens.vsix")
	pkg := exec.Command(node, filepath.Join("node_modules", "@vscode", "vsce", "vsce"), "package", "--skip-license", "--out", vsix)
	pkg.Dir, pkg.Env = dir, env
	run(t, npmRunTimeout, pkg)

	// A profile of its own: settings, extensions, code-server's config,
	// and a copy of the server that the test deletes at the end.
	profile := t.TempDir()
	server := filepath.Join(profile, "bin", "synclens")
	copyFile(t, bin, server, 0o755)
	userData := filepath.Join(profile, "user-data")
	extensions := filepath.Join(profile, "extensions")
	settings := map[string]any{
		// The user's setting, which Restricted Mode honours (a workspace's
		// synclens.path is ignored there).
		"synclens.path":                          server,
		"security.workspace.trust.startupPrompt": "never",
		"workbench.startupEditor":                "none",
		"workbench.tips.enabled":                 false,
		"telemetry.telemetryLevel":               "off",
		"extensions.autoCheckUpdates":            false,
		"extensions.autoUpdate":                  false,
		// xterm\'s DOM renderer, whose text the test can read.
		"terminal.integrated.gpuAcceleration": "off",
	}
	writeJSON(t, filepath.Join(userData, "User", "settings.json"), settings)
	csEnv := append(env[:len(env):len(env)], "XDG_CONFIG_HOME="+filepath.Join(profile, "config"))
	install := exec.Command(node, codeServer, "--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", vsix)
	install.Env = csEnv
	if out := run(t, codeServerTimeout, install); !strings.Contains(out, "was successfully installed") {
		t.Fatalf("code-server --install-extension did not install the .vsix:\n%s", out)
	}

	// The workspace: the guide's examples module; and the file as the
	// command line's -fix leaves it, which the quick fix must match.
	const file = "unreleasedlock/earlyreturn/sessions.go"
	workspace := filepath.Join(t.TempDir(), "examples")
	copyTree(t, filepath.Join("..", "docs", "examples"), workspace, nil)
	fixedDir := filepath.Join(t.TempDir(), "examples")
	copyTree(t, filepath.Join("..", "docs", "examples"), fixedDir, nil)
	fix := exec.Command(bin, "check", "-fix", "./"+filepath.Dir(file))
	fix.Dir = fixedDir
	out, err = runOutput(codeServerTimeout, fix)
	if code := exitCode(err); code != 0 && code != 1 {
		t.Fatalf("synclens check -fix: %v\n%s", err, out)
	}
	if a, b := readFile(t, filepath.Join(workspace, file)), readFile(t, filepath.Join(fixedDir, file)); a == b {
		t.Fatalf("synclens check -fix left %s as it was:\n%s", file, out)
	}

	// The workspace's modules are downloaded now: VS Code runs with
	// GOPROXY=off, so that the Install button's go install fails at once
	// with go's own error, without the network.
	download := exec.Command(goCommand(), "mod", "download")
	download.Dir = workspace
	if out, err := runOutput(codeServerTimeout, download); err != nil {
		t.Skipf("skipping the real VS Code test: go mod download in docs/examples failed: %v\n%s", err, out)
	}
	url := startCodeServer(t, node, append(csEnv, "GOPROXY=off"), codeServer, userData, extensions)
	drive := exec.Command(node, absPath(t, filepath.Join("vscode", "test", "real", "drive.js")))
	drive.Env = append(csEnv,
		"PLAYWRIGHT="+filepath.Join(tools, "node_modules", "playwright-core"),
		"CHROMIUM="+chromium,
		"URL="+url,
		"WORKSPACE="+workspace,
		"FILE="+file,
		"FIXED="+filepath.Join(fixedDir, file),
		"SERVER_COPY="+server,
		"SHOTS="+t.ArtifactDir(),
	)
	drive.Dir = t.TempDir()
	out = run(t, driveTimeout, drive)
	if !regexp.MustCompile(`(?m)^\d+ passed, 0 failed$`).MatchString(out) {
		t.Fatalf("drive.js did not report its result:\n%s", out)
	}
}

// startCodeServer starts code-server on a free port of the loopback
// interface and returns its address; the test's cleanup stops it and the
// processes it started (its own process group).
func startCodeServer(t *testing.T, node string, env []string, entry, userData, extensions string) string {
	t.Helper()
	cmd := exec.Command(node, entry,
		"--auth", "none", "--bind-addr", "127.0.0.1:0",
		"--user-data-dir", userData, "--extensions-dir", extensions,
		"--disable-telemetry", "--disable-update-check", "--disable-getting-started-override")
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		pw.Close()
		close(exited)
	}()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	listening := regexp.MustCompile(`HTTP server listening on (http://127\.0\.0\.1:\d+/)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			t.Logf("code-server: %s", line)
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case url := <-found:
		return url
	case <-exited:
		t.Fatal("code-server exited before it listened")
	case <-time.After(codeServerTimeout):
		t.Fatal("code-server did not listen")
	}
	return ""
}

// runWithTimeout runs cmd and returns its stdout.
func runWithTimeout(cmd *exec.Cmd, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	c.Dir, c.Env, c.Stderr = cmd.Dir, cmd.Env, cmd.Stderr
	c.WaitDelay = 10 * time.Second
	out, err := c.Output()
	if ctx.Err() != nil {
		return string(out), ctx.Err()
	}
	return string(out), err
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
