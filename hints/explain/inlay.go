package explain

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

// InlayKind is a kind of inlay hint; each can be turned on and off.
type InlayKind uint8

const (
	// InlayLocks: after a statement, the locks held once it has run (off
	// by default: in lock-heavy code it labels most lines).
	InlayLocks InlayKind = iota + 1
	// InlayJoins: at a statement that starts a goroutine, what waits for
	// it to finish, or that nothing does.
	InlayJoins
	// InlayChanCap: after make(chan T, n) whose size is not a literal, the
	// capacity when the model knows it.
	InlayChanCap
)

// Inlay is a label shown inline in the source.
type Inlay struct {
	Kind    InlayKind
	Pos     token.Pos // the label goes just before the character at Pos
	Label   string
	Tooltip string // markdown
	Doc     string // guide anchor
}

// maxJoinsShown bounds the joins a label lists; the tooltip lists all.
const maxJoinsShown = 2

// Inlays returns the inlay hints of the kinds enabled says, for the part
// [start, end) of file, in position order. It only reads the model: the
// facts are those hovers and checks use.
func Inlays(m *model.Model, file *ast.File, start, end token.Pos, enabled func(InlayKind) bool) []Inlay {
	e := &explainer{m: m}
	var out []Inlay
	in := func(pos token.Pos) bool { return start <= pos && pos < end }
	if enabled(InlayLocks) {
		out = append(out, e.lockInlays(file, start, end)...)
	}
	if enabled(InlayJoins) {
		for _, g := range m.Goroutines {
			if in(g.Spawn.Pos) && inFile(file, g.Spawn.Pos) {
				if h, ok := e.joinInlay(file, g); ok {
					out = append(out, h)
				}
			}
		}
	}
	if enabled(InlayChanCap) {
		for _, op := range m.Ops {
			if op.Kind == model.OpMakeChan && in(op.Pos) && inFile(file, op.Pos) {
				if h, ok := e.capInlay(file, op); ok {
					out = append(out, h)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func inFile(f *ast.File, pos token.Pos) bool { return f.FileStart <= pos && pos <= f.FileEnd }

// ---- locks held ----

// lockInlays labels each simple statement after which a lock is certainly
// held (in one line of several statements, the last one).
func (e *explainer) lockInlays(file *ast.File, start, end token.Pos) []Inlay {
	funcs := make(map[ast.Node]*model.Func)
	for _, f := range e.m.Funcs {
		if syn := f.SSA.Syntax(); syn != nil && inFile(file, syn.Pos()) {
			funcs[syn] = f
		}
	}
	byLine := make(map[int]Inlay)
	var lines []int
	var stack []*model.Func // the functions enclosing the node
	var nodes []ast.Node    // the nodes being visited, outermost first
	indexes := make(map[*model.Func]*instrIndex)
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil { // leaving nodes[len(nodes)-1]
			if _, ok := funcs[nodes[len(nodes)-1]]; ok {
				stack = stack[:len(stack)-1]
			}
			nodes = nodes[:len(nodes)-1]
			return true
		}
		if n.End() < start || n.Pos() >= end {
			return false // no label inside (a label goes at the end of a statement)
		}
		nodes = append(nodes, n)
		if f, ok := funcs[n]; ok {
			stack = append(stack, f)
			return true
		}
		if len(stack) == 0 {
			return true
		}
		s, ok := n.(ast.Stmt)
		if !ok || !simpleStmt(s) || s.End() < start || s.End() >= end {
			return true
		}
		f := stack[len(stack)-1]
		index := indexes[f]
		if index == nil {
			index = newInstrIndex(f)
			indexes[f] = index
		}
		held := index.heldAfter(s)
		held = append(held, f.Requires...)
		if len(held) == 0 {
			return true
		}
		line := e.line(s.End())
		if _, seen := byLine[line]; !seen {
			lines = append(lines, line)
		}
		byLine[line] = Inlay{Kind: InlayLocks, Pos: s.End(), Label: "🔒 " + heldNames(held), Tooltip: e.heldTooltip(held), Doc: docLocks}
		return true
	})
	out := make([]Inlay, 0, len(lines))
	for _, l := range lines {
		out = append(out, byLine[l])
	}
	return out
}

// simpleStmt reports whether s runs as a whole: no statements inside it
// that would carry their own label (a go or defer statement's function
// literal is a function of its own).
func simpleStmt(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.IncDecStmt, *ast.SendStmt, *ast.DeferStmt, *ast.GoStmt, *ast.DeclStmt:
		return true
	}
	return false
}

// instrIndex lists a function's instructions that have a position, by
// position, to find the instructions of a statement.
type instrIndex struct {
	f      *model.Func
	instrs []posInstr
}

type posInstr struct {
	pos   token.Pos
	block int // index of the block in the function
	at    int // index of the instruction in its block
}

func newInstrIndex(f *model.Func) *instrIndex {
	ix := &instrIndex{f: f}
	for _, b := range f.SSA.Blocks {
		for i, in := range b.Instrs {
			if pos := in.Pos(); pos.IsValid() {
				ix.instrs = append(ix.instrs, posInstr{pos, b.Index, i})
			}
		}
	}
	sort.Slice(ix.instrs, func(i, j int) bool { return ix.instrs[i].pos < ix.instrs[j].pos })
	return ix
}

// heldAfter returns the locks certainly held once s has run: the lock
// state just after the last of its instructions (the latest block, then the
// latest instruction in it; blocks are numbered in the order the builder
// makes them, which follows evaluation order within a statement). A
// statement that leaves the function (a panic) has no state after it.
func (ix *instrIndex) heldAfter(s ast.Stmt) []*model.Held {
	lo := sort.Search(len(ix.instrs), func(i int) bool { return ix.instrs[i].pos >= s.Pos() })
	last := posInstr{block: -1}
	for _, pi := range ix.instrs[lo:] {
		if pi.pos >= s.End() {
			break
		}
		if pi.block > last.block || pi.block == last.block && pi.at > last.at {
			last = pi
		}
	}
	if last.block < 0 {
		return nil
	}
	b := ix.f.SSA.Blocks[last.block]
	next := last.at + 1
	if next >= len(b.Instrs) {
		// The statement's last instruction ends the block: a jump or
		// branch, which takes or releases nothing, unless it leaves.
		switch b.Instrs[last.at].(type) {
		case *ssa.Return, *ssa.Panic:
			return nil
		}
		next = last.at
	}
	if !ix.f.Reached(b.Instrs[next]) {
		return nil
	}
	return ix.f.HeldAt(b.Instrs[next])
}

func heldNames(held []*model.Held) string {
	var names []string
	for _, h := range held {
		n := h.Path.Name()
		if h.Read {
			n += " (read)"
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

func (e *explainer) heldTooltip(held []*model.Held) string {
	var parts []string
	for _, h := range held {
		s := "`" + h.Path.Name() + "`"
		if h.Read {
			s += " (read lock)"
		}
		switch {
		case h.FromCaller:
			s += ": held by every caller"
		case h.Site != nil:
			s += fmt.Sprintf(": locked at line %d", e.line(h.Site.Pos))
			if len(h.Via) > 0 {
				s += fmt.Sprintf(" in `%s`", funcName(h.Site.Func))
			}
		}
		parts = append(parts, s)
	}
	return "Held after this statement: " + strings.Join(parts, "; ") + "."
}

// ---- goroutine joins ----

// joinInlay labels the statement starting g with what waits for it, at
// the end of the statement's first line.
func (e *explainer) joinInlay(file *ast.File, g *model.Goroutine) (Inlay, bool) {
	switch g.Spawn.Kind {
	case model.OpGo, model.OpWGGo, model.OpGroupGo:
	default:
		return Inlay{}, false // time.AfterFunc: the timer, not a join, decides
	}
	stmt := enclosingStmt(file, g.Spawn.Pos)
	if stmt == nil {
		return Inlay{}, false
	}
	h := Inlay{Kind: InlayJoins, Pos: e.firstLineEnd(stmt), Doc: docLifecycle}
	if len(g.Joins) == 0 {
		h.Label = "not joined"
		h.Tooltip = "Nothing in this package waits for this goroutine to finish. If its work matters, wait with a `sync.WaitGroup`, an errgroup, or a done channel."
		if g.Many {
			h.Tooltip += " It is started once per loop iteration."
		}
		return h, true
	}
	var shown, all []string
	for i, j := range g.Joins {
		where := e.shortSite(file, j.Pos)
		if i < maxJoinsShown {
			shown = append(shown, joinName(j)+" "+where)
		}
		all = append(all, fmt.Sprintf("`%s` at %s in `%s`", joinName(j), strings.TrimPrefix(where, ":"), funcName(j.Func)))
	}
	h.Label = "joined by " + strings.Join(shown, ", ")
	if n := len(g.Joins) - maxJoinsShown; n > 0 {
		h.Label += fmt.Sprintf(" +%d", n)
	}
	h.Tooltip = "Waited for by " + strings.Join(all, ", ") + "."
	return h, true
}

// shortSite names the line of pos: ":48" in file, "worker.go:48" in
// another file of the package.
func (e *explainer) shortSite(file *ast.File, pos token.Pos) string {
	p := e.m.Position(pos)
	if inFile(file, pos) {
		return fmt.Sprintf(":%d", p.Line)
	}
	name := p.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return fmt.Sprintf("%s:%d", name, p.Line)
}

// enclosingStmt returns the innermost statement holding pos.
func enclosingStmt(file *ast.File, pos token.Pos) ast.Stmt {
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for _, n := range path {
		if s, ok := n.(ast.Stmt); ok {
			return s
		}
	}
	return nil
}

// firstLineEnd is the end of s if s fits on one line, else the end of its
// first line (the label then stays next to the go keyword rather than
// after a closure's closing brace).
func (e *explainer) firstLineEnd(s ast.Stmt) token.Pos {
	tf := e.m.Fset.File(s.Pos())
	line := tf.Line(s.Pos())
	if tf.Line(s.End()) == line || line >= tf.LineCount() {
		return s.End()
	}
	return tf.LineStart(line+1) - 1 // the newline ending the line
}

// ---- channel capacity ----

// capInlay labels make(chan T, n), whose n is not a literal, with the
// capacity: a constant, or the constants every call site in the package
// passes for a parameter of an unexported function.
func (e *explainer) capInlay(file *ast.File, op *model.Op) (Inlay, bool) {
	call := enclosingCall(file, op.Pos)
	if call == nil || len(call.Args) < 2 {
		return Inlay{}, false
	}
	if _, lit := ast.Unparen(call.Args[1]).(*ast.BasicLit); lit {
		return Inlay{}, false // the source says it already
	}
	h := Inlay{Kind: InlayChanCap, Pos: call.Rparen + 1, Doc: docChannels}
	size := ast.Unparen(call.Args[1])
	src := "`" + types.ExprString(size) + "`"
	if op.Cap >= 0 {
		h.Label = capLabel([]int64{op.Cap})
		h.Tooltip = fmt.Sprintf("%s is %d here: %s.", src, op.Cap, capMeaning(op.Cap))
		return h, true
	}
	caps, ok := e.paramCaps(op)
	if !ok {
		return Inlay{}, false
	}
	h.Label = capLabel(caps)
	var vals []string
	for _, c := range caps {
		vals = append(vals, fmt.Sprint(c))
	}
	h.Tooltip = fmt.Sprintf("%s is %s at every call of `%s` in this package.", src, strings.Join(vals, " or "), funcName(op.Func))
	if slices.Contains(caps, 0) {
		h.Tooltip += " With 0 the channel is unbuffered: each send waits for a receiver."
	}
	return h, true
}

func enclosingCall(file *ast.File, lparen token.Pos) *ast.CallExpr {
	path, _ := astutil.PathEnclosingInterval(file, lparen, lparen)
	for _, n := range path {
		if c, ok := n.(*ast.CallExpr); ok && c.Lparen == lparen {
			return c
		}
	}
	return nil
}

func capLabel(caps []int64) string {
	if len(caps) == 1 && caps[0] == 0 {
		return "unbuffered"
	}
	var vals []string
	for _, c := range caps {
		vals = append(vals, fmt.Sprint(c))
	}
	return "cap " + strings.Join(vals, "|")
}

func capMeaning(n int64) string {
	if n == 0 {
		return "the channel is unbuffered, each send waits for a receiver"
	}
	return fmt.Sprintf("sends block only when %d values wait", n)
}

// paramCaps returns the capacities passed for the size of op when it is a
// parameter of a function that only this package calls, by static calls
// with constant arguments; at most four distinct values.
func (e *explainer) paramCaps(op *model.Op) ([]int64, bool) {
	mk, ok := op.Instr.(*ssa.MakeChan)
	if !ok {
		return nil, false
	}
	v := mk.Size
	if c, ok := v.(*ssa.Convert); ok {
		v = c.X
	}
	p, ok := v.(*ssa.Parameter)
	f := op.Func
	if !ok || f.Exported || f.ValueUses > 0 || len(f.CalledFrom) == 0 {
		return nil, false
	}
	idx := slices.Index(f.SSA.Params, p)
	if idx < 0 || f.SSA.Signature.Recv() != nil && idx == 0 {
		return nil, false
	}
	var caps []int64
	for _, cs := range f.CalledFrom {
		if cs.Dynamic || cs.Callback {
			return nil, false
		}
		args := cs.Instr.Common().Args
		if cs.Instr.Common().IsInvoke() || idx >= len(args) {
			return nil, false
		}
		c, ok := args[idx].(*ssa.Const)
		if !ok || c.Value == nil {
			return nil, false
		}
		n, exact := constant.Int64Val(constant.ToInt(c.Value))
		if !exact {
			return nil, false
		}
		if !slices.Contains(caps, n) {
			caps = append(caps, n)
		}
	}
	if len(caps) > 4 {
		return nil, false
	}
	slices.Sort(caps)
	return caps, true
}
