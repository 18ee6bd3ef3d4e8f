package doublelock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports a mutex locked by a goroutine that already holds it.
var Analyzer = &analysis.Analyzer{
	Name:     "doublelock",
	Doc:      analysisutil.MustExtractDoc(doc, "doublelock"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#doublelock",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	var conflicts []*model.LockConflict
	for _, c := range m.Conflicts {
		if c.Loop || c.First.Read && c.Second.Kind == model.OpRLock {
			continue // a lock left held by a previous iteration, or two read locks
		}
		if !IsMutex(c) || c.Guarded || HandedOff(m, c) {
			continue
		}
		conflicts = append(conflicts, c)
	}
	for _, c := range Dedup(conflicts) {
		report(pass, m, c)
	}
	return nil, nil
}

// IsMutex reports whether the lock of a conflict is certainly a sync.Mutex
// or sync.RWMutex (a sync.Locker of another type may be reentrant).
func IsMutex(c *model.LockConflict) bool {
	if c.Second.ObjKind == model.ObjMutex || c.Second.ObjKind == model.ObjRWMutex {
		return true
	}
	if s := c.First.Site; s != nil && (s.ObjKind == model.ObjMutex || s.ObjKind == model.ObjRWMutex) {
		return true
	}
	k := c.First.Path.LockKind()
	return k == model.ObjMutex || k == model.ObjRWMutex
}

// HandedOff reports whether another function releases the conflict's lock:
// a goroutine or closure that unlocks it, or code given its Unlock method
// value (a Mutex has no owner, so locking
// it twice is how one goroutine waits for another to finish with it).
func HandedOff(m *model.Model, c *model.LockConflict) bool {
	key := c.First.Path.Key()
	if m.ReleasedByValue(key) {
		return true // its Unlock method value is handed to other code
	}
	inChain := map[*model.Func]bool{c.Func: true}
	for _, cs := range c.Chain {
		inChain[cs.Callee] = true
	}
	for _, f := range m.Funcs {
		if inChain[f] {
			continue
		}
		for _, op := range f.Ops {
			if op.Kind.Releases() && op.Path.Valid() && op.Path.Key() == key {
				return true
			}
		}
	}
	for _, cs := range c.Func.Calls {
		if !cs.Go {
			continue
		}
		for _, p := range cs.Callee.Summary.Releases {
			if mp, ok := m.Substitute(p, cs); ok && mp.Key() == key {
				return true
			}
		}
	}
	return false
}

// Dedup keeps one conflict per blocking Lock: the one with the shortest
// chain, in the first function in source order.
func Dedup(cs []*model.LockConflict) []*model.LockConflict {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if len(a.Chain) != len(b.Chain) {
			return len(a.Chain) < len(b.Chain)
		}
		return a.Func.SSA.Pos() < b.Func.SSA.Pos()
	})
	seen := make(map[*model.Op]bool)
	var out []*model.LockConflict
	for _, c := range cs {
		if seen[c.Second] {
			continue
		}
		seen[c.Second] = true
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Second.Pos < out[j].Second.Pos })
	return out
}

func report(pass *analysis.Pass, m *model.Model, c *model.LockConflict) {
	call, _ := analysisutil.CallAt(pass, c.Second.Pos)
	if call == nil {
		return
	}
	second := LockName(pass, c.Second)
	held := c.First.Path.Name()
	since := Where(pass, FirstPos(c), c.Second.Pos)
	kind := c.Second.Kind.String()

	var msg string
	switch {
	case len(c.Chain) == 0 && c.First.Read:
		msg = fmt.Sprintf("Lock of %s blocks forever: this goroutine holds its read lock since %s, and Lock waits for every reader to leave", second, since)
	case len(c.Chain) == 0 && c.Second.Kind == model.OpRLock:
		msg = fmt.Sprintf("RLock of %s blocks forever: already locked for writing since %s", second, since)
	case len(c.Chain) == 0:
		msg = fmt.Sprintf("second Lock of %s blocks forever: already held since %s", second, since)
	default:
		how := "held"
		if c.First.Read {
			how = "read-locked"
		}
		msg = fmt.Sprintf("%s of %s blocks forever: %s is %s by %s since %s, which calls %s",
			kind, second, held, how, c.Func.DisplayName(), since, ChainText(pass, c.Chain, c.Second.Pos))
	}
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "doublelock",
		Message:  msg,
		Related:  Related(pass, c),
	}
	pass.Report(diag)
}

