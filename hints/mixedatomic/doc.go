// Package mixedatomic defines an Analyzer that reports variables accessed
// with sync/atomic functions in some places and plainly in others.
//
// # Analyzer mixedatomic
//
// mixedatomic: report a variable accessed both atomically and plainly
//
// Using sync/atomic on a variable says that goroutines share it without a
// lock. Every access then has to be atomic: a plain read can see a torn or
// stale value (on 32-bit platforms a 64-bit value is read in two halves)
// and a plain write races with the atomic operations, which the race
// detector reports.
//
//	// WRONG
//	type Stats struct{ requests int64 }
//
//	func (s *Stats) Inc()         { atomic.AddInt64(&s.requests, 1) }
//	func (s *Stats) Count() int64 { return s.requests } // plain read
//
//	// RIGHT
//	type Stats struct{ requests atomic.Int64 }
//
//	func (s *Stats) Inc()         { s.requests.Add(1) }
//	func (s *Stats) Count() int64 { return s.requests.Load() }
//
// The check reports a plain read of a variable that is written atomically
// elsewhere, and a plain write of a variable that is accessed atomically
// elsewhere, when the two can run at the same time: the goroutines seen in
// the package do not order them, or, for fields and package variables, the
// plain access is in a function the package's callers may run while the
// atomic one runs.
//
// It stays silent for accesses before the object is published (a
// constructor filling in the value it made, package initialization), for
// plain reads made with a lock held that every atomic write holds too, for
// plain reads by the only function that writes the variable, for accesses
// the goroutines order (a read after wg.Wait), and for the typed atomics
// (atomic.Int64 and friends), which cannot be accessed plainly.
//
// The quick fix changes the variable to the matching typed atomic
// (atomic.Int32, atomic.Int64, atomic.Uint32, atomic.Uint64, atomic.Uintptr)
// and rewrites every access in the package: atomic.AddInt64(&s.n, 1)
// becomes s.n.Add(1), a plain read s.n.Load(), an assignment s.n.Store(v).
// It is offered only when every access can be rewritten that way and the
// variable is not visible outside the package.
package mixedatomic
