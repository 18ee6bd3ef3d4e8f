// Package explain writes the hover cards of synclens: for a concurrency
// construct at a position, what it is, its state there, and the rule that
// keeps it safe, from the package's concurrency model.
package explain

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/synclens/synclens/hints/model"
)

// Card is a hover card.
type Card struct {
	Markdown   string
	Start, End token.Pos // the source range it explains
	// Doc is the anchor of the guide section the card links to.
	Doc string
}

// Hover returns the card for the position pos of file, or nil when there is
// no concurrency construct there.
func Hover(m *model.Model, file *ast.File, pos token.Pos) *Card {
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	if len(path) == 0 {
		return nil
	}
	for i, n := range path {
		switch n := n.(type) {
		case *ast.CallExpr:
			if c := callCard(m, n, pos); c != nil {
				return c
			}
		case *ast.Ident:
			if c := identCard(m, n, path[i+1:]); c != nil {
				return c
			}
		case *ast.FuncDecl, *ast.FuncLit, *ast.BlockStmt:
			return nil
		}
	}
	return nil
}

// callCard explains a call of a lock method.
func callCard(m *model.Model, call *ast.CallExpr, pos token.Pos) *Card {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || pos < sel.Sel.Pos() || pos > call.End() {
		return nil
	}
	for _, op := range m.OpsAt(call.Lparen) {
		if op.ObjKind.IsLock() || op.Kind.Acquires() || op.Kind.Releases() {
			return lockOpCard(m, op, sel, call)
		}
	}
	return nil
}

func lockOpCard(m *model.Model, op *model.Op, sel *ast.SelectorExpr, call *ast.CallExpr) *Card {
	var b strings.Builder
	name := types.ExprString(sel.X)
	kind := op.ObjKind
	fmt.Fprintf(&b, "**%s** `%s`: %s\n\n", kind, name, lockNature(kind))
	switch op.Kind {
	case model.OpLock:
		b.WriteString("`Lock` takes it exclusively: it waits until no goroutine holds it, for reading or writing.")
	case model.OpRLock:
		b.WriteString("`RLock` takes it shared, for reading: readers run together, but wait while a writer holds it or waits for it. Never take it again in the same goroutine before `RUnlock`.")
	case model.OpUnlock:
		b.WriteString("`Unlock` releases the exclusive lock; any goroutine may release it, but only once.")
	case model.OpRUnlock:
		b.WriteString("`RUnlock` releases one shared hold.")
	case model.OpTryLock, model.OpTryRLock:
		b.WriteString("`" + op.Kind.String() + "` takes it only if it is free right now, and reports whether it did.")
	}
	b.WriteString("\n\n")
	writeHeld(&b, m, op.Held, op.Func.Requires)
	doc := "locks"
	if kind == model.ObjRWMutex {
		doc = "rwmutex"
	}
	return &Card{Markdown: b.String(), Start: sel.Sel.Pos(), End: call.End(), Doc: doc}
}

func lockNature(k model.ObjKind) string {
	switch k {
	case model.ObjRWMutex:
		return "a reader/writer lock (many readers or one writer)"
	case model.ObjMutex:
		return "an exclusive lock"
	}
	return "a lock (sync.Locker)"
}

// writeHeld lists the locks held at a point.
func writeHeld(b *strings.Builder, m *model.Model, held, fromCallers []*model.Held) {
	if len(held) == 0 && len(fromCallers) == 0 {
		b.WriteString("Locks held here: none.\n")
		return
	}
	b.WriteString("Locks held here:")
	for _, h := range held {
		fmt.Fprintf(b, " `%s`", h.Path.Name())
		if h.Read {
			b.WriteString(" (read)")
		}
		if h.Site != nil {
			fmt.Fprintf(b, " since line %d", m.Position(h.Site.Pos).Line)
			if h.Site.Func != nil && len(h.Via) > 0 {
				fmt.Fprintf(b, " (in `%s`)", h.Site.Func.SSA.Name())
			}
		}
		b.WriteString(";")
	}
	for _, h := range fromCallers {
		fmt.Fprintf(b, " `%s` (held by every caller);", h.Path.Name())
	}
	s := strings.TrimSuffix(b.String(), ";")
	b.Reset()
	b.WriteString(s + ".\n")
}

// identCard explains a variable or field of a lock type.
func identCard(m *model.Model, id *ast.Ident, outer []ast.Node) *Card {
	obj := m.Info.ObjectOf(id)
	v, ok := obj.(*types.Var)
	if !ok {
		return nil
	}
	kind := lockKind(v.Type())
	if kind == model.ObjNone {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** `%s`: %s\n\n", kind, v.Name(), lockNature(kind))
	if o := m.ObjectOf(v); o != nil {
		var locks, unlocks int
		for _, op := range o.Ops {
			switch {
			case op.Kind.Acquires():
				locks++
			case op.Kind.Releases():
				unlocks++
			}
		}
		fmt.Fprintf(&b, "Locked at %d place(s), unlocked at %d in this package.\n", locks, unlocks)
	}
	doc := "locks"
	if kind == model.ObjRWMutex {
		doc = "rwmutex"
	}
	return &Card{Markdown: b.String(), Start: id.Pos(), End: id.End(), Doc: doc}
}

// lockKind returns the lock kind of a (pointer to a) sync type.
func lockKind(t types.Type) model.ObjKind {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return model.ObjNone
	}
	switch n.Obj().Name() {
	case "Mutex":
		return model.ObjMutex
	case "RWMutex":
		return model.ObjRWMutex
	}
	return model.ObjNone
}
