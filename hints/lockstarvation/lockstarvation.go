package lockstarvation

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
	"github.com/synclens/synclens/hints/internal/conflict"
	"github.com/synclens/synclens/hints/internal/message"
	"github.com/synclens/synclens/hints/model"
)

//go:embed doc.go
var doc string

// Analyzer reports locks held across slow operations.
var Analyzer = &analysis.Analyzer{
	Name:     "lockstarvation",
	Doc:      analysisutil.MustExtractDoc(doc, "lockstarvation"),
	URL:      "https://github.com/synclens/synclens/blob/main/docs/checks.md#lockstarvation",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

// A slow operation found in a function.
type slow struct {
	in   ssa.Instruction
	pos  token.Pos
	kind string // "time.Sleep", "network I/O", "a range over s.jobs"...
	call string // the call as the source spells it (conn.Write), if any
	how  string // what the waiters wait for: "as long as it sleeps"
	fn   *model.Func
	// io is set for network, file, database and process I/O: a lock held
	// across it is often the lock that serializes that I/O.
	io bool
}

// what describes the operation, with detail inside the parentheses.
func (s *slow) what(detail string) string {
	var parts []string
	if s.call != "" {
		parts = append(parts, s.call)
	}
	if detail != "" {
		parts = append(parts, detail)
	}
	if len(parts) == 0 {
		return s.kind
	}
	return s.kind + " (" + strings.Join(parts, ", ") + ")"
}

// A site is a slow operation made while a lock is held: directly, or
// through a call of a package function.
type site struct {
	f    *model.Func
	at   ssa.Instruction // the slow operation, or the call leading to it
	pos  token.Pos
	held *model.Held
	op   *slow
	via  *model.CallSite // the call, when the operation is in a callee
}

type checker struct {
	pass  *analysis.Pass
	m     *model.Model
	slows map[*model.Func][]*slow
	deep  map[*model.Func]*slow // first slow operation of a function or its callees
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	c := &checker{pass: pass, m: m, slows: make(map[*model.Func][]*slow), deep: make(map[*model.Func]*slow)}
	for _, f := range m.Funcs {
		c.slows[f] = c.find(f)
	}
	var sites []*site
	slowHolders := make(map[model.ClassKey]map[*model.Func]bool)
	for _, f := range m.Funcs {
		for _, s := range c.slows[f] {
			for _, h := range f.HeldAt(s.in) {
				sites = append(sites, &site{f: f, at: s.in, pos: s.pos, held: h, op: s})
			}
		}
		for _, cs := range f.Calls {
			if cs.Go || cs.Defer || len(cs.Held) == 0 {
				continue
			}
			s := c.deepSlow(cs.Callee, 0, map[*model.Func]bool{})
			if s == nil {
				continue
			}
			for _, h := range cs.Held {
				sites = append(sites, &site{f: f, at: cs.Instr, pos: cs.Pos, held: h, op: s, via: cs})
			}
		}
	}
	for _, s := range sites {
		if k := s.held.Path.Class(); k != "" {
			if slowHolders[k] == nil {
				slowHolders[k] = make(map[*model.Func]bool)
			}
			slowHolders[k][s.f] = true
		}
	}
	reported := make(map[token.Pos]bool)
	for _, s := range sites {
		if reported[s.pos] || strings.HasSuffix(pass.Fset.Position(s.pos).Filename, "_test.go") {
			continue
		}
		if s.via != nil && s.op.io {
			// I/O in a helper called under the lock: the lock serializes
			// it (writeRecordLocked). It still makes the caller a slow
			// holder, no victim.
			continue
		}
		k := s.held.Path.Class()
		if k == "" || !isMutex(s.held) {
			continue
		}
		v := c.victim(s, k, slowHolders[k])
		if v == nil {
			continue
		}
		reported[s.pos] = true
		c.report(s, v)
	}
	return nil, nil
}

func isMutex(h *model.Held) bool {
	if h.Site != nil && (h.Site.ObjKind == model.ObjMutex || h.Site.ObjKind == model.ObjRWMutex) {
		return true
	}
	k := h.Path.LockKind()
	return k == model.ObjMutex || k == model.ObjRWMutex
}

// victim returns an access, in another function, made under a lock of the
// same class by code that does no slow work under it: someone who queues.
// Behind I/O, the victim must access state that the slow critical section
// does not: otherwise the lock is the one that serializes the I/O and its
// state, and waiting for it is the point.
func (c *checker) victim(s *site, k model.ClassKey, slowHolders map[*model.Func]bool) *model.Access {
	var own map[*types.Var]bool
	if s.op.io {
		own = make(map[*types.Var]bool)
		for _, a := range c.m.Accesses {
			if a.Func == s.f && a.Var != nil {
				own[a.Var] = true
			}
		}
	}
	var best *model.Access
	for _, a := range c.m.Accesses {
		if a.Fresh || a.Func == s.f || slowHolders[a.Func] || s.via != nil && a.Func == s.via.Callee {
			continue
		}
		if own != nil && (a.Var == nil || own[a.Var]) {
			continue
		}
		for _, h := range a.Held {
			if h.Path.Class() == k && !(s.held.Read && h.Read) {
				if best == nil || a.Pos < best.Pos {
					best = a
				}
				break
			}
		}
	}
	return best
}

// deepSlow returns the first slow operation of f or of the package
// functions it calls, up to three calls down.
func (c *checker) deepSlow(f *model.Func, depth int, seen map[*model.Func]bool) *slow {
	if s, ok := c.deep[f]; ok {
		return s
	}
	if seen[f] || depth > 3 {
		return nil
	}
	seen[f] = true
	var out *slow
	if ss := c.slows[f]; len(ss) > 0 {
		out = ss[0]
	} else {
		for _, cs := range f.Calls {
			if cs.Go || cs.Defer {
				continue
			}
			if s := c.deepSlow(cs.Callee, depth+1, seen); s != nil {
				out = s
				break
			}
		}
	}
	if depth == 0 {
		c.deep[f] = out
	}
	return out
}

// find lists the slow operations of f.
func (c *checker) find(f *model.Func) []*slow {
	var out []*slow
	for _, b := range f.SSA.Blocks {
		for _, in := range b.Instrs {
			if s := c.classify(f, in); s != nil {
				out = append(out, s)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

func (c *checker) classify(f *model.Func, in ssa.Instruction) *slow {
	switch in := in.(type) {
	case *ssa.Select:
		if !in.Blocking {
			return nil
		}
		nilable := ""
		for _, st := range in.States {
			switch what, maybeNil := releasing(st.Chan); {
			case what != "" && !maybeNil:
				return nil
			case what != "" && nilable == "":
				nilable = what
			}
		}
		if nilable != "" {
			// Its way out is a channel that is nil on some path: a nil
			// channel is never ready, so the select can still wait on the
			// other cases alone.
			return &slow{in: in, pos: in.Pos(), kind: fmt.Sprintf("a select whose %s case may be on a nil channel (never ready)", nilable), how: "until one of its other cases is ready", fn: f}
		}
		return &slow{in: in, pos: in.Pos(), kind: "a select with no default, timer or ctx.Done() case", how: "until one of its cases is ready", fn: f}
	case *ssa.UnOp:
		if in.Op == token.ARROW && in.Block().Comment == "rangechan.loop" && !c.closedBefore(f, in) {
			return &slow{in: in, pos: rangePos(in), kind: fmt.Sprintf("a range over %s", chanName(c.m, in.X)), how: "until the channel is closed", fn: f}
		}
	case *ssa.Call:
		return c.slowCall(f, in)
	}
	return nil
}

func rangePos(u *ssa.UnOp) token.Pos {
	if u.Pos().IsValid() {
		return u.Pos()
	}
	return u.X.Pos()
}

func chanName(m *model.Model, v ssa.Value) string {
	if p, ok := m.PathOf(v); ok {
		return p.Name()
	}
	return "a channel"
}

// releasing says whether a select case ends the wait on its own: a timer
// ("timer"), a context's Done ("ctx.Done()"), a channel made by another
// package ("channel"); "" when it does not. maybeNil is set when the channel
// is nil on some path (var done <-chan struct{}; if ctx != nil { done =
// ctx.Done() }).
func releasing(ch ssa.Value) (what string, maybeNil bool) {
	return releasingDepth(ch, 0)
}

func releasingDepth(ch ssa.Value, depth int) (string, bool) {
	if depth > 8 {
		return "", false
	}
	switch v := ch.(type) {
	case *ssa.ChangeType:
		return releasingDepth(v.X, depth+1)
	case *ssa.Phi:
		what, maybeNil := "", false
		for _, e := range v.Edges {
			if k, ok := e.(*ssa.Const); ok && k.IsNil() {
				maybeNil = true
				continue
			}
			w, n := releasingDepth(e, depth+1)
			if w == "" {
				return "", false // a case that may wait on an ordinary channel
			}
			what, maybeNil = w, maybeNil || n
		}
		return what, maybeNil
	case *ssa.Call:
		fn := calleeFunc(&v.Call)
		if fn == nil || fn.Pkg() == nil {
			return "channel", false
		}
		switch {
		case fn.Name() == "Done":
			return "ctx.Done()", false
		case fn.Pkg().Path() == "time":
			return "timer", false
		case fn.Pkg().Path() == "context":
			return "ctx.Done()", false
		}
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			if n := named(fa.X.Type()); n == "time.Timer" || n == "time.Ticker" {
				return "timer", false
			}
		}
	}
	return "", false
}

// closedBefore reports whether the channel a range receive reads from is
// certainly closed before the loop starts (close(ch) dominates it in f):
// such a range only drains the buffer, it never waits.
func (c *checker) closedBefore(f *model.Func, recv *ssa.UnOp) bool {
	p, ok := c.m.PathOf(recv.X)
	if !ok {
		return false
	}
	for _, op := range f.Ops {
		if op.Kind != model.OpClose || op.Deferred || !op.Path.Valid() || op.Path.Key() != p.Key() {
			continue
		}
		if b := op.Instr.Block(); b != recv.Block() && b.Dominates(recv.Block()) {
			return true
		}
	}
	return false
}

// slowCall recognises calls of slow functions of the standard library.
func (c *checker) slowCall(f *model.Func, call *ssa.Call) *slow {
	fn := calleeFunc(&call.Call)
	if fn == nil || fn.Pkg() == nil {
		return nil
	}
	pkg, name := fn.Pkg().Path(), fn.Name()
	recv := ""
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		recv = named(sig.Recv().Type())
	}
	mk := func(kind, how string) *slow {
		s := &slow{in: call, pos: call.Call.Pos(), kind: kind, how: how, fn: f}
		if kind != "time.Sleep" {
			s.call = c.callText(call)
		}
		s.io = kind != "time.Sleep" && !strings.HasPrefix(kind, "an HTTP")
		return s
	}
	switch {
	case pkg == "time" && recv == "" && name == "Sleep":
		return mk("time.Sleep", "as long as it sleeps")
	case pkg == "net/http" && (recv == "" && oneOf(name, "Get", "Post", "PostForm", "Head") ||
		recv == "net/http.Client" && oneOf(name, "Do", "Get", "Post", "PostForm", "Head") ||
		recv == "net/http.RoundTripper" && name == "RoundTrip"):
		return mk("an HTTP request", "for the server to answer")
	case pkg == "net" && (recv == "" && (strings.HasPrefix(name, "Dial") || strings.HasPrefix(name, "Lookup")) ||
		recv == "net.Dialer" && strings.HasPrefix(name, "Dial") ||
		recv == "net.Resolver" && strings.HasPrefix(name, "Lookup")):
		return mk("network I/O", "for the network")
	case pkg == "net" && strings.HasSuffix(name, "Accept") || pkg == "net" && strings.HasPrefix(name, "Accept"):
		return mk("waiting for a connection", "until a client connects")
	case pkg == "net" && isConnType(recv) && oneOf(name, "Read", "Write", "ReadFrom", "WriteTo", "ReadFromUDP", "WriteToUDP", "ReadMsgUDP", "WriteMsgUDP"):
		return mk("network I/O", "for the network")
	case pkg == "database/sql" && oneOf(recv, "database/sql.DB", "database/sql.Tx", "database/sql.Conn", "database/sql.Stmt") &&
		(strings.HasPrefix(name, "Query") || strings.HasPrefix(name, "Exec") || strings.HasPrefix(name, "Ping") ||
			strings.HasPrefix(name, "Begin") || strings.HasPrefix(name, "Prepare") || oneOf(name, "Commit", "Rollback")):
		return mk("a database query", "for the database")
	case pkg == "os" && recv == "" && oneOf(name, "ReadFile", "WriteFile", "ReadDir", "RemoveAll", "CopyFS"):
		return mk("file I/O", "for the disk")
	case pkg == "os" && recv == "os.File" && oneOf(name, "Read", "Write", "ReadAt", "WriteAt", "WriteString", "Sync", "ReadDir", "Readdir", "Readdirnames", "ReadFrom", "WriteTo"):
		return mk("file I/O", "for the disk")
	case pkg == "os/exec" && recv == "os/exec.Cmd" && oneOf(name, "Run", "Output", "CombinedOutput", "Wait"):
		return mk("running a command", "until the command exits")
	case pkg == "io" && recv == "" && oneOf(name, "Copy", "CopyN", "CopyBuffer", "ReadAll", "ReadFull", "ReadAtLeast"):
		for _, a := range call.Call.Args {
			if t := dynamicType(a); t != nil && (isNetConn(t) || named(t) == "os.File") {
				return mk("I/O on "+ioKind(t), "for the copy to finish")
			}
		}
	}
	return nil
}

func ioKind(t types.Type) string {
	if named(t) == "os.File" {
		return "a file"
	}
	return "a network connection"
}

func oneOf(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

func isConnType(recv string) bool {
	return oneOf(recv, "net.Conn", "net.TCPConn", "net.UDPConn", "net.UnixConn", "net.IPConn", "net.PacketConn")
}

// dynamicType looks through conversions to an interface for the static type
// of the value passed.
func dynamicType(v ssa.Value) types.Type {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeInterface:
			v = x.X
			continue
		}
		return v.Type()
	}
}

func isNetConn(t types.Type) bool {
	switch named(t) {
	case "net.Conn", "net.TCPConn", "net.UDPConn", "net.UnixConn", "net.IPConn", "crypto/tls.Conn":
		return true
	}
	return false
}

func named(t types.Type) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
		return n.Obj().Pkg().Path() + "." + n.Obj().Name()
	}
	return ""
}

