// Package loopcapture defines an Analyzer that reports loop variables
// captured by goroutines or deferred functions in files compiled with Go
// versions before 1.22.
//
// # Analyzer loopcapture
//
// loopcapture: report a loop variable shared by every iteration and used by a goroutine
//
// Before Go 1.22 a for loop declares its variables once: every iteration
// assigns the same variable. A function literal that captures it and runs
// after the iteration (a goroutine, a deferred call) sees a later value,
// usually the last one, and a goroutine reads it while the loop writes it:
// a data race. Since Go 1.22 each iteration has its own variables, but only
// in files whose Go version (the go line of go.mod, or a //go:build
// go1.N constraint) is 1.22 or later.
//
//	// WRONG (in a file built with go1.21)
//	for _, job := range jobs {
//		start(func() { run(job) }) // start runs its argument in a goroutine
//	}
//
//	// RIGHT
//	for _, job := range jobs {
//		job := job
//		start(func() { run(job) })
//	}
//
// go vet's loopclosure already reports the function literal of a go or
// defer statement, or of errgroup.Group.Go, that is the last statement of
// the loop body; this check reports what it leaves: a goroutine started
// earlier in the body, by a helper of the package that starts its function
// argument, by sync.WaitGroup.Go or time.AfterFunc, from a nested function
// literal, or through a variable holding the literal.
//
// It stays silent in files built with Go 1.22 or later, when the body
// declares its own copy (x := x), when the iteration waits for the
// goroutine (a Wait or a receive after it), and when the loop ends right
// after starting it (break, return).
//
// The quick fix declares a copy of the variable at the top of the loop
// body (x := x), when the body does not assign the variable.
package loopcapture
