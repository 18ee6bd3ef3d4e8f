package lsp

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/synclens/synclens/hints"
)

// Loading and analysis.
//
// Open files are grouped by package key: their directory and whether they
// are test files. The key {dir, false} is the package of the directory; the
// key {dir, true} holds its test variants (the package with its _test.go
// files, and the external _test package), loaded with Tests set. Each file
// is owned by the key of its own name, and only the owner publishes its
// diagnostics, so a non-test file analysed in both is reported once.
//
// Each key has at most one worker goroutine. An edit of a file starts the
// worker of the file's own key at once (the user is waiting for it), and
// marks the keys that depend on it (the test variants of a non-test file)
// pending behind a debounce timer, which a further edit re-arms (a worker
// running meanwhile stops rather than start the work early). The worker
// takes a snapshot of the directory's open documents, brings the packages
// up to date and analyses them, and loops while edits arrived meanwhile, so
// edits are coalesced and one load at a time runs per package. An edit
// cancels the analysis in flight of every key it schedules (not a load):
// its result would be for a version nobody sees, and the work starts over
// with the new text, so a burst of keystrokes costs little more than its
// last one. Bringing up to date
// means hints.Package.Reparse (in process, sub-millisecond for small
// packages) unless a load is needed: on first open, when a file appears that
// the last load did not see, when imports change (Reparse reports
// ErrImportsChanged), or after go.mod or a dependency changed. Loads run go
// list; a global semaphore (Options.MaxLoads) keeps them from piling up.
//
// Results are published only for documents whose version is still the one
// that was analysed; a document edited meanwhile gets the next run's results.

// pkgKey names the package(s) of open files: a directory, and whether the
// test variants are meant.
type pkgKey struct {
	dir  string
	test bool
}

func keyOf(path string) pkgKey {
	return pkgKey{dir: filepath.Dir(path), test: strings.HasSuffix(path, "_test.go")}
}

// unit is one analysed package.
type unit struct {
	pkg *hints.Package
	res *hints.Result
}

func (u *unit) has(path string) bool { return slices.Contains(u.pkg.Filenames, path) }

// pkgState is the analysis state of a package key. Its fields are guarded by
// server.mu; the units themselves are immutable once stored.
type pkgState struct {
	key      pkgKey
	units    []*unit          // the last analysis
	versions map[string]int32 // open document versions that analysis saw
	analysed bool             // an analysis has completed (or failed)

	needLoad bool // the next run must load with go/packages
	// stuckImports names the imports of a snapshot that a fresh load still
	// could not give Reparse (it reported ErrImportsChanged right after
	// go list ran): loading again before the imports change would only
	// repeat that, on every keystroke. go/packages normally type-checks an
	// import it cannot find as an empty package, so this is a guard for the
	// rare rest, not the common path (TestImports covers the common one).
	stuckImports string
	// outside lists open files of the key that the last load placed in no
	// package (build constraints exclude them): editing them must not run
	// go list every time.
	outside map[string]bool
	pending bool // edits since the last snapshot
	running bool // a worker goroutine is active
	// cancel cancels the analysis in flight (nil while none runs or while
	// the run loads: a load is never thrown away).
	cancel  context.CancelFunc
	due     time.Time // pending work waits for the debounce until then
	closed  bool      // no open file left: the worker stops
	timer   *time.Timer
	updated chan struct{} // closed and replaced after every run
}

func newPkgState(key pkgKey) *pkgState {
	return &pkgState{key: key, needLoad: true, updated: make(chan struct{})}
}

func (st *pkgState) has(path string) bool {
	for _, u := range st.units {
		if u.has(path) {
			return true
		}
	}
	return false
}

func (st *pkgState) unitOf(path string) *unit {
	for _, u := range st.units {
		if u.has(path) {
			return u
		}
	}
	return nil
}

func (st *pkgState) stopTimer() {
	if st.timer != nil {
		st.timer.Stop()
	}
}

func (st *pkgState) close() {
	st.closed = true
	st.stopTimer()
	st.signal()
}

// signal wakes everyone waiting for this state to change.
func (st *pkgState) signal() {
	close(st.updated)
	st.updated = make(chan struct{})
}

// scheduleLocked asks for an analysis of st after delay (0: now). A new
// request within the delay restarts it: this is the debounce. Any request
// cancels the analysis in flight, which is of an older version; the worker
// then starts over, at once or when the debounce ends.
func (s *server) scheduleLocked(st *pkgState, delay time.Duration) {
	st.pending = true
	if st.cancel != nil {
		st.cancel()
		st.cancel = nil
	}
	if st.closed || s.closing {
		return
	}
	if delay <= 0 {
		s.runNowLocked(st)
		return
	}
	st.due = time.Now().Add(delay)
	if st.timer == nil {
		st.timer = time.AfterFunc(delay, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.startLocked(st)
		})
		return
	}
	st.timer.Reset(delay)
}

// runNowLocked starts the pending work of st without waiting for a
// debounce (a running worker picks it up when its run ends).
func (s *server) runNowLocked(st *pkgState) {
	st.due = time.Time{}
	st.stopTimer()
	s.startLocked(st)
}

