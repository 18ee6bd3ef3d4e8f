// Package unreleasedlock defines an Analyzer that reports a mutex locked in
// a function but not unlocked on every path out of it.
//
// # Analyzer unreleasedlock
//
// unreleasedlock: report a Lock or RLock not released on every path
//
// A sync.Mutex or sync.RWMutex locked in a function must be unlocked on every
// path that leaves it, or the next Lock blocks forever. The usual culprit is
// an early return added to a locked region:
//
//	// WRONG
//	func (c *Cache) Get(k string) (V, error) {
//		c.mu.Lock()
//		v, ok := c.items[k]
//		if !ok {
//			return V{}, errMissing // c.mu stays locked
//		}
//		c.mu.Unlock()
//		return v, nil
//	}
//
//	// RIGHT
//	func (c *Cache) Get(k string) (V, error) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		...
//	}
//
// The check follows the lock through the function's control flow, including
// loops (a continue that skips the Unlock), deferred unlocks, unlocks made by
// helper functions of the same package, and branches on the same condition
// ("if c { mu.Lock() } ... if c { mu.Unlock() }"). Paths that end the program
// or the goroutine (panic, os.Exit, log.Fatal, t.Fatal) are ignored.
//
// It stays silent when a function returns with the lock held on every path
// (a helper whose caller unlocks), when a function named for locking or
// documented to leave the lock to its caller returns with it held, when the
// lock is held on the paths that report success and released on those that
// report failure (lockIfOpen() error), and when a closure made in the function
// (a goroutine, a returned unlock func) releases it.
//
// The quick fix inserts "defer mu.Unlock()" after the Lock when that keeps
// the function's behaviour: the Lock is not in a loop, and every other Unlock
// of the lock directly precedes a return, whose Unlock the fix removes.
package unreleasedlock
