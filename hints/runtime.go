package hints

import (
	"bytes"
	"context"
	"fmt"
	"go/build"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/synclens/synclens/hints/evidence"
)

// Codes of the diagnostics made from runtime evidence. They are not checks
// (nothing in synclens finds them): they link to the guide's sections on
// the bug they show.
const (
	CodeRuntimeRace = "runtimerace"
	CodeRuntimeLeak = "runtimeleak"
)

// EvidenceConfig says how to map runtime reports to source.
type EvidenceConfig struct {
	// Dir is the module (or workspace) the reports come from: frames in
	// files under it are the user's code, and module-relative paths (a
	// binary built with -trimpath) are resolved against its go.mod.
	Dir string
	Env []string // environment of the go command (nil: os.Environ())
	// Static, when set, loads and analyses the packages of the reported
	// files and attaches synclens's own finding about the same code.
	Static bool
}

// maxRelatedFrames bounds the frames of one stack given as related
// locations (user code only).
const maxRelatedFrames = 8

// ImportEvidence turns race detector reports and leaked goroutines into
// diagnostics at the line of the user's code where each happened (the racing
// access; the line a leaked goroutine is blocked on), with the other
// stacks' user frames as related locations. Identical reports (the same
// leak in many goroutines, the same race seen by several tests) become one
// diagnostic. With cfg.Static, a diagnostic also carries synclens's static
// finding on the same lines, its message, location and fixes.
//
// skipped counts the reports with no frame in the user's code.
func ImportEvidence(ctx context.Context, cfg EvidenceConfig, reports []evidence.Report) (_ []Diagnostic, skipped int, err error) {
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, 0, err
	}
	r := &resolver{dir: dir, modPath: modulePath(dir), goroot: filepath.Clean(build.Default.GOROOT), files: make(map[string][]byte)}
	var diags []evidenceDiag
	seen := make(map[string]int)   // report key -> index in diags
	var anchors [][]token.Position // per diagnostic: the lines a static finding must touch
	for _, rep := range reports {
		d, key, lines, ok := r.diagnostic(rep)
		if !ok {
			skipped++
			continue
		}
		if i, dup := seen[key]; dup {
			if rep.Kind == evidence.Leak {
				diags[i] = r.leakDiagnostic(rep, diags[i].count+rep.Count)
			}
			continue
		}
		seen[key] = len(diags)
		diags = append(diags, d)
		anchors = append(anchors, lines)
	}
	if cfg.Static && len(diags) > 0 {
		if err := r.attachStatic(ctx, cfg, diags, anchors); err != nil {
			return nil, skipped, err
		}
	}
	out := make([]Diagnostic, len(diags))
	for i, d := range diags {
		out[i] = d.Diagnostic
	}
	SortDiagnostics(out)
	return out, skipped, nil
}

type evidenceDiag struct {
	Diagnostic
	count int // leaked goroutines with this stack
}

type resolver struct {
	dir, modPath, goroot string
	files                map[string][]byte // contents read, nil when unreadable
}

func modulePath(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			return modfile.ModulePath(b)
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// resolve returns the file of a frame on this machine when it is the
// user's code: under dir, either as recorded or module-relative.
func (r *resolver) resolve(f evidence.Frame) (string, bool) {
	name := filepath.FromSlash(f.File)
	if !filepath.IsAbs(name) {
		rest, ok := strings.CutPrefix(f.File, r.modPath+"/")
		if r.modPath == "" || !ok {
			return "", false
		}
		name = filepath.Join(r.dir, filepath.FromSlash(rest))
	}
	name = filepath.Clean(name)
	if strings.HasPrefix(name, r.goroot+string(filepath.Separator)) || !within(r.dir, name) {
		return "", false
	}
	if r.content(name) == nil {
		return "", false
	}
	return name, true
}

func within(dir, name string) bool {
	rel, err := filepath.Rel(dir, name)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (r *resolver) content(name string) []byte {
	b, ok := r.files[name]
	if !ok {
		b, _ = os.ReadFile(name)
		r.files[name] = b
	}
	return b
}

// line returns the extent of a line, from its first non-blank byte to its
// end without trailing blanks; ok is false past the end of the file.
func (r *resolver) line(name string, n int) (start, end token.Position, ok bool) {
	src := r.content(name)
	off := 0
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			return start, end, false
		}
		off += j + 1
	}
	if n < 1 || off > len(src) {
		return start, end, false
	}
	stop := len(src)
	if j := bytes.IndexByte(src[off:], '\n'); j >= 0 {
		stop = off + j
	}
	text := src[off:stop]
	lead := len(text) - len(bytes.TrimLeft(text, " \t"))
	trimmed := bytes.TrimRight(text, " \t\r")
	start = token.Position{Filename: name, Offset: off + lead, Line: n, Column: lead + 1}
	end = token.Position{Filename: name, Offset: off + len(trimmed), Line: n, Column: len(trimmed) + 1}
	if end.Offset < start.Offset {
		end = start
	}
	return start, end, true
}