func calleeFunc(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	if f := c.StaticCallee(); f != nil {
		if obj, ok := f.Object().(*types.Func); ok {
			return obj
		}
	}
	return nil
}

// callText renders the called function as the source spells it.
func (c *checker) callText(call *ssa.Call) string {
	if ce, _ := analysisutil.CallAt(c.pass, call.Call.Pos()); ce != nil {
		if s := analysisutil.Format(c.pass.Fset, ce.Fun); s != "" && len(s) <= 40 {
			return s
		}
	}
	if fn := calleeFunc(&call.Call); fn != nil {
		return fn.Name()
	}
	return "call"
}

func (c *checker) report(s *site, v *model.Access) {
	pass := c.pass
	lock := s.held.Path.Name()
	if s.held.Read {
		lock = "the read lock of " + lock
	}
	where := func(p token.Pos) string { return message.Where(pass, p, s.pos) }
	// The victim waits at the Lock that takes the lock before its access
	// (the first access under it may be the deferred Unlock's own s.mu).
	vpos := v.Pos
	for _, h := range v.Held {
		if h.Path.Class() == s.held.Path.Class() && h.Site != nil && h.Site.Func == v.Func {
			vpos = conflict.FirstPos(&model.LockConflict{First: h, Func: v.Func})
			break
		}
	}
	victim := fmt.Sprintf("%s (%s)", v.Func.DisplayName(), where(vpos))
	var msg string
	if s.via == nil {
		msg = fmt.Sprintf("%s while holding %s: goroutines that need it, like %s, wait %s", s.op.what(""), lock, victim, s.op.how)
	} else {
		msg = fmt.Sprintf("%s makes %s while holding %s: goroutines that need it, like %s, wait %s",
			message.CallName(pass, s.via), s.op.what(where(s.op.pos)), lock, victim, s.op.how)
	}
	hpos := conflict.FirstPos(&model.LockConflict{First: s.held, Func: s.f})
	related := []analysis.RelatedInformation{
		{Pos: hpos, Message: fmt.Sprintf("%s is locked here", s.held.Path.Name())},
	}
	if s.via != nil {
		related = append(related, analysis.RelatedInformation{Pos: s.op.pos, Message: "the slow operation"})
	}
	related = append(related, analysis.RelatedInformation{Pos: vpos, Message: fmt.Sprintf("%s waits for the lock here", v.Func.DisplayName())})
	end := s.pos
	if call, _ := analysisutil.CallAt(pass, s.pos); call != nil {
		end = call.End()
	}
	pass.Report(analysis.Diagnostic{
		Pos:      s.pos,
		End:      end,
		Category: "lockstarvation",
		Message:  msg,
		Related:  related,
	})
}
