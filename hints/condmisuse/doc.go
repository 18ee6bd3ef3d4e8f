// Package condmisuse defines an Analyzer that reports misuses of sync.Cond
// that lose wakeups, wake the wrong number of waiters, or crash.
//
// # Analyzer condmisuse
//
// condmisuse: report a Cond.Wait that can sleep forever or wake too early
//
// A sync.Cond is used in one way only: with c.L held, test the condition in
// a loop and Wait while it is false; whoever makes it true does so with
// c.L held and then calls Signal or Broadcast:
//
//	// WRONG
//	q.mu.Lock()
//	if len(q.items) == 0 {
//		q.cond.Wait() // another Get may take the item first
//	}
//	item := q.items[0] // may panic: the queue can be empty again
//
//	// RIGHT
//	q.mu.Lock()
//	for len(q.items) == 0 {
//		q.cond.Wait()
//	}
//	item := q.items[0]
//
// The check reports a Wait that:
//
//   - is in an if rather than a for loop, so the condition is not tested
//     again after waking (Broadcast wakes every waiter; another goroutine
//     may get there first);
//   - runs without holding c.L (Wait unlocks it: "unlock of unlocked
//     mutex"), or with only the read lock of the RWMutex that is c.L;
//   - can never be woken: nothing in the package calls Signal or Broadcast
//     on that Cond, or a function that makes the waited-for condition true
//     (sets the flag, appends to the slice the loop tests) does not Signal
//     or Broadcast after doing so.
//
// c.L is known from sync.NewCond(&mu). The check
// stays silent when the Cond or its lock is reachable from other packages
// (an exported field or variable), or when the function may be called with
// the lock held by code it cannot see. A Wait with no condition at all is
// a handshake, correct when the waiter holds c.L from before the signalling
// goroutine starts (that goroutine cannot signal before the Wait); it is
// reported only when a signalling goroutine was started before the waiter
// took the lock, so the signal can come first and be lost. A function that
// makes the condition true and then calls code the check cannot see is left
// alone too (closing a connection may end a loop that broadcasts).
//
// The quick fix turns "if cond { c.Wait() }" into "for cond { c.Wait() }"
// when the condition reads shared state (a field, a call) and the if has no
// else and no init statement.
package condmisuse
