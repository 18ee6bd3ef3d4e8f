package lsp

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestEditNoDebounce: an edit is analysed at once even with an hour of
// debounce, which only delays the packages that depend on the edited one
// (the test variant).
func TestEditNoDebounce(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	testSrc := "package a\n\nimport \"testing\"\n\nfunc TestGet(t *testing.T) { (&Cache{}).Get(\"k\") }\n"
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc, "a/a_test.go": testSrc})
	c := startClient(t, clientOptions{opts: Options{Debounce: time.Hour}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)
	tu := c.open(ctx, filepath.Join(dir, "a", "a_test.go"), testSrc)
	c.diagnostics(ctx, tu, 1)
	c.srv.mu.Lock()
	testKey := keyOf(c.srv.docs[docKey(tu)].path) // the server's spelling of the path
	c.srv.mu.Unlock()
	idle := func() bool {
		c.srv.mu.Lock()
		defer c.srv.mu.Unlock()
		st := c.srv.pkgs[testKey]
		return st != nil && !st.running
	}
	// The test variant's worker ends once nothing is pending.
	for !idle() {
		select {
		case <-ctx.Done():
			t.Fatal("the test variant's worker does not end")
		case <-time.After(time.Millisecond):
		}
	}

	fixed := strings.Replace(bugSrc, "\t\treturn 0, errMissing\n", "\t\tc.mu.Unlock()\n\t\treturn 0, errMissing\n", 1)
	c.changeFull(ctx, u, 2, fixed)
	if p := c.diagnostics(ctx, u, 2); len(p.Diagnostics) != 0 {
		t.Errorf("after the fix: %+v", p.Diagnostics)
	}
	// The test variant waits for the debounce.
	c.srv.mu.Lock()
	st := c.srv.pkgs[testKey]
	waiting := st.pending && !st.running && st.timer != nil
	c.srv.mu.Unlock()
	if !waiting {
		t.Errorf("the test variant is not waiting for the debounce: %+v", st)
	}
}

// TestEditSupersedes: an edit that arrives while the previous version is
// being analysed cancels that analysis; only the new version is published.
func TestEditSupersedes(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc})
	var block atomic.Bool
	started := make(chan struct{}, 1)
	c := startClient(t, clientOptions{opts: Options{beforeAnalyze: func(actx context.Context, _ pkgKey) {
		if block.Load() {
			started <- struct{}{}
			select { // hold the analysis until an edit cancels it
			case <-actx.Done():
			case <-ctx.Done():
			}
		}
	}}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)

	block.Store(true)
	c.changeFull(ctx, u, 2, bugSrc+"\n// two\n")
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("the analysis of version 2 did not start")
	}
	block.Store(false)
	c.changeFull(ctx, u, 3, bugSrc+"\n// three\n")
	if p := c.diagnostics(ctx, u, 3); len(p.Diagnostics) != 1 {
		t.Errorf("version 3: %+v", p.Diagnostics)
	}
	if n := c.srv.superseded.Load(); n != 1 {
		t.Errorf("%d analyses superseded, want 1", n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.pubs[docKey(u)] {
		if v, _ := p.Version.Get(); v == 2 {
			t.Errorf("version 2 was published after it was superseded")
		}
	}
}

// TestEditCancelsDependents: an edit of a package cancels the analysis in
// flight of its test variant, which then waits for the debounce instead of
// starting over at once.
func TestEditCancelsDependents(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	testSrc := "package a\n\nimport \"testing\"\n\nfunc TestGet(t *testing.T) { (&Cache{}).Get(\"k\") }\n"
	dir := writeModule(t, map[string]string{"a/a.go": bugSrc, "a/a_test.go": testSrc})
	var block atomic.Bool
	started := make(chan struct{}, 1)
	c := startClient(t, clientOptions{opts: Options{Debounce: time.Hour, beforeAnalyze: func(actx context.Context, key pkgKey) {
		if key.test && block.Load() {
			started <- struct{}{}
			select {
			case <-actx.Done():
			case <-ctx.Done():
			}
		}
	}}})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), bugSrc)
	c.diagnostics(ctx, u, 1)
	tu := c.open(ctx, filepath.Join(dir, "a", "a_test.go"), testSrc)
	c.diagnostics(ctx, tu, 1)

	// Edit the test file: its package is analysed at once, and held.
	block.Store(true)
	c.changeFull(ctx, tu, 2, testSrc+"\n// edited\n")
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("the analysis of the test variant did not start")
	}
	block.Store(false)
	// Edit the package: analysed at once; the test variant's analysis is
	// cancelled and waits for the debounce.
	c.changeFull(ctx, u, 2, bugSrc+"\n// edited\n")
	c.diagnostics(ctx, u, 2)
	c.srv.mu.Lock()
	testKey := keyOf(c.srv.docs[docKey(tu)].path)
	c.srv.mu.Unlock()
	for {
		c.srv.mu.Lock()
		st := c.srv.pkgs[testKey]
		running, pending, timer := st.running, st.pending, st.timer != nil
		c.srv.mu.Unlock()
		if !running {
			if !pending || !timer {
				t.Errorf("the test variant ran or lost its work: pending %v, timer %v", pending, timer)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the test variant's worker does not stop")
		case <-time.After(time.Millisecond):
		}
	}
	if n := c.srv.superseded.Load(); n != 1 {
		t.Errorf("%d analyses superseded, want 1", n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.pubs[docKey(tu)] {
		if v, _ := p.Version.Get(); v == 2 {
			t.Errorf("the cancelled analysis of the test file was published")
		}
	}
}
