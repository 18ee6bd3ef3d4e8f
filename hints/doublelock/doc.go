// Package doublelock defines an Analyzer that reports a goroutine locking a
// mutex it already holds.
//
// # Analyzer doublelock
//
// doublelock: report a Lock of a mutex the goroutine already holds
//
// sync.Mutex and sync.RWMutex are not reentrant: a goroutine that locks a
// mutex it holds waits for itself forever. It rarely happens within one
// function; it happens through calls, when a method that holds the lock
// calls another method that takes it:
//
//	// WRONG
//	func (a *Account) Deposit(n int) {
//		a.mu.Lock()
//		defer a.mu.Unlock()
//		a.balance = a.Balance() + n // Balance locks a.mu again
//	}
//
//	// RIGHT
//	func (a *Account) Deposit(n int) {
//		a.mu.Lock()
//		defer a.mu.Unlock()
//		a.balance = a.balanceLocked() + n // expects a.mu held
//	}
//
// The same holds for an RWMutex taken for writing while its read lock is
// held (a read lock cannot be upgraded) and for a read lock taken while the
// write lock is held. Two read locks are the rlockrecursion check's.
//
// The check follows the lock through the calls of the package: methods and
// functions called directly, closures called in place, lock helpers that
// return with the lock held, and callbacks passed to a function that calls
// them with a lock held (withLock(&s.mu, func() { ... })). The warning is on
// the Lock that blocks, with the first Lock and each call of the chain as
// related locations. An unlock through a function value counts: a closure
// that a helper returns (unlock := unlockOnce(&s.mu), a sync.Once around
// mu.Unlock) releases the lock it was made for when it is called.
//
// It reports only when the two locks are certainly the same mutex: the same
// variable or field reached from the same parameter, package variable or
// local value, held on every path to the second Lock. It stays silent for
// different instances of a type (a.mu and b.mu), elements of slices and maps,
// locks released before the call, locks taken in a new goroutine (which
// starts with none held), TryLock, sync.Locker values whose dynamic type
// is unknown, and locks whose Unlock method value is handed to other code
// (go start(mu.Unlock), a NotifyStarted: mu.Unlock field): the second Lock
// then waits for whoever calls it.
package doublelock
