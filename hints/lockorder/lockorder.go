package lockorder

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/internal/analysisutil"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports locks taken in inconsistent orders.
var Analyzer = &analysis.Analyzer{
	Name:     "lockorder",
	Doc:      analysisutil.MustExtractDoc(doc, "lockorder"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#lockorder",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

// A witness is one acquisition of To while From is held.
type witness struct {
	e     *model.LockEdge
	from  string          // node of e.From
	to    string          // node of e.To
	gates map[string]bool // nodes of the other locks held at the acquisition
}

type graph struct {
	m     *model.Model
	edges map[string]map[string][]*witness
	nodes []string
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	if len(m.LockEdges) == 0 {
		return nil, nil
	}
	g := &graph{m: m, edges: make(map[string]map[string][]*witness)}
	var selfLoops []*model.LockEdge

	// Group edges by acquisition: the locks held at it are its gates.
	type acq struct {
		f   *model.Func
		pos token.Pos
		op  *model.Op
		to  model.Key
	}
	groups := make(map[acq][]*model.LockEdge)
	var order []acq
	for _, e := range m.LockEdges {
		k := acq{e.Func, e.Pos, e.ToOp, e.To.Key()}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	for _, k := range order {
		es := groups[k]
		f := es[0].Func
		if initOnly(f) || m.InitOnly(f) {
			continue
		}
		to, ok := nodeOf(m, es[0].To)
		if !ok {
			continue
		}
		held := make(map[string]bool)
		for _, e := range es {
			if n, ok := nodeOf(m, e.From.Path); ok {
				held[n] = true
			}
		}
		for _, h := range f.Requires {
			if n, ok := nodeOf(m, h.Path); ok {
				held[n] = true
			}
		}
		if es[0].Guarded || doomed(es[0]) {
			continue
		}
		for _, e := range es {
			from, ok := nodeOf(m, e.From.Path)
			if !ok {
				continue
			}
			if from == to {
				selfLoops = append(selfLoops, e)
				continue
			}
			gates := make(map[string]bool)
			for n := range held {
				if n != from && n != to {
					gates[n] = true
				}
			}
			g.add(&witness{e: e, from: from, to: to, gates: gates})
		}
	}
	for _, c := range g.cycles() {
		report(pass, c)
	}
	for _, s := range swapped(m, selfLoops) {
		reportSwapped(pass, s)
	}
	return nil, nil
}

func (g *graph) add(w *witness) {
	if g.edges[w.from] == nil {
		g.edges[w.from] = make(map[string][]*witness)
		g.nodes = append(g.nodes, w.from)
	}
	if _, ok := g.edges[w.to]; !ok {
		g.edges[w.to] = make(map[string][]*witness)
		g.nodes = append(g.nodes, w.to)
	}
	g.edges[w.from][w.to] = append(g.edges[w.from][w.to], w)
}

// initOnly reports whether f runs only while the package initializes.
func initOnly(f *model.Func) bool {
	fn := f.SSA
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn.Signature.Recv() == nil && (fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#"))
}

// nodeOf names the lock a path denotes for the lock graph: a package
// variable or a lock inside a local variable exactly; otherwise the field
// path from the last pointer step, within its type (Pipeline.in.mu), so
// that receivers of one type meet.
func nodeOf(m *model.Model, p model.Path) (string, bool) {
	if !p.Valid() {
		return "", false
	}
	n := len(p.Fields)
	if p.Elem {
		if n == 0 {
			return "", false
		}
		return "C:" + model.FieldClass(p.Fields[n-1]), true // one of many: its class
	}
	start := -1
	for i := n - 1; i >= 1; i-- {
		if shared(p.Fields[i-1].Type()) {
			start = i
			break
		}
	}
	if start < 0 {
		if !rootShared(p) {
			return "X:" + string(p.Key()), true // the variable itself
		}
		if n == 0 {
			return "", false // a parameter or result: unknown instance
		}
		start = 0
	}
	parts := make([]string, 0, n-start)
	for _, f := range p.Fields[start:] {
		parts = append(parts, model.FieldClass(f))
	}
	return "C:" + strings.Join(parts, "/"), true
}

// rootShared reports whether the root of p holds a reference, so that
// fields are selected in a shared object rather than in the root variable.
func rootShared(p model.Path) bool {
	switch p.Root.Kind {
	case model.RootGlobal:
		return shared(p.Root.Global.Type().(*types.Pointer).Elem())
	case model.RootParam:
		return shared(p.Root.Frame.Params[p.Root.Param].Type())
	case model.RootValue:
		if p.Local() {
			return false
		}
		return true
	}
	return false
}

func shared(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array, *types.Basic:
		return false
	}
	return true
}

// A cycle is a list of witnesses, each taking the lock the next one holds.
type cycle []*witness

// cycles finds the cycles of two to four locks, each once, whose witnesses
// can deadlock together.
func (g *graph) cycles() []cycle {
	sort.Strings(g.nodes)
	var out []cycle
	var reported []map[string]bool
	covers := func(nodes []string) bool {
		for _, r := range reported {
			all := true
			for n := range r {
				if !contains(nodes, n) {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
		return false
	}
	for length := 2; length <= 4; length++ {
		for _, start := range g.nodes {
			var path []string
			var walk func(n string)
			walk = func(n string) {
				path = append(path, n)
				defer func() { path = path[:len(path)-1] }()
				if len(path) == length {
					if _, ok := g.edges[n][start]; ok && !covers(path) {
						if c := g.pick(path); c != nil {
							out = append(out, c)
							set := make(map[string]bool)
							for _, x := range path {
								set[x] = true
							}
							reported = append(reported, set)
						}
					}
					return
				}
				for _, next := range sortedKeys(g.edges[n]) {
					// Canonical form: start is the smallest node.
					if next <= start || contains(path, next) {
						continue
					}
					walk(next)
				}
			}
			walk(start)
		}
	}
	return out
}

// pick chooses one witness per edge of the cycle through nodes such that
// no lock is held on all of them (a gate), not every contested acquisition
// is a read lock, and the paths are not one function's sequence of calls of
// itself. It returns nil when there is none.
func (g *graph) pick(nodes []string) cycle {
	lists := make([][]*witness, len(nodes))
	for i, n := range nodes {
		lists[i] = g.edges[n][nodes[(i+1)%len(nodes)]]
		sort.SliceStable(lists[i], func(a, b int) bool {
			wa, wb := lists[i][a], lists[i][b]
			if len(wa.e.Chain) != len(wb.e.Chain) {
				return len(wa.e.Chain) < len(wb.e.Chain)
			}
			return wa.e.Pos < wb.e.Pos
		})
	}
	var chosen cycle
	budget := 2000
	var try func(i int) bool
	try = func(i int) bool {
		if budget--; budget < 0 {
			return false
		}
		if i == len(lists) {
			return ok(chosen)
		}
		for _, w := range lists[i] {
			chosen = append(chosen, w)
			if try(i + 1) {
				return true
			}
			chosen = chosen[:len(chosen)-1]
		}
		return false
	}
	if !try(0) {
		return nil
	}
	return append(cycle(nil), chosen...)
}

func ok(c cycle) bool {
	// A gate: a lock held at every acquisition of the cycle.
	for n := range c[0].gates {
		all := true
		for _, w := range c[1:] {
			if !w.gates[n] {
				all = false
				break
			}
		}
		if all {
			return false
		}
	}
	// Read locks only: readers do not exclude each other.
	reads := true
	for _, w := range c {
		if !w.e.Read {
			reads = false
		}
	}
	return !reads
}

func report(pass *analysis.Pass, c cycle) {
	// Start from the witness whose inner Lock comes first in the file.
	first := 0
	for i, w := range c {
		if w.e.ToOp.Pos < c[first].e.ToOp.Pos {
			first = i
		}
	}
	c = append(append(cycle(nil), c[first:]...), c[:first]...)
	w0 := c[0]
	call, _ := analysisutil.CallAt(pass, w0.e.ToOp.Pos)
	if call == nil {
		return
	}
	var parts []string
	for _, w := range c {
		if len(w.e.Chain) > 0 && w.e.To.Name() != w.e.ToOp.Path.Name() {
			// Name the lock as the function that takes it does: the
			// caller's spelling of the callee's path (w.hub.mu) is one the
			// source never writes.
			parts = append(parts, fmt.Sprintf("%s holds %s and calls %s, which takes %s",
				w.e.Func.DisplayName(), w.e.From.Path.Name(), message.ChainText(pass, w.e.Chain, w0.e.ToOp.Pos), w.e.ToOp.Path.Name()))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s takes %s while holding %s (%s)",
			w.e.Func.DisplayName(), w.e.To.Name(), w.e.From.Path.Name(), message.Where(pass, w.e.Pos, w0.e.ToOp.Pos)))
	}
	var msg string
	if len(c) == 2 {
		msg = fmt.Sprintf("lock order inversion: %s, but %s: two goroutines running them can each hold one lock and wait for the other forever", parts[0], parts[1])
	} else {
		msg = fmt.Sprintf("lock order cycle: %s: %d goroutines running them can each hold one lock and wait for the next forever", strings.Join(parts, ", "), len(c))
	}
	var related []analysis.RelatedInformation
	for i, w := range c {
		held := w.e.From.Path.Name()
		fpos := w.e.From.Site.Pos
		if len(w.e.From.Via) > 0 {
			fpos = w.e.From.Via[0].Pos
		}
		related = append(related, analysis.RelatedInformation{Pos: fpos, Message: fmt.Sprintf("%s locks %s here", w.e.Func.DisplayName(), held)})
		for _, cs := range w.e.Chain {
			related = append(related, analysis.RelatedInformation{Pos: cs.Pos, Message: fmt.Sprintf("calls %s with %s held", message.CallName(pass, cs), held)})
		}
		if i > 0 || len(w.e.Chain) > 0 {
			related = append(related, analysis.RelatedInformation{Pos: w.e.ToOp.Pos, Message: fmt.Sprintf("%s is locked here while %s is held", w.e.ToOp.Path.Name(), held)})
		}
	}
	pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "lockorder",
		Message:  msg,
		Related:  related,
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string][]*witness) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// A swap is a lock-order self-loop on one type (from.mu, then to.mu) in a
// function that two goroutines call with the same two objects swapped.
type swap struct {
	e        *model.LockEdge
	cs1, cs2 *model.CallSite
}

// swapped finds, among edges between two locks of one type, those taken
// through two parameters of a function that is called as f(a, b) and f(b,
// a) from code that can run at the same time.
func swapped(m *model.Model, loops []*model.LockEdge) []swap {
	done := make(map[*model.Func]bool)
	var out []swap
	for _, e := range loops {
		f := e.Func
		if done[f] {
			continue
		}
		i, j := e.From.Path.ParamOf(f.SSA), e.To.ParamOf(f.SSA)
		if i < 0 || j < 0 || i == j || !sameFields(e.From.Path, e.To) {
			continue
		}
		type pair struct{ a, b model.Key }
		calls := make(map[pair][]*model.CallSite)
	sites:
		for _, cs := range f.CalledFrom {
			args := cs.Args()
			if i >= len(args) || j >= len(args) {
				continue
			}
			pa, ok1 := m.PathOf(args[i])
			pb, ok2 := m.PathOf(args[j])
			if !ok1 || !ok2 || pa.Elem || pb.Elem || pa.Key() == pb.Key() {
				continue
			}
			for _, other := range calls[pair{pb.Key(), pa.Key()}] {
				if concurrent(other, cs) {
					out = append(out, swap{e: e, cs1: other, cs2: cs})
					done[f] = true
					break sites
				}
			}
			k := pair{pa.Key(), pb.Key()}
			calls[k] = append(calls[k], cs)
		}
	}
	return out
}

func sameFields(a, b model.Path) bool {
	if len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i] != b.Fields[i] {
			return false
		}
	}
	return true
}

// concurrent reports whether two calls can run at the same time: one starts
// a goroutine, or they are in different functions one of which runs in a
// goroutine of the package.
func concurrent(a, b *model.CallSite) bool {
	if a.Go || b.Go {
		return true
	}
	return a.Caller != b.Caller && (len(a.Caller.Goroutines) > 0 || len(b.Caller.Goroutines) > 0)
}

func reportSwapped(pass *analysis.Pass, s swap) {
	call, _ := analysisutil.CallAt(pass, s.e.ToOp.Pos)
	if call == nil {
		return
	}
	text := func(cs *model.CallSite) string {
		if c, _ := analysisutil.CallAt(pass, cs.Pos); c != nil {
			if t := analysisutil.Format(pass.Fset, c); t != "" && len(t) <= 60 {
				return t
			}
		}
		return message.CallName(pass, cs)
	}
	at := func(pos token.Pos) string { return message.Where(pass, pos, s.e.ToOp.Pos) }
	msg := fmt.Sprintf("lock order inversion: %s takes %s while holding %s, and goroutines call both %s (%s) and %s (%s): each can hold one lock and wait for the other forever",
		s.e.Func.DisplayName(), s.e.To.Name(), s.e.From.Path.Name(), text(s.cs1), at(s.cs1.Pos), text(s.cs2), at(s.cs2.Pos))
	fpos := s.e.From.Site.Pos
	if len(s.e.From.Via) > 0 {
		fpos = s.e.From.Via[0].Pos
	}
	pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "lockorder",
		Message:  msg,
		Related: []analysis.RelatedInformation{
			{Pos: fpos, Message: fmt.Sprintf("%s is locked here", s.e.From.Path.Name())},
			{Pos: s.cs1.Pos, Message: "called with the objects in one order"},
			{Pos: s.cs2.Pos, Message: "called with them swapped"},
		},
	})
}

// doomed reports whether the acquisition of e lies on a path that can only
// end in a panic (an assertion that reports misuse): it never returns and
// cannot loop, so it is not a schedule two goroutines run for long.
func doomed(e *model.LockEdge) bool {
	var at ssa.Instruction
	for _, b := range e.Func.SSA.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(ssa.CallInstruction); ok && c.Common().Pos() == e.Pos {
				at = in
			}
		}
	}
	if at == nil {
		return false
	}
	start := at.Block()
	seen := map[*ssa.BasicBlock]bool{start: true}
	work := []*ssa.BasicBlock{start}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				return false
			}
		}
		for _, s := range b.Succs {
			if s == start || seen[s] {
				return false // a loop: it may run for long
			}
			seen[s] = true
			work = append(work, s)
		}
	}
	return true
}
