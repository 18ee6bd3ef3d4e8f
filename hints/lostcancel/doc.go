// Package lostcancel defines an Analyzer that reports context cancel
// functions that are kept but never called, and goroutines that ignore the
// cancellation of the context they are given.
//
// # Analyzer lostcancel
//
// lostcancel: report a cancel func that is never called, beyond vet
//
// context.WithCancel, WithTimeout and WithDeadline return a cancel func
// that must be called once the context is no longer needed; until then the
// context (with its timer, for WithTimeout and WithDeadline) and everything
// waiting on it stay alive. go vet's lostcancel check follows cancel funcs kept in local variables. This check
// follows the ones that leave the function:
//
//	// WRONG: s.cancel is never called
//	func NewSession(parent context.Context) *Session {
//		ctx, cancel := context.WithCancel(parent)
//		return &Session{ctx: ctx, cancel: cancel}
//	}
//
//	// RIGHT
//	func (s *Session) Close() error {
//		s.cancel()
//		return nil
//	}
//
// It reports a cancel func:
//
//   - stored in a struct field, a package variable or a map, when nothing
//     in the package ever loads it to call it (or hands it on);
//   - returned by a function of the package whose caller drops it
//     (ctx, _ := requestContext(...));
//   - overwritten by a method that restarts something (Restart, Reset,
//     Reconnect...) without calling the cancel func it replaces.
//
// It also reports a goroutine that is given a context (a parameter, or a
// variable it captures) but, while it blocks in a WaitGroup or Cond Wait or
// sleeps in a loop, neither watches ctx.Done() nor passes the context on: it
// keeps running after the context is cancelled. (A goroutine blocked on a
// channel in the same way is reported by chanleak.)
//
// It stays silent when the field or variable is exported, when the cancel
// func is passed to other code (t.Cleanup(cancel), a function value), when
// the function that returns it did not create the context (a getter of a
// cancel func stored earlier: its creator still owns it), and for what
// vet's lostcancel already reports.
package lostcancel
