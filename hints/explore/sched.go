package explore

import (
	"go/token"
	"go/types"
	"hash/fnv"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

// Budgets. A scenario that needs more is not explored to the end, and
// then proves nothing and reports nothing.
const (
	maxStates = 600   // distinct states, after each goroutine ran to its next blocking point
	maxSteps  = 30000 // instructions interpreted
	// The package's budget, over all its scenarios: once spent, further
	// scenarios are not explored (and report nothing).
	pkgSteps = 300000
	// Continued scenarios (continued.go) have a quarter of that on top.
	thenPkgSteps = pkgSteps / 4
	maxDepth     = 12 // call frames per goroutine
	maxGors      = 12 // goroutines
	maxVisits    = 40 // entries of one block by one frame (a loop with a constant bound)
	maxForks     = 3  // branches on unknown values at one block by one frame (a loop with an unknown bound)
)

// engine explores one scenario.
type engine struct {
	m      *model.Model
	prog   *ssa.Program
	isMain bool
	res    *Scenario
	// then is the method a continued scenario calls once the root has
	// returned (Explorer.Continued).
	then *ssa.Function

	seen   map[uint64]bool
	states int
	steps  int
	// over is set when a budget ran out; bounded when a loop bound cut a
	// path (which a bounded exploration accepts).
	over, bounded bool

	ids   map[any]int // small numbers for instructions and functions, for hashing
	names map[*ssa.Function]map[ssa.Value]string
	// sends memoizes mayRelease (extchan.go), by function and element type.
	sends map[*ssa.Function]map[string]bool
}

// move is one way a waiting goroutine can go on.
type move struct {
	g, cas    int // the goroutine and, for a select, its case (-1: default)
	peer      int // the goroutine on the other side of a rendezvous, or -1
	pcas      int // the peer's select case, or -1
	ext       bool
	panics    bool // a send on a closed channel
	recvValue value
}

// explore runs the scenario from its initial state.
func (e *engine) explore(s0 *state) {
	stack := e.settle(s0)
	for len(stack) > 0 && !e.over {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		h := e.hash(s)
		if e.seen[h] {
			continue
		}
		e.seen[h] = true
		if e.states++; e.states > maxStates {
			e.over = true
			break
		}
		moves := e.moves(s)
		e.observe(s, moves)
		for _, mv := range moves {
			t := s.fork()
			e.apply(t, mv)
			if t.dead {
				continue
			}
			stack = append(stack, e.settle(t)...)
		}
	}
}

// settle runs every runnable goroutine to its next blocking operation.
func (e *engine) settle(s *state) []*state {
	if s.dead {
		return nil
	}
	for i, g := range s.gs {
		if g.done || g.pend != nil {
			continue
		}
		var out []*state
		for _, t := range e.run(s, i) {
			out = append(out, e.settle(t)...)
		}
		return out
	}
	return []*state{s}
}

// chanClass says how a channel value behaves.
type chanClass uint8

const (
	chNil   chanClass = iota // blocks forever
	chOwned                  // the scenario made it and alone uses it
	chExt                    // code outside the scenario may use it: it may complete at any time
	chTimer                  // a timer's or a deadline's: a receive completes when it fires
)

func (e *engine) chanOf(s *state, v value) (objID, chanClass) {
	switch v := unwrap(v).(type) {
	case nilV:
		return 0, chNil
	case refV:
		o := s.heap[v.obj]
		if o == nil || o.ch == nil {
			return 0, chExt
		}
		switch {
		case o.ch.timer:
			return v.obj, chTimer
		case o.ext:
			return v.obj, chExt
		}
		return v.obj, chOwned
	}
	return 0, chExt
}

// moves lists how the waiting goroutines of s can go on.
func (e *engine) moves(s *state) []move {
	var out []move
	for gi, g := range s.gs {
		if g.done || g.pend == nil {
			continue
		}
		f := g.frames[len(g.frames)-1]
		switch in := g.pend.(type) {
		case *ssa.Send:
			out = e.sendMoves(s, out, gi, -1, e.val(s, f, in.Chan))
		case *ssa.UnOp:
			out = e.recvMoves(s, out, gi, -1, e.val(s, f, in.X))
		case *ssa.Select:
			for i, st := range in.States {
				if st.Dir == types.SendOnly {
					out = e.sendMoves(s, out, gi, i, e.val(s, f, st.Chan))
				} else {
					out = e.recvMoves(s, out, gi, i, e.val(s, f, st.Chan))
				}
			}
			if !in.Blocking {
				// Default: taken when no case is ready at that instant,
				// which other goroutines' timing can always make so.
				out = append(out, move{g: gi, cas: -1, peer: -1, pcas: -1})
			}
		case *ssa.Call:
			if e.callReady(s, gi) {
				out = append(out, move{g: gi, cas: -1, peer: -1, pcas: -1, ext: e.callExt(s, gi)})
			}
		}
	}
	return out
}

func (e *engine) sendMoves(s *state, out []move, gi, cas int, ch value) []move {
	id, class := e.chanOf(s, ch)
	switch class {
	case chNil:
		return out
	case chExt, chTimer:
		out = append(out, move{g: gi, cas: cas, peer: -1, pcas: -1, ext: true})
		if class == chExt {
			out = e.extPeers(s, out, gi, cas, ch)
		}
		return out
	}
	c := s.heap[id].ch
	if c.closed {
		return append(out, move{g: gi, cas: cas, peer: -1, pcas: -1, panics: true})
	}
	if c.cap > 0 {
		if len(c.buf) < c.cap {
			out = append(out, move{g: gi, cas: cas, peer: -1, pcas: -1})
		}
		return out
	}
	for hi, h := range s.gs {
		if hi == gi || h.done || h.pend == nil {
			continue
		}
		hf := h.frames[len(h.frames)-1]
		switch in := h.pend.(type) {
		case *ssa.UnOp:
			if in.Op == token.ARROW && e.sameChan(s, e.val(s, hf, in.X), id) {
				out = append(out, move{g: gi, cas: cas, peer: hi, pcas: -1})
			}
		case *ssa.Select:
			for i, st := range in.States {
				if st.Dir == types.RecvOnly && e.sameChan(s, e.val(s, hf, st.Chan), id) {
					out = append(out, move{g: gi, cas: cas, peer: hi, pcas: i})
				}
			}
		}
	}
	return out
}

func (e *engine) sameChan(s *state, v value, id objID) bool {
	r, ok := unwrap(v).(refV)
	return ok && r.obj == id
}

func (e *engine) recvMoves(s *state, out []move, gi, cas int, ch value) []move {
	id, class := e.chanOf(s, ch)
	switch class {
	case chNil:
		return out
	case chExt, chTimer:
		if class == chTimer && s.heap[id].ch.closed {
			return append(out, move{g: gi, cas: cas, peer: -1, pcas: -1})
		}
		if class == chExt && e.senderWaits(s, gi, ch) {
			return out // the rendezvous is listed from the sender's side
		}
		return append(out, move{g: gi, cas: cas, peer: -1, pcas: -1, ext: true})
	}
	c := s.heap[id].ch
	if len(c.buf) > 0 || c.closed {
		out = append(out, move{g: gi, cas: cas, peer: -1, pcas: -1})
	}
	// A rendezvous with a waiting sender is listed from the sender's side.
	return out
}

// callReady reports whether goroutine gi's blocking library call can
// return now.
func (e *engine) callReady(s *state, gi int) bool {
	g := s.gs[gi]
	st := s.syncs[g.call.addr]
	if st == nil {
		return true
	}
	switch g.call.kind {
	case pendLock:
		return st.holder < 0 && len(st.readers) == 0
	case pendRLock:
		if st.holder >= 0 {
			return false
		}
		// A waiting writer holds back new readers (sync.RWMutex).
		for hi, h := range s.gs {
			if hi != gi && !h.done && h.pend != nil && h.call.kind == pendLock && h.call.addr == g.call.addr {
				return false
			}
		}
		return true
	case pendWGWait:
		return st.count <= 0 || st.unknown
	case pendCondWait:
		return g.cond == "" && st.holder < 0 && len(st.readers) == 0
	}
	return true
}

// callExt reports whether the call completes because of code outside the
// scenario (a lock the caller left held, a WaitGroup of unknown count).
func (e *engine) callExt(s *state, gi int) bool {
	st := s.syncs[s.gs[gi].call.addr]
	return st != nil && (st.holder == extHolder || st.unknown)
}

// extHolder holds a lock that the scenario's own goroutine returned
// holding: its caller will release it.
const extHolder = -2

// apply performs move mv on s.
func (e *engine) apply(s *state, mv move) {
	if mv.panics {
		s.dead = true
		return
	}
	g := s.gs[mv.g]
	f := g.frames[len(g.frames)-1]
	switch in := g.pend.(type) {
	case *ssa.Send:
		e.send(s, mv, e.val(s, f, in.Chan), e.val(s, f, in.X), in.Pos(), in.Chan)
		e.finish(s, mv.g, nil)
	case *ssa.UnOp:
		v, ok := e.recv(s, mv, e.val(s, f, in.X), in.Type())
		if in.CommaOk {
			e.finish(s, mv.g, tupleV{[]value{v, ok}})
		} else {
			e.finish(s, mv.g, v)
		}
		s.record(mv.g, "receives"+e.on("from", in.X), in.Pos())
	case *ssa.Select:
		e.selectMove(s, mv, in)
	case *ssa.Call:
		e.callMove(s, mv.g, in)
	}
}

// send delivers v on ch for mv: to the peer of a rendezvous, into the
// buffer, or to code outside.
func (e *engine) send(s *state, mv move, ch, v value, pos token.Pos, chv ssa.Value) {
	id, class := e.chanOf(s, ch)
	s.record(mv.g, "sends"+e.on("on", chv), pos)
	switch {
	case class != chOwned && mv.peer < 0:
		e.escape(s, v)
		e.extSync(s, mv.g, ch, class, false)
	case mv.peer >= 0:
		// An unbuffered send and its receive complete together: each
		// happens before what the other does next.
		sc, rc := s.gs[mv.g].clock, s.gs[mv.peer].clock
		s.g(mv.g).clock.join(rc)
		s.g(mv.peer).clock.join(sc)
		s.tick(mv.g)
		s.tick(mv.peer)
		e.deliver(s, mv.peer, mv.pcas, v, trueV)
	default:
		// A buffered send: the value carries the sender's clock. The
		// sender also acquires what earlier receivers released (a
		// channel used as a semaphore orders its holders).
		s.acquire(mv.g, chanKey(id))
		c := s.obj(id).ch
		c.buf = append(c.buf, v)
		c.clocks = append(c.clocks, s.gs[mv.g].clock)
		s.tick(mv.g)
	}
}

// recv takes a value from ch for mv.
func (e *engine) recv(s *state, mv move, ch value, t types.Type) (value, value) {
	id, class := e.chanOf(s, ch)
	if class != chOwned {
		if class == chTimer && s.heap[id].ch.closed {
			// A cancelled context's Done: the cancel happens before.
			if c := s.heap[id].ch; c.ctx != 0 {
				s.acquire(mv.g, ctxKey(c.ctx))
			}
			return zero(elemType(t)), falseV
		}
		e.extSync(s, mv.g, ch, class, true)
		if class == chExt {
			e.speculate(s, mv.g, elemType(t))
		}
		return s.newSym(), s.newSym()
	}
	c := s.obj(id).ch
	if len(c.buf) > 0 {
		v := c.buf[0]
		c.buf = c.buf[1:]
		if len(c.clocks) > 0 {
			s.g(mv.g).clock.join(c.clocks[0])
			c.clocks = c.clocks[1:]
		}
		s.release(mv.g, chanKey(id))
		return v, trueV
	}
	// Closed: the close happens before a receive that sees it.
	s.acquire(mv.g, chanKey(id)+"close")
	if c.ctx != 0 {
		s.acquire(mv.g, ctxKey(c.ctx))
	}
	return zero(elemType(t)), falseV
}

func elemType(t types.Type) types.Type {
	if tt, ok := t.(*types.Tuple); ok {
		return tt.At(0).Type()
	}
	return t
}

// deliver completes the receive of goroutine hi (in case cas of its
// select, or a plain receive) with v.
func (e *engine) deliver(s *state, hi, cas int, v, ok value) {
	h := s.gs[hi]
	switch in := h.pend.(type) {
	case *ssa.UnOp:
		if in.CommaOk {
			e.finish(s, hi, tupleV{[]value{v, ok}})
		} else {
			e.finish(s, hi, v)
		}
		s.record(hi, "receives"+e.on("from", in.X), in.Pos())
	case *ssa.Select:
		e.finish(s, hi, selectResult(in, cas, v, ok))
		s.record(hi, "receives"+e.on("from", in.States[cas].Chan), in.States[cas].Pos)
	}
}

// selectResult is the tuple a select returns when case cas completes
// with v (or the default, cas -1).
func selectResult(in *ssa.Select, cas int, v, ok value) value {
	tt := in.Type().(*types.Tuple)
	vs := []value{intV(int64(cas)), falseV}
	j := 0
	for i, st := range in.States {
		if st.Dir != types.RecvOnly {
			continue
		}
		if i == cas {
			vs = append(vs, v)
			vs[1] = ok
		} else {
			vs = append(vs, zero(tt.At(2+j).Type()))
		}
		j++
	}
	return tupleV{vs}
}

func (e *engine) selectMove(s *state, mv move, in *ssa.Select) {
	g := s.gs[mv.g]
	f := g.frames[len(g.frames)-1]
	if mv.cas < 0 {
		e.finish(s, mv.g, selectResult(in, -1, nil, falseV))
		return
	}
	st := in.States[mv.cas]
	ch := e.val(s, f, st.Chan)
	if st.Dir == types.SendOnly {
		e.send(s, mv, ch, e.val(s, f, st.Send), st.Pos, st.Chan)
		e.finish(s, mv.g, selectResult(in, mv.cas, nil, falseV))
		return
	}
	tt := in.Type().(*types.Tuple)
	j := 0
	for i := 0; i < mv.cas; i++ {
		if in.States[i].Dir == types.RecvOnly {
			j++
		}
	}
	v, ok := e.recv(s, mv, ch, tt.At(2+j).Type())
	e.finish(s, mv.g, selectResult(in, mv.cas, v, ok))
	s.record(mv.g, "receives"+e.on("from", st.Chan), st.Pos)
}

func (e *engine) callMove(s *state, gi int, in *ssa.Call) {
	g := s.gs[gi]
	st := s.sync(g.call.addr)
	var obj ssa.Value // the object waited on: the receiver
	switch args := in.Call.Args; {
	case in.Call.IsInvoke():
		obj = in.Call.Value
	case len(args) > 0:
		obj = args[0]
	}
	s.acquire(gi, g.call.addr)
	switch g.call.kind {
	case pendLock:
		st.holder = gi
		s.record(gi, "takes"+e.on("", obj)+" (Lock)", in.Pos())
	case pendRLock:
		if st.readers == nil {
			st.readers = map[int]int{}
		}
		st.readers[gi]++
		s.record(gi, "takes"+e.on("", obj)+" (RLock)", in.Pos())
	case pendWGWait:
		s.record(gi, "returns from"+e.on("", obj)+" Wait", in.Pos())
	case pendCondWait:
		st.holder = gi
		s.acquire(gi, key(unwrap(e.val(s, s.gs[gi].frames[len(s.gs[gi].frames)-1], obj))))
		s.record(gi, "wakes from"+e.on("", obj)+" Wait", in.Pos())
	}
	e.finish(s, gi, nil)
}

// finish completes goroutine gi's blocking operation with result v.
func (e *engine) finish(s *state, gi int, v value) {
	g := s.g(gi)
	in := g.pend
	g.pend, g.call = nil, callPend{}
	f := s.top(gi)
	if val, ok := in.(ssa.Value); ok && v != nil {
		f.regs[val] = v
	}
	f.pc++
}

// observe records the goroutines that wait forever in s: those no move of
// the scenario can wake (a move through code outside it may, which the
// finding then says).
func (e *engine) observe(s *state, moves []move) {
	owned := 0
	for _, mv := range moves {
		if !mv.ext {
			owned++
		}
	}
	if owned > 0 {
		return
	}
	extOpen := len(moves) > 0
	for gi, g := range s.gs {
		if g.done || g.pend == nil {
			continue
		}
		movable := false
		for _, mv := range moves {
			if mv.g == gi {
				movable = true
				break
			}
		}
		if !movable {
			e.res.blocked(s, gi, extOpen)
		}
	}
}

// reached records that goroutine gi of s waits at operation in, and
// whether the operation is on objects only the scenario uses.
func (e *engine) reached(s *state, gi int, in ssa.Instruction) {
	f := s.gs[gi].frames[len(s.gs[gi].frames)-1]
	ext := false
	chk := func(v value) {
		id, class := e.chanOf(s, v)
		if class == chExt || class == chOwned && s.heap[id].ch.unknownCap {
			ext = true
		}
	}
	switch in := in.(type) {
	case *ssa.Send:
		chk(e.val(s, f, in.Chan))
	case *ssa.UnOp:
		chk(e.val(s, f, in.X))
	case *ssa.Select:
		for _, st := range in.States {
			chk(e.val(s, f, st.Chan))
		}
	}
	e.res.reach(in, ext)
}

// hash identifies a state by what decides its future: goroutines with
// their frames and registers, the heap, the synchronisation objects and
// the facts. Loop counters are left out, so that a loop that comes back
// to a state already seen stops there.
func (e *engine) hash(s *state) uint64 {
	var b strings.Builder
	for _, g := range s.gs {
		b.WriteString("g")
		if g.done {
			b.WriteString("done;")
			continue
		}
		if g.pend != nil {
			b.WriteString("@" + strconv.Itoa(e.id(g.pend)))
		}
		b.WriteString(g.cond + ";" + g.group + ";")
		for _, f := range g.frames {
			b.WriteString("f" + strconv.Itoa(e.id(f.fn)) + "." + strconv.Itoa(f.block.Index) + "." + strconv.Itoa(f.pc) + "." + strconv.Itoa(int(f.env)))
			regs := make([]int, 0, len(f.regs))
			byID := make(map[int]ssa.Value, len(f.regs))
			for r := range f.regs {
				n := e.id(r)
				regs = append(regs, n)
				byID[n] = r
			}
			sort.Ints(regs)
			for _, n := range regs {
				b.WriteString(strconv.Itoa(n) + "=")
				writeKey(&b, f.regs[byID[n]])
				b.WriteString(",")
			}
			b.WriteString(strconv.Itoa(len(f.defers)) + ";")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.heap)) {
		o := s.heap[id]
		b.WriteString("o" + strconv.Itoa(int(id)) + ":" + strconv.FormatBool(o.ext) + strconv.FormatInt(o.length, 10))
		for _, k := range slices.Sorted(maps.Keys(o.cells)) {
			b.WriteString(k + "=")
			writeKey(&b, o.cells[k])
		}
		if o.ch != nil {
			b.WriteString("ch" + strconv.FormatBool(o.ch.closed))
			for _, v := range o.ch.buf {
				writeKey(&b, v)
			}
		}
		if o.ctx != nil {
			b.WriteString("ctx" + strconv.FormatBool(o.ctx.cancelled) + strconv.Itoa(int(o.ctx.done)) + "." + strconv.Itoa(len(o.ctx.after)))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.syncs)) {
		st := s.syncs[k]
		b.WriteString("s" + k + ":" + strconv.Itoa(st.holder) + "." + strconv.Itoa(st.count) + "." + strconv.Itoa(st.once) + strconv.FormatBool(st.unknown))
		for _, r := range slices.Sorted(maps.Keys(st.readers)) {
			b.WriteString("r" + strconv.Itoa(r) + "x" + strconv.Itoa(st.readers[r]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.conds)) {
		b.WriteString("c" + k + strconv.FormatBool(s.conds[k]))
	}
	e.hashPaused(&b, s)
	syms := make([]int, 0, len(s.facts))
	for k := range s.facts {
		syms = append(syms, int(k))
	}
	sort.Ints(syms)
	for _, k := range syms {
		f := s.facts[symID(k)]
		b.WriteString("F" + strconv.Itoa(k) + ":" + strconv.FormatInt(f.lo, 10) + strconv.FormatBool(f.hasLo) + strconv.FormatInt(f.hi, 10) + strconv.FormatBool(f.hasHi) + strconv.FormatBool(f.isNil) + strconv.FormatBool(f.notNil) + strconv.FormatBool(f.b) + strconv.FormatBool(f.hasB))
	}
	h := fnv.New64a()
	h.Write([]byte(b.String()))
	return h.Sum64()
}

func (e *engine) id(x any) int {
	if n, ok := e.ids[x]; ok {
		return n
	}
	n := len(e.ids) + 1
	e.ids[x] = n
	return n
}

func sortFindings(fs []*Finding) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Instr.Pos() < fs[j].Instr.Pos() })
}
