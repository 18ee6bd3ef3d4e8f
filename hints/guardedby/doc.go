// Package guardedby defines an Analyzer that infers which lock guards each
// struct field and reports the accesses made without it.
//
// # Analyzer guardedby
//
// guardedby: report a field accessed without the lock that guards it elsewhere
//
// Code rarely says which mutex protects which field, but it shows it: a
// field written with s.mu held at most of its accesses is guarded by s.mu.
// An access that forgets the lock, in a method that runs while others hold
// it, is a data race: a reader sees a half-updated value, and two writers
// lose an update.
//
//	// WRONG
//	func (c *Cache) Get(k string) string {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		c.hits++
//		return c.items[k]
//	}
//
//	func (c *Cache) ResetStats() {
//		c.hits = 0 // c.mu guards c.hits everywhere else
//	}
//
//	// RIGHT
//	func (c *Cache) ResetStats() {
//		c.mu.Lock()
//		c.hits = 0
//		c.mu.Unlock()
//	}
//
// The guard of a field is the lock (of the same object, or a package-level
// lock) held at most of its accesses, written at least once under it:
// at least three accesses under the lock and three in four overall.
// Accesses made while the object is being built (in the function that made
// it, or a helper only ever given new objects), during package
// initialization, and in functions whose every caller in the package holds
// the lock do not count. A gVisor checklocks annotation on the field
// (// +checklocks:mu) declares the guard instead.
//
// The check reports an access without the guard when it can run at the
// same time as an access with it: the package's goroutines do not order
// them, or they are in methods that the package's callers may call from
// different goroutines (the lock says that they do). It leaves out
// functions named ...Locked or documented as called with the lock held,
// reads by the only goroutine that writes the field, tests, and lines
// marked //synclens:ignore guardedby. Marking the field's declaration with
// //synclens:ignore guardedby turns the check off for that field.
//
// The suggested fix writes the inferred guard on the field as an
// annotation, // +checklocks:mu, which gVisor's checklocks analyzer and this
// check then enforce. It does not take the lock, so the finding stays:
// synclens offers it as a refactoring, and check -fix leaves it alone.
package guardedby