// startLocked starts the worker of st unless it runs or has nothing to do.
func (s *server) startLocked(st *pkgState) {
	if st.running || !st.pending || st.closed || s.closing {
		return
	}
	st.running = true
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		s.run(st)
	}()
}

// snapshot is the state of a directory's open documents at one moment.
type snapshot struct {
	files    map[string][]byte // contents of the open Go files, by path
	versions map[string]int32
	owned    []string // open files owned by the key, sorted
}

func (s *server) snapshotLocked(key pkgKey) snapshot {
	snap := snapshot{files: make(map[string][]byte), versions: make(map[string]int32)}
	for _, doc := range s.dirDocsLocked(key.dir) {
		// Contents are never modified in place (edits build new slices), so
		// sharing them with the worker is safe.
		snap.files[doc.path] = doc.content
		snap.versions[doc.path] = doc.version
		if keyOf(doc.path) == key && !doc.tooBig {
			snap.owned = append(snap.owned, doc.path)
		}
	}
	slices.Sort(snap.owned)
	return snap
}

// run is the worker of one package key.
func (s *server) run(st *pkgState) {
	for {
		s.mu.Lock()
		if !st.pending || st.closed || s.closing || time.Now().Before(st.due) {
			// Nothing to do, or the debounce timer starts the work.
			st.running = false
			s.mu.Unlock()
			return
		}
		st.pending = false
		snap := s.snapshotLocked(st.key)
		needLoad := st.needLoad // set for a new state, and after a failed load
		st.needLoad = false
		units, ls := st.units, loadState{st.stuckImports, st.outside}
		actx, cancel := context.WithCancel(s.ctx)
		if !needLoad {
			st.cancel = cancel
		}
		s.mu.Unlock()

		if len(snap.owned) == 0 {
			cancel()
			continue // only too-big files are open
		}
		out, ls, ok := s.analyseRecovered(actx, st.key, snap, units, needLoad, ls)
		superseded := !ok && actx.Err() != nil && s.ctx.Err() == nil
		cancel()

		s.mu.Lock()
		st.cancel = nil
		if superseded {
			// A newer edit replaced this snapshot: nothing failed, and
			// the loop analyses the new one.
			s.mu.Unlock()
			s.superseded.Add(1)
			continue
		}
		st.stuckImports, st.outside = ls.stuck, ls.outside
		first := !st.analysed
		switch {
		case ok:
			st.units, st.versions = out, snap.versions
		case ls.stuck == "":
			st.needLoad = true // the load failed: try again on the next edit
		}
		st.analysed = true
		st.signal()
		s.mu.Unlock()
		if ok {
			s.publish(st)
			if first {
				// Hints asked for while the first load ran were empty.
				s.goWork(s.refreshInlayHints)
			}
		}
	}
}

// analyseRecovered is analyse on the worker goroutine, where a panic would
// kill the server: it is logged and shown once, and the next edit loads the
// package again.
func (s *server) analyseRecovered(ctx context.Context, key pkgKey, snap snapshot, units []*unit, needLoad bool, ls loadState) (out []*unit, _ loadState, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("analysis panicked", "dir", key.dir, "panic", r, "stack", string(debug.Stack()))
			s.showOnce(protocol.MessageTypeError, "synclens: internal error analysing the package in %s: %v", key.dir, r)
			out, ok = nil, false
		}
	}()
	return s.analyse(ctx, key, snap, units, needLoad, ls)
}

