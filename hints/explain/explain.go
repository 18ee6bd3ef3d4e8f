// Package explain writes the hover cards of synclens: for a concurrency
// construct at a position, what it is, its state there (locks held, buffered
// or not, who sends, receives, closes, who waits), and the rule that keeps it
// safe, from the package's concurrency model. Cards never repeat what gopls
// shows already (signature, doc comment).
package explain

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/model"
)

// Card is a hover card.
type Card struct {
	Markdown   string
	Start, End token.Pos // the source range it explains
	// Doc is the anchor of the guide section the card links to.
	Doc string
}

// Doc anchors of the guide sections cards link to.
const (
	docLifecycle = "goroutine-lifecycle"
	docLocks     = "locks"
	docRWMutex   = "rwmutex"
	docWaitGroup = "waitgroup"
	docCond      = "conditions"
	docOnce      = "once"
	docSyncMap   = "syncmap"
	docChannels  = "channels"
	docSemaphore = "semaphores"
	docAtomics   = "atomics"
	docContext   = "context"
	docErrgroup  = "errgroup"
	docCreating  = "creating-goroutines"
	docRaces     = "race-conditions"
)

// Anchors lists every guide anchor a card can link to (for the test that
// checks they exist).
var Anchors = []string{docLifecycle, docLocks, docRWMutex, docWaitGroup, docCond, docOnce,
	docSyncMap, docChannels, docSemaphore, docAtomics, docContext, docErrgroup, docCreating, docRaces}

// Warning is a warning of a check on the package, for the cards to agree
// with: a goroutine that a chanleak warning says can block forever is not
// presented as joined.
type Warning struct {
	Code       string
	Start, End token.Pos
	Message    string
	// Steps is the interleaving that leads to the finding, when a check
	// showed one ("the goroutine started at line 34 sends on out (line
	// 35)"), oldest first.
	Steps []string
}

// Hover returns the card for the position pos of file, or nil when there is
// no concurrency construct there. warnings are the package's diagnostics.
func Hover(m *model.Model, file *ast.File, pos token.Pos, warnings []Warning) *Card {
	path := analysisutil.PathIn(file, pos, pos)
	e := &explainer{m: m, warnings: warnings}
	for _, n := range path {
		var c *Card
		switch n := n.(type) {
		case *ast.GoStmt:
			if within(pos, n.Go, len("go")) {
				c = e.goStmt(n)
			}
		case *ast.SendStmt:
			if within(pos, n.Arrow, len("<-")) {
				c = e.chanOp(e.opAt(n.Arrow, model.OpSend), n.Arrow, n.Arrow+2)
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && within(pos, n.OpPos, len("<-")) {
				c = e.chanOp(e.opAt(n.OpPos, model.OpRecv), n.OpPos, n.OpPos+2)
			}
		case *ast.RangeStmt:
			if n.Range.IsValid() && within(pos, n.Range, len("range")) {
				c = e.chanOp(e.opAt(n.For, model.OpRange), n.Range, n.Range+5)
			}
		case *ast.SelectStmt:
			if within(pos, n.Select, len("select")) {
				c = e.selectStmt(n)
			}
		case *ast.CallExpr:
			c = e.call(n, pos)
		case *ast.Ident:
			c = e.ident(n)
		case *ast.FuncDecl, *ast.FuncLit, *ast.BlockStmt:
			return nil
		}
		if c != nil {
			return c
		}
	}
	return nil
}

func within(pos, start token.Pos, n int) bool {
	return start.IsValid() && start <= pos && pos <= start+token.Pos(n)
}

type explainer struct {
	m        *model.Model
	warnings []Warning
}

// blocksForever returns the chanleak warning on op, if any: the check found
// a path on which op never completes.
func (e *explainer) blocksForever(op *model.Op) *Warning {
	for i, w := range e.warnings {
		if w.Code == "chanleak" && w.Start <= op.Pos && op.Pos < w.End {
			return &e.warnings[i]
		}
	}
	return nil
}

// opAt returns the operation of the given kind at pos.
func (e *explainer) opAt(pos token.Pos, kind model.OpKind) *model.Op {
	for _, op := range e.m.OpsAt(pos) {
		if op.Kind == kind {
			return op
		}
	}
	return nil
}

// call explains a call when the cursor is on the called name.
func (e *explainer) call(call *ast.CallExpr, pos token.Pos) *Card {
	var name *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		name = fun.Sel
	case *ast.Ident:
		name = fun
	case *ast.IndexExpr: // generic function instantiation
		if sel, ok := fun.X.(*ast.SelectorExpr); ok {
			name = sel.Sel
		}
	}
	if name == nil || pos < name.Pos() || pos > name.End() {
		return nil
	}
	for _, op := range e.m.OpsAt(call.Lparen) {
		if c := e.opCard(op, name.Pos(), name.End()); c != nil {
			return c
		}
	}
	return nil
}

