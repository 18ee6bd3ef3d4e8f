// Package conflict holds what the lock-conflict checks (doublelock,
// rlockrecursion) and the checks that cite a held lock share about a
// model.LockConflict: which conflicts are real, one per blocking Lock, and
// the related locations that explain them.
package conflict

import (
	"fmt"
	"go/token"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

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
// a goroutine or closure that unlocks it (a Mutex has no owner, so locking
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
			Message: fmt.Sprintf("calls %s with %s held", message.CallName(pass, cs), held),
		})
	}
	return out
}
