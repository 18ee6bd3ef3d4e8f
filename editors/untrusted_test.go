package editors_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNeovimUntrustedRepository opens a file of a repository that tries to
// run code when opened (.exrc, .nvim.lua, go:generate, cgo flags that run
// tools, -toolexec in a go.env) in a real Neovim set up as the README says,
// with a user config rather than --clean, and waits for synclens's
// diagnostic: nothing of the repository may have run.
func TestNeovimUntrustedRepository(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("skipping the Neovim test: nvim is not installed (on Debian: apt-get install neovim)")
	}
	bin := synclens(t)
	repo := t.TempDir()
	hookDir := filepath.Join(repo, "bin")
	hook := func(name string) string {
		p := filepath.Join(hookDir, name)
		writeFile(t, p, "#!/bin/sh\ntouch "+filepath.Join(repo, "ran-"+name)+"\nexit 1\n")
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range []string{"gcc", "cc", "clang", "pkg-config"} {
		hook(name)
	}
	writeFile(t, filepath.Join(repo, "go.mod"), "module example.com/evil\n\ngo 1.26\n\ntoolchain go1.99.0\n")
	writeFile(t, filepath.Join(repo, "go.env"), "GOFLAGS=-toolexec="+hook("toolexec")+"\n")
	writeFile(t, filepath.Join(repo, ".exrc"), "silent !"+hook("exrc")+"\n")
	writeFile(t, filepath.Join(repo, ".nvim.lua"), "os.execute('"+hook("nvimlua")+"')\n")
	writeFile(t, filepath.Join(repo, "evil.go"), `package evil

//go:generate `+hook("generate")+`

// #cgo pkg-config: evil
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
	config := t.TempDir()
	writeFile(t, filepath.Join(config, "nvim", "init.lua"), `vim.opt.runtimepath:append(os.getenv("SYNCLENS_NVIM_RTP"))
if vim.lsp.config then
  vim.lsp.config("synclens", { cmd = { os.getenv("SYNCLENS") } })
  vim.lsp.enable("synclens")
else
  require("synclens").setup({ cmd = { os.getenv("SYNCLENS") } })
end
`)
	script := filepath.Join(t.TempDir(), "wait.lua")
	writeFile(t, script, `local ok = vim.wait(300000, function() return #vim.diagnostic.get(0) > 0 end, 50)
io.stdout:write(ok and ("diagnostics: " .. #vim.diagnostic.get(0) .. "\n") or "no diagnostics\n")
vim.cmd("qall!")
`)
	cmd := exec.Command(nvim, "--headless", "evil.go", "-c", "luafile "+script)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(),
		"PATH="+hookDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SYNCLENS="+bin,
		"SYNCLENS_NVIM_RTP="+absPath(t, "nvim"),
		"XDG_CONFIG_HOME="+config,
		"XDG_STATE_HOME="+t.TempDir(),
		"XDG_CACHE_HOME="+t.TempDir(),
		"XDG_DATA_HOME="+t.TempDir(),
	)
	out := run(t, nvimTimeout, cmd)
	if !strings.Contains(out, "diagnostics: ") {
		t.Errorf("synclens published nothing:\n%s", out)
	}
	if ran, _ := filepath.Glob(filepath.Join(repo, "ran-*")); len(ran) > 0 {
		t.Errorf("opening the repository ran %v", ran)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
