// Package blockinglock defines an Analyzer that reports a goroutine blocking
// while it holds a lock that the goroutine it waits for needs first.
//
// # Analyzer blockinglock
//
// blockinglock: report a blocking operation under a lock its counterpart needs
//
// A goroutine that holds a mutex and waits (on a channel, a WaitGroup, an
// errgroup, a Cond) depends on another goroutine to wake it. If that
// goroutine has to take the same mutex before it can, neither proceeds:
//
//	// WRONG
//	func (c *Crawler) Wait() map[string]int {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		c.wg.Wait() // every fetch goroutine locks c.mu before Done
//		return maps.Clone(c.status)
//	}
//
//	// RIGHT
//	func (c *Crawler) Wait() map[string]int {
//		c.wg.Wait()
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		return maps.Clone(c.status)
//	}
//
// The check looks at each send, receive, range, blocking select,
// WaitGroup.Wait, errgroup.Group.Wait and Cond.Wait made with a lock held (in
// the function or by its callers in the package), finds the operations that
// can unblock it (the receivers of a send, the senders and closers of a
// receive, the goroutines a Wait waits for, the Signal and Broadcast calls of
// a Cond) and reports when every one of them takes the held lock first, in
// another goroutine. The lock must be the same instance: a package variable,
// a variable shared with a closure, or a field of the same struct as the
// channel or WaitGroup (s.mu and s.done).
//
// A Cond.Wait releases only the Cond's own lock (c.L); any other lock stays
// held while it waits.
//
// It stays silent for a select with a default case, a timer (time.After,
// a Timer or Ticker) or a ctx.Done() case; for sends on buffered channels
// (or channels whose capacity it cannot see); for Cond.Wait holding only its
// own c.L; and whenever a counterpart is outside what the package shows (a
// channel handed to other packages, an exported channel field): an unknown
// counterpart may not need the lock.
package blockinglock
