package explore

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// pendKind says which blocking library call a goroutine waits in.
type pendKind uint8

const (
	pendLock pendKind = iota + 1
	pendRLock
	pendWGWait
	pendCondWait
)

// A goroutine parked in a library call keeps what it waits for here, by
// the call instruction (the scheduler reads it).
type callPend struct {
	kind pendKind
	addr string // the mutex, WaitGroup or group; for Cond.Wait, the Cond's locker
}

// intrinsic runs fn if the engine models it, and reports whether it did.
func (e *engine) intrinsic(s *state, gi int, fn *ssa.Function, args []value, result *ssa.Call, pos token.Pos, deferRun bool) bool {
	pkg, recv, name := funcIdent(fn)
	done := func(v value) { e.result(s, gi, result, v, deferRun) }
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	park := func(k pendKind, addr string) {
		if deferRun || result == nil || addr == "" {
			done(nil) // a deferred wait: not modelled, the engine goes on
			return
		}
		g := s.g(gi)
		g.pend = result
		s.sync(addr) // the object exists from now on
		g.call = callPend{k, addr}
		e.reached(s, gi, result)
	}
	if pkg == "sync/atomic" {
		// Every atomic operation both publishes and observes: stores
		// happen before the loads that see them.
		a := e.addrKey(s, arg(0))
		s.acquire(gi, a)
		s.release(gi, a)
		done(e.atomic(s, name, arg(0), arg(1), arg(2), result))
		return true
	}
	if i, ok := libraryCall(pkg, recv, name); ok {
		e.library(s, gi, pkg, i, args, pos)
		done(s.newSym())
		return true
	}
	switch pkg + "." + recv + "." + name {
	case "sync.Mutex.Lock", "sync.RWMutex.Lock":
		park(pendLock, e.addrKey(s, arg(0)))
	case "sync.RWMutex.RLock":
		park(pendRLock, e.addrKey(s, arg(0)))
	case "sync.Mutex.Unlock", "sync.RWMutex.Unlock":
		if a := e.addrKey(s, arg(0)); a != "" {
			st := s.sync(a)
			if st.holder < 0 {
				s.dead = true // fatal error: unlock of unlocked mutex
				return true
			}
			st.holder = -1
			s.release(gi, a)
		}
		done(nil)
	case "sync.RWMutex.RUnlock":
		if a := e.addrKey(s, arg(0)); a != "" {
			s.release(gi, a)
			st := s.sync(a)
			if st.readers[gi] > 0 {
				st.readers[gi]--
				if st.readers[gi] == 0 {
					delete(st.readers, gi)
				}
			} else if len(st.readers) > 0 {
				for k := range st.readers { // released by another goroutine
					st.readers[k]--
					if st.readers[k] == 0 {
						delete(st.readers, k)
					}
					break
				}
			}
		}
		done(nil)
	case "sync.Mutex.TryLock", "sync.RWMutex.TryLock":
		ok := false
		if a := e.addrKey(s, arg(0)); a != "" {
			if st := s.sync(a); st.holder < 0 && len(st.readers) == 0 {
				st.holder, ok = gi, true
				s.acquire(gi, a)
			}
		}
		done(boolV(ok))
	case "sync.WaitGroup.Add", "sync.WaitGroup.Done":
		delta, known := int64(-1), true
		if name == "Add" {
			delta, known = constInt(arg(1))
		}
		if a := e.addrKey(s, arg(0)); a != "" {
			if delta < 0 || !known {
				s.release(gi, a)
			}
			st := s.sync(a)
			if !known {
				st.unknown = true
			} else if st.count += int(delta); st.count < 0 && !st.unknown {
				s.dead = true // panic: negative WaitGroup counter
				return true
			}
		}
		done(nil)
	case "sync.WaitGroup.Wait":
		park(pendWGWait, e.addrKey(s, arg(0)))
	case "sync.WaitGroup.Go", "golang.org/x/sync/errgroup.Group.Go", "golang.org/x/sync/errgroup.Group.TryGo":
		if f, ok := arg(1).(funcV); ok && f.fn != nil && f.fn.Blocks != nil {
			e.start(s, gi, f, nil, pos, e.addrKey(s, arg(0)))
		} else {
			e.external(s, args)
		}
		if name == "TryGo" {
			done(s.newSym())
		} else {
			done(nil)
		}
	case "golang.org/x/sync/errgroup.Group.Wait":
		park(pendWGWait, e.addrKey(s, arg(0)))
	case "golang.org/x/sync/errgroup..WithContext":
		id, o := s.newObj(objAlloc, result)
		o.typ = deref(result.Type().(*types.Tuple).At(0).Type())
		ctx := e.newCtx(s, arg(0), result)
		s.obj(ctx).ctx.timeout = true // a member's error cancels it
		done(tupleV{[]value{refV{obj: id}, refV{obj: ctx}}})
	case "sync..NewCond":
		id, o := s.newObj(objAlloc, result)
		o.typ = nil
		s.sync(key(refV{obj: id})).locker = e.addrKey(s, arg(0))
		done(refV{obj: id})
	case "sync.Cond.Wait":
		a := e.addrKey(s, arg(0))
		st := s.sync(a)
		if st.locker == "" {
			done(nil) // a Cond whose locker the engine does not know
			return true
		}
		l := s.sync(st.locker)
		l.holder = -1
		g := s.g(gi)
		g.cond = a
		park(pendCondWait, st.locker)
	case "sync.Cond.Signal", "sync.Cond.Broadcast":
		a := e.addrKey(s, arg(0))
		s.release(gi, a)
		for i := range s.gs {
			if s.gs[i].cond == a && a != "" {
				s.g(i).cond = ""
				if name == "Signal" {
					break
				}
			}
		}
		done(nil)
	case "sync.Once.Do":
		a := e.addrKey(s, arg(0))
		if st := s.sync(a); a != "" && st.once == 0 {
			st.once = 2
			depth := len(s.gs[gi].frames)
			e.callValue(s, gi, arg(1), nil, result, pos, deferRun)
			if len(s.gs[gi].frames) > depth {
				s.top(gi).once = a // its return releases into the Once
			}
			return true
		}
		// Done: what the first Do ran happens before.
		s.acquire(gi, a)
		done(nil)
	case "context..Background", "context..TODO", "context..WithoutCancel":
		done(refV{obj: e.newCtx(s, nil, result)})
	case "context..WithCancel", "context..WithCancelCause", "context..WithTimeout", "context..WithDeadline",
		"context..WithTimeoutCause", "context..WithDeadlineCause":
		ctx := e.newCtx(s, arg(0), result)
		c := s.obj(ctx).ctx
		c.cancellable = true
		if name != "WithCancel" && name != "WithCancelCause" {
			c.timeout = true
		}
		done(tupleV{[]value{refV{obj: ctx}, intrinsicV{intrCancel, ctx}}})
	case "context..WithValue":
		done(arg(0))
	case "time..After", "time..Tick":
		done(refV{obj: e.timerChan(s, result)})
	case "time..NewTimer", "time..NewTicker":
		id, o := s.newObj(objAlloc, result)
		o.cells[fieldPath("", 0)] = refV{obj: e.timerChan(s, result)}
		done(refV{obj: id})
	case "time..AfterFunc":
		if f, ok := arg(1).(funcV); ok && f.fn != nil && f.fn.Blocks != nil {
			e.start(s, gi, f, nil, pos, "")
		} else {
			e.external(s, args)
		}
		done(s.newSym())
	case "testing.T.Parallel":
		if !deferRun && e.pauseSubtest(s, gi) {
			return true
		}
		done(nil)
	case "time..Sleep", "runtime..Gosched", "testing.common.Helper", "testing.T.Helper":
		done(nil)
	case "runtime..Goexit", "testing.common.FailNow", "testing.common.Fatal", "testing.common.Fatalf",
		"testing.common.SkipNow", "testing.common.Skip", "testing.common.Skipf",
		"testing.T.FailNow", "testing.T.Fatal", "testing.T.Fatalf", "testing.T.SkipNow", "testing.T.Skip", "testing.T.Skipf",
		"testing.B.FailNow", "testing.B.Fatal", "testing.B.Fatalf":
		if deferRun {
			done(nil)
			return true
		}
		e.goexit(s, gi)
	case "os..Exit", "log..Fatal", "log..Fatalf", "log..Fatalln", "log..Panic", "log..Panicf", "log..Panicln":
		s.dead = true
	case "testing.T.Run":
		if f, ok := arg(2).(funcV); ok && f.fn != nil && f.fn.Blocks != nil && e.mayEnter(s, gi, f.fn) {
			// A subtest runs to its end (or its t.Parallel) before Run
			// returns; the engine runs it in place.
			e.push(s, gi, f.fn, f.env, []value{s.newSym()}, result, deferRun)
			s.top(gi).subtest = !deferRun
			return true
		}
		e.external(s, args)
		done(s.newSym())
	default:
		return false
	}
	return true
}
