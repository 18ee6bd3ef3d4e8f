package hints

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// moduleFlags are the build flags the go command accepts only in module mode.
// go/packages runs one go list in GOPATH mode (to learn the Go version,
// golang/go#48482), which fails if GOFLAGS holds one of these; given as build
// flags instead, they are left out of that run.
var moduleFlags = []string{"mod", "modfile", "modcacherw"}

// goEnv returns the environment and build flags to run the go command with:
// the module-mode flags of GOFLAGS moved to the build flags, a relative
// -modfile made absolute, and GOTOOLCHAIN=local unless the environment sets
// GOTOOLCHAIN, so that a go.mod asking for another Go version fails with a
// clear error instead of downloading and running that toolchain.
func goEnv(cfg LoadConfig) (env, flags []string) {
	env = cfg.Env
	if env == nil {
		env = os.Environ()
	}
	env = slices.Clone(env)
	flags = slices.Clone(cfg.BuildFlags)
	hasToolchain := false
	for i, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		switch name {
		case "GOTOOLCHAIN":
			hasToolchain = true
		case "GOFLAGS":
			var keep []string
			for _, f := range strings.Fields(value) {
				if isModuleFlag(f) && !hasFlag(cfg.BuildFlags, flagName(f)) {
					flags = append(flags, f) // the command line wins over GOFLAGS, as in go
					continue
				}
				if !isModuleFlag(f) {
					keep = append(keep, f)
				}
			}
			env[i] = "GOFLAGS=" + strings.Join(keep, " ")
		}
	}
	if !hasToolchain {
		env = append(env, "GOTOOLCHAIN=local")
	}
	return env, absModfile(flags, cfg.Dir)
}

func flagName(f string) string {
	name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
	return name
}

func isModuleFlag(f string) bool {
	return strings.HasPrefix(f, "-") && slices.Contains(moduleFlags, flagName(f))
}

func hasFlag(flags []string, name string) bool {
	return slices.ContainsFunc(flags, func(f string) bool { return strings.HasPrefix(f, "-") && flagName(f) == name })
}

// absModfile makes a relative -modfile absolute: relative to dir if the file
// is there, else to the root of dir's module (an alternative go.mod sits
// beside go.mod, and the server runs go list in the package's directory).
func absModfile(flags []string, dir string) []string {
	for i := 0; i < len(flags); i++ {
		if !strings.HasPrefix(flags[i], "-") || flagName(flags[i]) != "modfile" {
			continue
		}
		at, value := i, ""
		if _, v, ok := strings.Cut(flags[i], "="); ok {
			value = v
		} else if i+1 < len(flags) {
			at, value = i+1, flags[i+1]
			i++
		}
		if value == "" || filepath.IsAbs(value) {
			continue
		}
		abs := filepath.Join(dir, value)
		if _, err := os.Stat(abs); err != nil {
			if root := moduleRoot(dir); root != "" {
				abs = filepath.Join(root, value)
			}
		}
		if at == i && strings.Contains(flags[i], "=") {
			flags[i] = "-modfile=" + abs
		} else {
			flags[at] = abs
		}
	}
	return flags
}

func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// goarch is the GOARCH of env, for type sizes.
func goarch(env []string) string {
	for _, kv := range slices.Backward(env) {
		if v, ok := strings.CutPrefix(kv, "GOARCH="); ok && v != "" {
			return v
		}
	}
	return runtime.GOARCH
}

// toolchainHint explains a go command error caused by a module that asks
// for a newer Go than the one on PATH: synclens does not switch toolchains
// (that downloads and runs a toolchain named by the repository).
func toolchainHint(err error, dir string, env []string) error {
	if err == nil || !strings.Contains(err.Error(), "requires go >=") {
		return err
	}
	want := "a newer Go"
	if i := strings.Index(err.Error(), "requires go >= "); i >= 0 {
		rest := err.Error()[i+len("requires go >= "):]
		if j := strings.IndexAny(rest, " ;)\n"); j > 0 {
			want = "go" + rest[:j]
		}
	}
	if !slices.Contains(env, "GOTOOLCHAIN=local") {
		return err
	}
	return errors.Join(err, fmt.Errorf("the module in %s wants %s; synclens runs the go command with GOTOOLCHAIN=local so that it never downloads a toolchain: install %s, or set GOTOOLCHAIN (for example GOTOOLCHAIN=auto) in synclens's environment", dir, want, want))
}
