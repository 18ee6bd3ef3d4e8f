// Package chanleak defines an Analyzer that reports channel operations that
// can block forever because their only counterpart can leave first.
//
// # Analyzer chanleak
//
// chanleak: report a send, receive or range that can block forever
//
// A send on an unbuffered channel waits for a receiver, and a receive waits
// for a sender or a close. When the only goroutine on the other side can
// stop first, the operation never completes and its goroutine leaks, with
// everything it references. The most common case is a result delivered on
// an unbuffered channel to a caller that can give up waiting:
//
//	// WRONG
//	func Fetch(ctx context.Context, url string) (Result, error) {
//		results := make(chan Result)
//		go func() {
//			results <- fetch(url) // blocks forever once Fetch has returned
//		}()
//		select {
//		case r := <-results:
//			return r, nil
//		case <-ctx.Done():
//			return Result{}, ctx.Err()
//		}
//	}
//
//	// RIGHT
//	func Fetch(ctx context.Context, url string) (Result, error) {
//		results := make(chan Result, 1) // the send never waits
//		...
//	}
//
// The check follows each channel made in the package from its make site
// through local variables, closures, goroutines (go statements,
// errgroup.Group.Go, sync.WaitGroup.Go) and calls of the package, and
// reports:
//
//   - a goroutine whose send is orphaned: the receiving function has a path
//     that returns without receiving (a select case on ctx.Done(), a timer
//     or default; an early error return), takes only the first of the values
//     several goroutines send, or stops receiving from a producer early (on
//     an error, or after cancelling the context it gave the producer, which
//     does not watch it);
//   - a receive (or range) that waits for a goroutine which can return
//     without sending (or closing), including one that gives up when its
//     context is cancelled;
//   - a range over a channel that nothing closes, once its senders are done;
//   - a send or receive that no other goroutine can complete: nothing is on
//     the other side, the other side is started only after it, or the only
//     receiver of a channel field is the sending goroutine itself;
//   - a send or receive that ignores a stop signal the function watches
//     elsewhere: a plain send on a channel field whose readers all stop on
//     the quit channel or ctx.Done() the sender checks in its loop, or a wait
//     on a channel field after checking ctx.Err() once.
//
// A channel made by test code and handed to the package's own code says
// nothing about that code: a test may break the contract (receive what you
// asked for) that real callers keep, so only the test's own operations are
// reported.
//
// It stays silent when the other end is unknown: a channel stored in a
// field, a package variable or a map, returned, sent over another channel,
// or passed to another package. It also stays silent when the capacity is
// not a constant, when the sender selects (on ctx.Done(), a done channel or
// default), when another goroutine or a deferred call drains the channel,
// and on goroutines blocked on channels that main made (they end with the
// program).
//
// The quick fix gives the channel a buffer large enough for the sends that
// can be orphaned: make(chan T, 1) for one goroutine that sends once,
// make(chan T, len(xs)) for one goroutine per element of xs. It is offered
// only when the send is the last thing each goroutine does, so that no
// sender relied on the receiver having taken its value.
package chanleak
