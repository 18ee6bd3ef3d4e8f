// Package rlockrecursion defines an Analyzer that reports a read lock taken
// again by a goroutine that already holds it.
//
// # Analyzer rlockrecursion
//
// rlockrecursion: report an RLock of an RWMutex the goroutine already read-locks
//
// Two readers may hold a sync.RWMutex at once, so taking the read lock twice
// in one goroutine looks harmless. It is not: once a writer waits in Lock,
// new RLock calls wait for that writer, which waits for the first read lock
// to be released, which waits for the second RLock. The sync documentation
// forbids recursive read locking for this reason. It happens through calls:
//
//	// WRONG
//	func (t *Table) Lookup(a netip.Addr) Route {
//		t.mu.RLock()
//		defer t.mu.RUnlock()
//		...
//		return t.defaultRoute() // RLocks t.mu again
//	}
//
//	// RIGHT
//	func (t *Table) Lookup(a netip.Addr) Route {
//		t.mu.RLock()
//		defer t.mu.RUnlock()
//		...
//		return t.defaultRouteLocked() // expects t.mu held
//	}
//
// The check reports only when the RWMutex is write-locked somewhere in the
// package, since without a writer the second RLock cannot block. It follows
// the same calls as doublelock (methods, closures called in place, callbacks
// run by a function that holds the read lock) and is as strict about
// identity: the same mutex on every path, never two instances of a type.
package rlockrecursion