// FirstPos is where the conflict's function takes the first lock: the Lock
// call, or the call of the helper that takes it.
func FirstPos(c *model.LockConflict) token.Pos {
	if len(c.First.Via) > 0 {
		return c.First.Via[0].Pos
	}
	if c.First.Site != nil {
		return c.First.Site.Pos
	}
	return c.Func.SSA.Pos()
}

// Related lists the first lock and each call of the chain.
func Related(pass *analysis.Pass, c *model.LockConflict) []analysis.RelatedInformation {
	held := c.First.Path.Name()
	verb := "locked"
	if c.First.Read {
		verb = "read-locked"
	}
	var out []analysis.RelatedInformation
	if len(c.First.Via) > 0 {
		out = append(out, analysis.RelatedInformation{
			Pos:     c.First.Via[0].Pos,
			Message: fmt.Sprintf("%s is %s by this call", held, verb),
		})
		if c.First.Site != nil {
			out = append(out, analysis.RelatedInformation{
				Pos:     c.First.Site.Pos,
				Message: fmt.Sprintf("%s takes the lock here", c.First.Site.Func.DisplayName()),
			})
		}
	} else if c.First.Site != nil {
		out = append(out, analysis.RelatedInformation{Pos: c.First.Site.Pos, Message: fmt.Sprintf("%s is %s here", held, verb)})
	}
	for _, cs := range c.Chain {
		out = append(out, analysis.RelatedInformation{
			Pos:     cs.Pos,
			Message: fmt.Sprintf("calls %s with %s held", CallName(pass, cs), held),
		})
	}
	return out
}

// ChainText renders a call chain as "load (line 40) → get (line 52)", for a
// message reported at pos.
func ChainText(pass *analysis.Pass, chain []*model.CallSite, at token.Pos) string {
	parts := make([]string, len(chain))
	for i, cs := range chain {
		parts[i] = fmt.Sprintf("%s (%s)", CallName(pass, cs), Where(pass, cs.Pos, at))
	}
	return strings.Join(parts, " → ")
}

// Where renders pos for a message reported at at: "line 40" in the same
// file, "cache.go:40" in another.
func Where(pass *analysis.Pass, pos, at token.Pos) string {
	p, a := pass.Fset.Position(pos), pass.Fset.Position(at)
	if p.Filename == a.Filename {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// CallName names the function a call site calls, as the source spells it
// (s.load, report, fn).
func CallName(pass *analysis.Pass, cs *model.CallSite) string {
	if call, _ := analysisutil.CallAt(pass, cs.Pos); call != nil {
		fun := ast.Unparen(call.Fun)
		if ix, ok := fun.(*ast.IndexExpr); ok {
			fun = ix.X
		} else if ix, ok := fun.(*ast.IndexListExpr); ok {
			fun = ix.X
		}
		if _, lit := fun.(*ast.FuncLit); lit {
			return "a func literal"
		}
		if s := analysisutil.Format(pass.Fset, fun); s != "" && len(s) <= 40 {
			return s
		}
	}
	return cs.Callee.SSA.Name()
}

// LockName is the lock of op as the source spells it at the call (s.mu, or
// s for an embedded mutex).
func LockName(pass *analysis.Pass, op *model.Op) string {
	if call, _ := analysisutil.CallAt(pass, op.Pos); call != nil {
		if recv := analysisutil.Receiver(call); recv != nil {
			if s := analysisutil.Format(pass.Fset, recv); s != "" && len(s) <= 40 {
				return s
			}
		}
	}
	return op.Path.Name()
}
