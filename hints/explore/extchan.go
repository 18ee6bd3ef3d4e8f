package explore

import (
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/ssa"
)

// Channels the scenario does not own. A channel in a field of a
// parameter, or returned by a function of another package, can be sent
// on and received from by code outside the scenario at any time: a
// receive from it may complete without a sender of the scenario. Yet its
// goroutines may still share it (a goroutine started by the scenario
// signals its starter on a channel of the parameter), and a receive that
// completes "from outside" while a goroutine of the scenario stands ready
// to send would make up races the send orders. So such a channel has an
// identity (the object an unknown value stands for), a receive meets a
// waiting sender of the scenario rather than completing from outside, and
// every send, receive and close passes clocks through it (extSync).
//
// A receive that completes from outside while a goroutine of the scenario
// is still on its way to a send on a channel of that type (signalling that
// it is done, say) may in fact take that send: then everything the sender
// did before happens before what the receiver does after. The engine
// cannot know, so it pairs none of their accesses across that receive
// (speculate): a race between them would only be real if code outside
// sent on the channel.

// extSync passes clocks through a channel the scenario does not own: a
// send or receive on it both acquires what earlier ones released and
// releases, and a receive acquires what a close released. It orders more
// than Go does (a receive need not take this send's value), which can hide
// a race but never makes one up.
func (e *engine) extSync(s *state, gi int, ch value, class chanClass, recv bool) {
	if class != chExt {
		return
	}
	k := e.extChanKey(s, ch)
	if k == "" {
		return
	}
	s.acquire(gi, k)
	if recv {
		s.acquire(gi, k+"close")
	}
	s.release(gi, k)
}

// extChanKey is the synchronisation address of a channel the scenario
// does not own: an unknown value gets the object it stands for.
func (e *engine) extChanKey(s *state, ch value) string {
	switch v := unwrap(ch).(type) {
	case refV:
		return chanKey(v.obj)
	case symV:
		return chanKey(s.extObj(v))
	}
	return ""
}

// extID names the channel an unknown or external value is, without
// changing the state (moves only look): the same for the same channel.
func extID(s *state, ch value) string {
	switch v := unwrap(ch).(type) {
	case refV:
		return "o" + strconv.Itoa(int(v.obj))
	case symV:
		if id, ok := s.ext[symID(v)]; ok {
			return "o" + strconv.Itoa(int(id))
		}
		return "s" + strconv.Itoa(int(v))
	}
	return ""
}

// extPeers adds the rendezvous of goroutine gi's send on external channel
// ch (in case cas of a select, or -1) with the goroutines waiting to
// receive from it.
func (e *engine) extPeers(s *state, out []move, gi, cas int, ch value) []move {
	id := extID(s, ch)
	if id == "" {
		return out
	}
	e.waiting(s, gi, func(hi, hcas int, in ssa.Instruction, dir types.ChanDir, hch value) bool {
		if dir == types.RecvOnly && extID(s, hch) == id {
			out = append(out, move{g: gi, cas: cas, peer: hi, pcas: hcas})
		}
		return false
	})
	return out
}

// senderWaits reports whether a goroutine other than gi waits to send on
// external channel ch.
func (e *engine) senderWaits(s *state, gi int, ch value) bool {
	id := extID(s, ch)
	return id != "" && e.waiting(s, gi, func(_, _ int, _ ssa.Instruction, dir types.ChanDir, hch value) bool {
		return dir == types.SendOnly && extID(s, hch) == id
	})
}

// waiting calls f on each channel operation that a goroutine other than
// gi waits at (a send, a receive, or a case of a select, with its index),
// until f returns true; it reports whether one did.
func (e *engine) waiting(s *state, gi int, f func(hi, cas int, in ssa.Instruction, dir types.ChanDir, ch value) bool) bool {
	for hi, h := range s.gs {
		if hi == gi || h.done || h.pend == nil {
			continue
		}
		hf := h.frames[len(h.frames)-1]
		switch in := h.pend.(type) {
		case *ssa.Send:
			if f(hi, -1, in, types.SendOnly, e.val(s, hf, in.Chan)) {
				return true
			}
		case *ssa.UnOp:
			if in.Op == token.ARROW && f(hi, -1, in, types.RecvOnly, e.val(s, hf, in.X)) {
				return true
			}
		case *ssa.Select:
			for i, st := range in.States {
				if f(hi, i, in, st.Dir, e.val(s, hf, st.Chan)) {
					return true
				}
			}
		}
	}
	return false
}

// speculate records that goroutine gi completed a receive of elem values
// from outside, while the other live goroutines that may still send or
// close a channel of elem values could have been the sender.
func (e *engine) speculate(s *state, gi int, elem types.Type) {
	var mask uint16
	for hi, h := range s.gs {
		if hi == gi || h.done {
			continue
		}
		for _, f := range h.frames {
			may := e.mayRelease(f.fn, elem, 0)
			for _, d := range f.defers {
				if fv, ok := d.fn.(funcV); ok && fv.fn != nil {
					may = may || e.mayRelease(fv.fn, elem, 0)
				}
			}
			if may {
				mask |= 1 << hi
				break
			}
		}
	}
	if mask != 0 {
		s.g(gi).spec |= mask
	}
}

// mayRelease reports whether fn, or what it calls or defers in the
// package, sends on or closes a channel of elem values.
func (e *engine) mayRelease(fn *ssa.Function, elem types.Type, depth int) bool {
	if fn == nil || depth > maxDepth {
		return false
	}
	k := types.TypeString(elem, nil)
	if r, ok := e.sends[fn][k]; ok {
		return r
	}
	if e.sends == nil {
		e.sends = map[*ssa.Function]map[string]bool{}
	}
	if e.sends[fn] == nil {
		e.sends[fn] = map[string]bool{}
	}
	e.sends[fn][k] = false // a recursive call finds nothing more
	isElem := func(ch ssa.Value) bool {
		c, ok := ch.Type().Underlying().(*types.Chan)
		return ok && types.Identical(c.Elem(), elem)
	}
	found := false
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			switch in := in.(type) {
			case *ssa.Send:
				found = found || isElem(in.Chan)
			case *ssa.Select:
				for _, st := range in.States {
					found = found || st.Dir == types.SendOnly && isElem(st.Chan)
				}
			case *ssa.MakeClosure:
				found = found || e.mayRelease(in.Fn.(*ssa.Function), elem, depth+1)
			case ssa.CallInstruction:
				if _, isGo := in.(*ssa.Go); isGo {
					continue // another goroutine's sends
				}
				c := in.Common()
				if b, ok := c.Value.(*ssa.Builtin); ok {
					found = found || b.Name() == "close" && len(c.Args) == 1 && isElem(c.Args[0])
				} else if callee := c.StaticCallee(); callee != nil && callee.Blocks != nil {
					found = found || e.mayRelease(callee, elem, depth+1)
				}
			}
			if found {
				e.sends[fn][k] = true
				return true
			}
		}
	}
	return false
}
