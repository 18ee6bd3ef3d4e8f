// Package datarace defines an Analyzer that reports data races on struct
// fields, slice elements, map contents and package variables between
// goroutines that nothing orders, found by exploring how the goroutines
// interleave.
//
// # Analyzer datarace
//
// datarace: report two accesses of a field or element, one a write, that goroutines make with nothing ordering them
//
// A field written by one goroutine and read or written by another is a
// data race unless something orders the two accesses: a go statement (what
// comes before it happens before the goroutine starts), a send and the
// receive that takes the value, a close and a receive that sees it, an
// Unlock and the next Lock, Done and the Wait it releases, Once.Do, an
// atomic store and the load that sees it, a cancel and the receive from
// ctx.Done(). Without one, a reader sees a value from before or after the
// write, counters lose increments, and the race detector reports it only
// on the runs where both sides happen to meet.
//
//	// WRONG
//	func (l *Loop) Start() {
//		go l.run()       // run reads l.stopped in its loop
//		l.stopped = false // written after the goroutine may have started
//	}
//
//	// RIGHT
//	func (l *Loop) Start() {
//		l.stopped = false // before the go statement: run sees it
//		go l.run()
//	}
//
// For each function that starts goroutines, the check explores one call of
// it with the goroutines it starts (and those they start, several
// instances where a loop starts them), following calls of the package,
// interface calls and function values it can resolve and the standard
// library's synchronisation. Goroutines that libraries start count too:
// two requests at once of an HTTP handler the function registers or
// serves, the function context.AfterFunc or time.AfterFunc runs, and
// parallel subtests (after t.Parallel, which run once their parent test
// has returned). A constructor that returns an object its goroutines keep
// using is explored again followed by each exported method of the object:
// the calls its callers make while the goroutines run. Every access is
// compared with the earlier accesses of other goroutines to the same field
// of the same object, by happens-before through the synchronisation above:
// accesses of different objects (a fresh request per call, a different
// element per goroutine) never pair.
//
// It leaves to other checks what they explain better: variables captured
// by a function literal (sharedcapture), fields the model infers a lock
// guard for (guardedby), and the maps and appends whose races the model's
// own analysis finds (concurrentmap). It reports nothing about code it
// cannot follow: calls into other packages (except the synchronisation and
// the goroutine starts above), and paths beyond its exploration budget.
//
// Two quick fixes, offered only when the result builds and cannot
// deadlock. A counter that the package only increments, decrements, adds
// constants to and reads (an unexported field whose struct is never
// copied, or a package variable) becomes a typed atomic of sync/atomic,
// every use rewritten: x.n++ is x.n.Add(1), a read x.n.Load(). Otherwise,
// when the field's struct has exactly one unexported mutex and both
// accesses are simple statements (an assignment or x++ calling nothing),
// nothing holds a lock there, their functions take none of that mutex and
// no critical section of it waits on a channel or a WaitGroup, both are
// put between mu.Lock() and mu.Unlock().
package datarace