// userFrames returns the frames of s in the user's code, with their files.
func (r *resolver) userFrames(s *evidence.Stack) []evidence.Frame {
	var out []evidence.Frame
	for _, f := range s.Frames {
		if name, ok := r.resolve(f); ok {
			if _, _, ok := r.line(name, f.Line); ok {
				f.File = name
				out = append(out, f)
			}
		}
	}
	return out
}

func stackOf(rep evidence.Report, role evidence.Role) *evidence.Stack {
	for i := range rep.Stacks {
		if rep.Stacks[i].Role == role {
			return &rep.Stacks[i]
		}
	}
	return nil
}

// diagnostic makes the diagnostic of a report, the key identifying
// duplicates, and the lines a static finding about the same bug touches.
func (r *resolver) diagnostic(rep evidence.Report) (d evidenceDiag, key string, lines []token.Position, ok bool) {
	primary := evidence.Access
	if rep.Kind == evidence.Leak {
		primary = evidence.Blocked
	}
	s := stackOf(rep, primary)
	if s == nil {
		return d, "", nil, false
	}
	frames := r.userFrames(s)
	if len(frames) == 0 {
		return d, "", nil, false
	}
	top := frames[0]
	start, _, _ := r.line(top.File, top.Line)
	lines = append(lines, start)
	sites := []string{fmt.Sprintf("%s:%d", top.File, top.Line)}
	other := evidence.PrevAccess
	if rep.Kind == evidence.Leak {
		other = evidence.Created
	}
	if o := stackOf(rep, other); o != nil {
		if of := r.userFrames(o); len(of) > 0 {
			p, _, _ := r.line(of[0].File, of[0].Line)
			lines = append(lines, p)
			sites = append(sites, fmt.Sprintf("%s:%d", of[0].File, of[0].Line))
		}
	}
	if rep.Kind == evidence.Race {
		// The same pair seen in the other order (or as read/write and
		// write/write on one line) is one race.
		slices.Sort(sites)
	}
	key = fmt.Sprint(rep.Kind, sites)
	if rep.Kind == evidence.Leak {
		return r.leakDiagnostic(rep, rep.Count), key, lines, true
	}
	return r.raceDiagnostic(rep), key, lines, true
}

func (r *resolver) raceDiagnostic(rep evidence.Report) evidenceDiag {
	acc, prev := stackOf(rep, evidence.Access), stackOf(rep, evidence.PrevAccess)
	top := r.userFrames(acc)[0]
	start, end, _ := r.line(top.File, top.Line)
	msg := fmt.Sprintf("data race seen by the race detector: %s by %s in %s", acc.Op, goroutineName(acc.Goroutine), shortFunc(top.Func))
	if prev != nil {
		msg += fmt.Sprintf(" conflicts with an earlier %s by %s", prev.Op, goroutineName(prev.Goroutine))
		if pf := r.userFrames(prev); len(pf) > 0 {
			msg += fmt.Sprintf(" in %s (%s:%d)", shortFunc(pf[0].Func), filepath.Base(pf[0].File), pf[0].Line)
		} else if len(prev.Frames) > 0 {
			msg += " in " + shortFunc(prev.Frames[0].Func)
		}
	}
	d := evidenceDiag{Diagnostic: Diagnostic{Code: CodeRuntimeRace, Doc: "race-conditions", Severity: SeverityError, Message: msg, Pos: start, End: end, Adjusted: start, AdjustedEnd: end}, count: 1}
	r.relateStack(&d.Diagnostic, acc, 1, func(i int, f evidence.Frame) string {
		return fmt.Sprintf("%s by %s: called from %s", acc.Op, goroutineName(acc.Goroutine), shortFunc(f.Func))
	})
	if prev != nil {
		r.relateStack(&d.Diagnostic, prev, 0, func(i int, f evidence.Frame) string {
			if i == 0 {
				return fmt.Sprintf("earlier %s by %s in %s", prev.Op, goroutineName(prev.Goroutine), shortFunc(f.Func))
			}
			return fmt.Sprintf("earlier %s by %s: called from %s", prev.Op, goroutineName(prev.Goroutine), shortFunc(f.Func))
		})
	}
	for i := range rep.Stacks {
		if s := &rep.Stacks[i]; s.Role == evidence.Created {
			r.relateStack(&d.Diagnostic, s, 0, func(i int, f evidence.Frame) string {
				if i == 0 {
					return fmt.Sprintf("%s started in %s", goroutineName(s.Goroutine), shortFunc(f.Func))
				}
				return fmt.Sprintf("%s started: called from %s", goroutineName(s.Goroutine), shortFunc(f.Func))
			})
		}
	}
	return d
}

