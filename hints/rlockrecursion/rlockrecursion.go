package rlockrecursion

import (
	_ "embed"
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/internal/conflict"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports a read lock taken again by a goroutine that holds it.
var Analyzer = &analysis.Analyzer{
	Name:     "rlockrecursion",
	Doc:      analysisutil.MustExtractDoc(doc, "rlockrecursion"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#rlockrecursion",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	var conflicts []*model.LockConflict
	for _, c := range m.Conflicts {
		if c.Loop || !c.First.Read || c.Second.Kind != model.OpRLock || !conflict.IsMutex(c) || c.Guarded {
			continue
		}
		if writer(c) == nil {
			continue // no writer in the package: the second RLock cannot block
		}
		conflicts = append(conflicts, c)
	}
	for _, c := range conflict.Dedup(conflicts) {
		report(pass, c)
	}
	return nil, nil
}

// writer returns a Lock of the conflict's mutex (of the same class) in the
// package that another goroutine may be waiting in, or nil. A mutex local to
// a function is written only by the functions it is shared with; a write in
// the function itself comes after its own read locks.
func writer(c *model.LockConflict) *model.Op {
	objs := []*model.Object{c.Second.Object}
	if c.First.Site != nil {
		objs = append(objs, c.First.Site.Object)
	}
	local := c.First.Path.Local()
	for _, obj := range objs {
		if obj == nil {
			continue
		}
		for _, op := range obj.Ops {
			if op.Kind != model.OpLock && op.Kind != model.OpTryLock {
				continue
			}
			if local && (op.Func == c.Func || op.Path.Key() != c.First.Path.Key()) {
				continue
			}
			return op
		}
	}
	return nil
}

func report(pass *analysis.Pass, c *model.LockConflict) {
	call, _ := analysisutil.CallAt(pass, c.Second.Pos)
	if call == nil {
		return
	}
	name := message.LockName(pass, c.Second)
	since := message.Where(pass, conflict.FirstPos(c), c.Second.Pos)
	w := writer(c)
	wat := message.Where(pass, w.Pos, c.Second.Pos)
	var msg string
	if len(c.Chain) == 0 {
		msg = fmt.Sprintf("recursive RLock of %s can deadlock: this goroutine already read-locks it since %s, and a writer waiting in between (%s, %s) blocks this RLock forever",
			name, since, w.Func.DisplayName(), wat)
	} else {
		msg = fmt.Sprintf("recursive RLock of %s can deadlock: %s is read-locked by %s since %s, which calls %s; a writer waiting in between (%s, %s) blocks this RLock forever",
			name, c.First.Path.Name(), c.Func.DisplayName(), since, message.ChainText(pass, c.Chain, c.Second.Pos), w.Func.DisplayName(), wat)
	}
	related := conflict.Related(pass, c)
	related = append(related, analysis.RelatedInformation{Pos: w.Pos, Message: fmt.Sprintf("a writer locks %s here", w.Path.Name())})
	pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "rlockrecursion",
		Message:  msg,
		Related:  related,
	})
}
