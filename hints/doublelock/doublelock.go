package doublelock

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
		if !conflict.IsMutex(c) || c.Guarded || conflict.HandedOff(m, c) {
			continue
		}
		conflicts = append(conflicts, c)
	}
	for _, c := range conflict.Dedup(conflicts) {
		report(pass, m, c)
	}
	return nil, nil
}

func report(pass *analysis.Pass, m *model.Model, c *model.LockConflict) {
	call, _ := analysisutil.CallAt(pass, c.Second.Pos)
	if call == nil {
		return
	}
	second := message.LockName(pass, c.Second)
	held := c.First.Path.Name()
	since := message.Where(pass, conflict.FirstPos(c), c.Second.Pos)
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
			kind, second, held, how, c.Func.DisplayName(), since, message.ChainText(pass, c.Chain, c.Second.Pos))
	}
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "doublelock",
		Message:  msg,
		Related:  conflict.Related(pass, c),
	}
	pass.Report(diag)
}
