package docs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// copyFiles returns the files of a local copy: for each page, the rendered
// <page>.html and the markdown <page>.md as embedded (front matter included,
// so that a Section's Line is a line of that file).
func copyFiles() map[string][]byte {
	files := map[string][]byte{}
	for name, h := range renderAll() {
		files[name+".html"] = h
	}
	for _, p := range load() {
		files[p.name+".md"] = p.src
	}
	return files
}

// contentHash names a version of the guide: a hash of every file of the copy.
func contentHash(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

var localCopyMu sync.Mutex

// LocalCopy writes the guide, as HTML pages and as the markdown pages, to
// os.UserCacheDir()/synclens/docs/<content-hash>/ and returns that directory.
// A version is written once: later calls, from this process or another, find
// it complete and return at once. The directory appears whole or not at all,
// since it is written under a temporary name and renamed into place.
//
// Editors open file://<dir>/<page>.html#<anchor> (see [URL]), or <dir>/<page>.md
// at a section's Line.
func LocalCopy() (string, error) {
	localCopyMu.Lock()
	defer localCopyMu.Unlock()

	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("docs: local copy: %w", err)
	}
	files := copyFiles()
	parent := filepath.Join(cache, "synclens", "docs")
	dir := filepath.Join(parent, contentHash(files))
	if complete(dir, files) {
		return dir, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("docs: local copy: %w", err)
	}
	removeStale(parent)
	tmp, err := os.MkdirTemp(parent, ".tmp-")
	if err != nil {
		return "", fmt.Errorf("docs: local copy: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("docs: local copy: %w", err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", fmt.Errorf("docs: local copy: %w", err)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		// An incomplete or damaged copy, not made by this code: move it aside.
		old := dir + ".old-" + filepath.Base(tmp)
		if err := os.Rename(dir, old); err == nil {
			defer os.RemoveAll(old)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process may have renamed its own copy into place first.
		if complete(dir, files) {
			return dir, nil
		}
		return "", fmt.Errorf("docs: local copy: %w", err)
	}
	return dir, nil
}

// removeStale removes temporary directories left by writers that died more
// than an hour ago, so that a crash does not leave files behind for good.
func removeStale(parent string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".tmp-") && !strings.Contains(e.Name(), ".old-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// complete reports whether dir holds every file of the copy, byte for byte.
func complete(dir string, files map[string][]byte) bool {
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != string(want) {
			return false
		}
	}
	return true
}