// opCard dispatches on the operation kind.
func (e *explainer) opCard(op *model.Op, start, end token.Pos) *Card {
	switch op.Kind {
	case model.OpLock, model.OpUnlock, model.OpRLock, model.OpRUnlock, model.OpTryLock, model.OpTryRLock:
		return e.lockOp(op, start, end)
	case model.OpWGAdd, model.OpWGDone, model.OpWGWait, model.OpWGGo:
		return e.waitGroupOp(op, start, end)
	case model.OpCondNew, model.OpCondWait, model.OpCondSignal, model.OpCondBroadcast:
		return e.condOp(op, start, end)
	case model.OpOnceDo, model.OpOnceFunc:
		return e.onceOp(op, start, end)
	case model.OpSyncMapRead, model.OpSyncMapWrite:
		return e.syncMapOp(op, start, end)
	case model.OpMakeChan, model.OpClose:
		return e.chanOp(op, start, end)
	case model.OpSemNew, model.OpSemAcquire, model.OpSemTryAcquire, model.OpSemRelease:
		return e.semaphoreOp(op, start, end)
	case model.OpAtomicLoad, model.OpAtomicStore:
		return e.atomicOp(op, start, end)
	case model.OpWithCancel, model.OpCancel:
		return e.cancelOp(op, start, end)
	case model.OpGroupNew, model.OpGroupGo, model.OpGroupWait:
		return e.errgroupOp(op, start, end)
	case model.OpAfterFunc:
		return e.goroutine(op, start, end)
	}
	return nil
}

// ident explains a variable or field of a concurrency type.
func (e *explainer) ident(id *ast.Ident) *Card {
	v, ok := e.m.Info.ObjectOf(id).(*types.Var)
	if !ok {
		return nil
	}
	obj := e.m.ObjectOf(v)
	kind := model.KindOfType(v.Type())
	if obj != nil && obj.Kind != model.ObjNone {
		kind = obj.Kind
	}
	var c *Card
	switch kind {
	case model.ObjMutex, model.ObjRWMutex, model.ObjLocker:
		c = e.lockObject(id.Name, kind, obj)
	case model.ObjWaitGroup:
		c = e.waitGroupObject(id.Name, obj)
	case model.ObjCond:
		c = e.condObject(id.Name, obj)
	case model.ObjOnce:
		c = e.onceObject(id.Name, obj)
	case model.ObjSyncMap:
		c = e.syncMapObject(id.Name, obj)
	case model.ObjChan:
		c = e.chanObject(id.Name, v.Type(), obj)
	case model.ObjSemaphore:
		c = e.semaphoreObject(id.Name, obj)
	case model.ObjAtomic:
		c = e.atomicObject(id.Name, v, obj)
	case model.ObjCancel:
		c = e.cancelObject(id.Name, obj)
	case model.ObjErrGroup:
		c = e.errgroupObject(id.Name, obj)
	default:
		if v.IsField() || v.Parent() == e.m.Pkg.Scope() {
			c = e.sharedVar(id.Name, v)
		}
	}
	if c != nil {
		c.Start, c.End = id.Pos(), id.End()
	}
	return c
}