func (r *resolver) leakDiagnostic(rep evidence.Report, count int) evidenceDiag {
	blocked, created := stackOf(rep, evidence.Blocked), stackOf(rep, evidence.Created)
	top := r.userFrames(blocked)[0]
	start, end, _ := r.line(top.File, top.Line)
	who := "a goroutine is"
	if count > 1 {
		who = fmt.Sprintf("%d goroutines are", count)
	}
	msg := fmt.Sprintf("goroutine leak seen at run time: %s blocked forever", who)
	if rep.State != "" {
		msg += " (" + rep.State + ")"
	}
	msg += " in " + shortFunc(top.Func)
	if created != nil {
		if cf := r.userFrames(created); len(cf) > 0 {
			msg += fmt.Sprintf(", started in %s (%s:%d)", shortFunc(cf[0].Func), filepath.Base(cf[0].File), cf[0].Line)
		}
	}
	d := evidenceDiag{Diagnostic: Diagnostic{Code: CodeRuntimeLeak, Doc: "goroutine-lifecycle", Severity: SeverityWarning, Message: msg, Pos: start, End: end, Adjusted: start, AdjustedEnd: end}, count: count}
	r.relateStack(&d.Diagnostic, blocked, 1, func(i int, f evidence.Frame) string {
		return "blocked goroutine: called from " + shortFunc(f.Func)
	})
	if created != nil {
		r.relateStack(&d.Diagnostic, created, 0, func(i int, f evidence.Frame) string {
			if i == 0 {
				return "the goroutine is started here, in " + shortFunc(f.Func)
			}
			return "started: called from " + shortFunc(f.Func)
		})
	}
	return d
}

// relateStack adds the user frames of s from index from on as related
// locations.
func (r *resolver) relateStack(d *Diagnostic, s *evidence.Stack, from int, msg func(int, evidence.Frame) string) {
	frames := r.userFrames(s)
	for i := from; i < len(frames) && i < from+maxRelatedFrames; i++ {
		start, end, _ := r.line(frames[i].File, frames[i].Line)
		d.Related = append(d.Related, Related{Pos: start, End: end, Adjusted: start, Message: msg(i, frames[i])})
	}
}

func goroutineName(g int) string {
	if g == 0 {
		return "the main goroutine"
	}
	return fmt.Sprintf("goroutine %d", g)
}

// shortFunc drops the package path of a runtime function name:
// example.com/m/race.(*C).Inc is (*C).Inc, race.Run.func1 is Run.func1.
func shortFunc(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.Index(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// attachStatic analyses the packages of the files the diagnostics are in
// and attaches to each diagnostic the static finding that touches its
// lines: both of them (the pair of a race, or a leaked goroutine's wait and
// start) if one does, else the first line.
func (r *resolver) attachStatic(ctx context.Context, cfg EvidenceConfig, diags []evidenceDiag, anchors [][]token.Position) error {
	var patterns []string
	for _, as := range anchors {
		for _, a := range as {
			if p := "file=" + a.Filename; !slices.Contains(patterns, p) {
				patterns = append(patterns, p)
			}
		}
	}
	pkgs, err := Load(ctx, LoadConfig{Dir: r.dir, Env: cfg.Env, Tests: true}, patterns...)
	if err != nil {
		return fmt.Errorf("loading the packages of the reports: %w", err)
	}
	var static []Diagnostic
	seen := make(map[string]bool)
	for _, pkg := range pkgs {
		for _, d := range Analyze(pkg, nil).Diagnostics {
			k := fmt.Sprintf("%s:%d:%s:%s", d.Pos.Filename, d.Pos.Offset, d.Code, d.Message)
			if !seen[k] {
				seen[k] = true
				static = append(static, d)
			}
		}
	}
	touches := func(s Diagnostic, a token.Position) bool {
		if s.Pos.Filename == a.Filename && s.Pos.Line <= a.Line && a.Line <= s.End.Line {
			return true
		}
		for _, rel := range s.Related {
			if rel.Pos.Filename == a.Filename && rel.Pos.Line == a.Line {
				return true
			}
		}
		return false
	}
	for i := range diags {
		var best *Diagnostic
		for j := range static {
			s := &static[j]
			all := true
			for _, a := range anchors[i] {
				all = all && touches(*s, a)
			}
			if all {
				best = s
				break
			}
			if best == nil && touches(*s, anchors[i][0]) {
				best = s
			}
		}
		if best == nil {
			continue
		}
		d := &diags[i].Diagnostic
		d.Message += fmt.Sprintf("; synclens finds it statically too: %s [%s]", best.Message, best.Code)
		d.Related = append([]Related{{Pos: best.Pos, End: best.End, Adjusted: best.Adjusted, Message: "synclens: " + best.Message + " [" + best.Code + "]"}}, d.Related...)
		d.Fixes = append(d.Fixes, best.Fixes...)
		d.Static = best.Code
	}
	return nil
}
