// Package waitgroupmisuse defines an Analyzer that reports misuses of
// sync.WaitGroup that make Wait return too early or never.
//
// # Analyzer waitgroupmisuse
//
// waitgroupmisuse: report WaitGroup counts that do not match the goroutines
//
// A WaitGroup works only if its counter goes up before each goroutine
// starts and down exactly once when it ends. The check reports:
//
//   - Add inside the goroutine (or a function it calls, or a time.AfterFunc
//     callback) rather than before starting it: Wait may see a zero counter
//     and return while the goroutine is still working. (vet's waitgroup
//     check already reports an Add that is the first statement of a go func
//     literal; this one reports the others.)
//
//   - a goroutine that can return without calling Done: Wait blocks forever;
//
//   - Add(n) with n different from the number of goroutines started after it
//     (a constant, or len(xs) before a loop over xs that can skip its go
//     statement): Wait blocks forever, or returns early and a late Done
//     panics. A goroutine that is itself counted and counts its own
//     children (wg.Add(1) before each inner go, then wg.Done() for itself)
//     is fine: its Done answers the Add of whoever started it, and it is
//     reported only when it adds after that Done;
//
//   - Wait inside the loop that starts the goroutines, when a goroutine
//     cannot finish until code after the loop runs (it sends its result on
//     an unbuffered channel received after the loop): the first Wait never
//     returns. (A Wait per iteration that only makes the goroutines run one
//     at a time is often deliberate, in benchmarks and tests, and is left
//     alone.)
//
//     // WRONG
//     for _, p := range peers {
//     wg.Add(1)
//     go func() {
//     conn, err := dial(p)
//     if err != nil {
//     return // wg.Done never runs
//     }
//     replicate(conn)
//     wg.Done()
//     }()
//     }
//     wg.Wait()
//
//     // RIGHT
//     for _, p := range peers {
//     wg.Go(func() { // or wg.Add(1) and defer wg.Done()
//     ...
//     })
//     }
//     wg.Wait()
//
// Copies of a WaitGroup (a parameter or receiver by value) are left to vet's
// copylocks check, which reports them.
//
// Quick fixes: move an Add out of the goroutine to just before the go
// statement (or, when it comes after the goroutine's own Done, to just
// before that Done), and replace the Done calls of a goroutine that can skip them
// with one defer wg.Done() at its top.
package waitgroupmisuse
