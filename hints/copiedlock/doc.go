// Package copiedlock defines an Analyzer that offers to pass a lock by
// pointer where go vet's copylocks reports a receiver or parameter that
// copies it.
//
// # Analyzer copiedlock
//
// copiedlock: offer a pointer receiver or parameter where a lock is passed by value
//
// A method with a value receiver, or a function with a value parameter,
// copies its argument, locks included: the method locks its own copy of
// the mutex, which excludes nobody, and the WaitGroup a function waits on
// is not the one the caller's goroutines mark done. go vet (copylocks)
// reports these; this check adds the quick fix and shows no warning of its
// own, since editors already show vet's.
//
//	// WRONG (vet: "Add passes lock by value: Counter contains sync.Mutex")
//	func (c Counter) Add() {
//		c.mu.Lock()
//		c.n++ // increments a copy
//		c.mu.Unlock()
//	}
//
//	// RIGHT
//	func (c *Counter) Add() {
//		c.mu.Lock()
//		c.n++
//		c.mu.Unlock()
//	}
//
// The fix changes the receiver to a pointer when every call of the method
// in the package is on an addressable value and no value of the type is
// used as an interface the method belongs to; it changes a parameter of an
// unexported function to a pointer, rewriting the function's uses of the
// parameter and its calls in the package (f(x) becomes f(&x)), when all of
// them can be rewritten.
package copiedlock