// analyse brings the packages of key up to date with snap and analyses them.
// It reports false if there is nothing to publish: a failed load, or imports
// that cannot be resolved (the returned loadState names them).
func (s *server) analyse(ctx context.Context, key pkgKey, snap snapshot, units []*unit, needLoad bool, ls loadState) (out []*unit, _ loadState, ok bool) {
	if !needLoad {
		for _, u := range units {
			if ctx.Err() != nil {
				return nil, ls, false
			}
			np, err := u.pkg.Reparse(s.contents(u.pkg, snap))
			if err != nil {
				if !errors.Is(err, hints.ErrImportsChanged) {
					s.log.Info("reloading package", "dir", key.dir, "reason", err)
				}
				needLoad = true
				break
			}
			out = append(out, &unit{pkg: np})
		}
		for _, path := range snap.owned {
			if !ls.outside[path] && !slices.ContainsFunc(out, func(u *unit) bool { return u.has(path) }) {
				needLoad = true // a file the last load did not see
			}
		}
	}
	if needLoad {
		imports := importsKey(snap)
		if ls.stuck != "" && imports == ls.stuck {
			return nil, ls, false // still unresolvable: go list would say the same
		}
		pkgs, err := s.load(key, snap)
		if err != nil {
			if s.ctx.Err() == nil {
				s.showOnce(protocol.MessageTypeError, "synclens: cannot load the package in %s: %v", key.dir, err)
			}
			return nil, loadState{}, false
		}
		out = out[:0]
		for _, p := range pkgs {
			if errs := p.LoadErrors(); len(errs) > 0 {
				s.showOnce(protocol.MessageTypeError, "synclens: cannot load all of the package in %s: %v", key.dir, errors.Join(errs...))
			}
			// Apply the open documents exactly as snapshotted (Load uses
			// its overlay only when imports differ from disk).
			np, err := p.Reparse(s.contents(p, snap))
			if errors.Is(err, hints.ErrImportsChanged) {
				s.showOnce(protocol.MessageTypeWarning, "synclens: %v; analysis of %s resumes once its imports resolve (go mod tidy?)", err, key.dir)
				return nil, loadState{stuck: imports}, false
			}
			if err != nil {
				s.showOnce(protocol.MessageTypeError, "synclens: cannot analyse the package in %s: %v", key.dir, err)
				return nil, loadState{}, false
			}
			out = append(out, &unit{pkg: np})
		}
		ls = loadState{}
		for _, path := range snap.owned {
			if !slices.ContainsFunc(out, func(u *unit) bool { return u.has(path) }) {
				if ls.outside == nil {
					ls.outside = make(map[string]bool)
				}
				ls.outside[path] = true
			}
		}
	}
	if needLoad {
		// Packages just loaded are kept whatever edit comes next.
		ctx = context.WithoutCancel(ctx)
	}
	s.analyses.Add(1)
	if s.opts.beforeAnalyze != nil && !needLoad {
		s.opts.beforeAnalyze(ctx, key)
	}
	for _, u := range out {
		start := time.Now()
		// Every check runs; the settings choose what is published, so
		// that enabling or disabling a check needs no new analysis.
		res, err := hints.AnalyzeContext(ctx, u.pkg, func(string) bool { return true })
		if err != nil {
			return nil, ls, false // superseded by a newer edit
		}
		u.res = res
		for _, err := range u.res.Errors {
			var pe *hints.PanicError
			if errors.As(err, &pe) {
				s.log.Error("analysis failed", "package", u.pkg.PkgPath, "error", err, "stack", string(pe.Stack))
				continue
			}
			s.log.Error("analysis failed", "package", u.pkg.PkgPath, "error", err)
		}
		s.log.Debug("analysed", "package", u.pkg.ID, "diagnostics", len(u.res.Diagnostics), "took", time.Since(start))
	}
	return out, ls, true
}

// loadState is what the last load found out about the key's files.
type loadState struct {
	stuck   string          // see pkgState.stuckImports
	outside map[string]bool // see pkgState.outside
}

// contents returns the file contents to analyse pkg with: open documents from
// the snapshot, other files from disk (a closed buffer or a file changed
// outside the editor must not keep its old contents).
func (s *server) contents(pkg *hints.Package, snap snapshot) map[string][]byte {
	out := make(map[string][]byte, len(pkg.Filenames))
	for _, name := range pkg.Filenames {
		if b, ok := snap.files[name]; ok {
			out[name] = b
		} else if b, err := os.ReadFile(name); err == nil {
			out[name] = b
		}
	}
	return out
}

// load runs go/packages for the key's open files.
func (s *server) load(key pkgKey, snap snapshot) ([]*hints.Package, error) {
	select {
	case s.loads <- struct{}{}:
		defer func() { <-s.loads }()
	case <-s.ctx.Done():
		return nil, s.ctx.Err()
	}
	// The package of a file: name one that exists on disk if there is one,
	// go list needs no overlay to find its package then. For test files,
	// list the directory: a file= query returns only the package holding
	// that file, and the directory can have two test packages (package a's
	// test variant and the external a_test).
	pattern := "."
	if !key.test {
		pattern = "file=" + snap.owned[0]
		for _, p := range snap.owned {
			if _, err := os.Stat(p); err == nil {
				pattern = "file=" + p
				break
			}
		}
	}
	s.mu.Lock()
	flags := s.cfg.buildFlags
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(s.ctx, s.opts.LoadTimeout)
	defer cancel()
	defer s.loadProgress(key.dir)()
	start := time.Now()
	s.loadRuns.Add(1)
	pkgs, err := hints.Load(ctx, hints.LoadConfig{Dir: key.dir, Env: s.opts.Env, Tests: key.test, BuildFlags: flags, Overlay: snap.files}, pattern)
	took := time.Since(start)
	if err != nil {
		return nil, err
	}
	s.log.Info("loaded", "dir", key.dir, "test", key.test, "packages", len(pkgs), "took", took.Round(time.Millisecond))
	var out []*hints.Package
	for _, p := range pkgs {
		if slices.ContainsFunc(snap.owned, func(path string) bool { return slices.Contains(p.Filenames, path) }) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		// Build constraints exclude the files, or they are not Go packages
		// go list can see; their diagnostics stay empty.
		s.log.Info("open files are in no package of this build", "files", snap.owned)
	}
	return out, nil
}

// importsKey summarizes the imports of the snapshot's files.
func importsKey(snap snapshot) string {
	var parts []string
	for path, src := range snap.files {
		f, _ := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
		if f == nil {
			continue
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			parts = append(parts, path+"\x00"+p)
		}
	}
	slices.Sort(parts)
	return fmt.Sprint(parts)
}
