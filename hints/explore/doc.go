// Package explore is synclens's interleaving engine: a bounded exploration
// of the ways the goroutines of a package can interleave, over the program
// model (hints/model).
//
// # What it runs
//
// A scenario is a function that drives goroutines: a test, main, or any
// function of the package that starts a goroutine. The engine interprets
// the function's SSA on abstract values, following calls into the
// package's functions (static and resolved dynamic calls) and starting a
// goroutine at every go statement, errgroup.Go, WaitGroup.Go,
// time.AfterFunc or context.AfterFunc it reaches, two at every HTTP
// handler it registers or serves (two requests at once), and one for the
// rest of each subtest that calls t.Parallel, once its parent test has
// returned. A continued scenario (Explorer.Continued) then calls a method
// on what its root returned, while the root's goroutines still run: a
// constructor's caller using the object. Objects made during the scenario (channels,
// structs holding mutexes, WaitGroups and Conds, maps and slices of them)
// are tracked by identity, so a channel kept in a field of a per-call
// request object, or in a map, is the same channel wherever the code
// reaches it. What comes from outside the scenario (parameters, results of
// functions without a body here, package variables) is unknown: a symbol,
// with constraints learnt from the branches that test it, so that two
// branches on the same value, or two loops bounded by the same length, go
// the same way.
//
// # How it interleaves
//
// Goroutines switch only at operations that can block: channel sends,
// receives and selects, Lock and RLock, WaitGroup.Wait, Cond.Wait and
// Once.Do. Everything between two such operations runs at once (Unlock,
// Done, Signal and close included): a reduction that keeps every deadlock
// reachable while cutting the interleavings to the ones that matter.
// States already seen are not explored again. Loops are unrolled a bounded
// number of times (exactly, when their bound is a small constant); a path
// that goes beyond the bound, or a scenario that goes beyond its budget of
// steps, is dropped, never reported.
//
// # What it finds
//
// A state in which no goroutine can move while some goroutine waits on an
// object the scenario owns (one that nothing outside the scenario can reach)
// is a deadlock or a leak: nothing will ever wake that goroutine. The
// engine reports the blocked operation with the interleaving that leads
// there (Finding.Steps). Operations on unknown or escaped objects, on
// timers and on contexts it did not make never count as blocked forever:
// code outside the scenario may wake them.
//
// Its race client (race.go) reports two accesses of one cell, one a write,
// that nothing orders. A channel the scenario did not make still passes
// clocks between its goroutines (extchan.go): a receive meets a sender of
// the scenario waiting on it, and no access is paired across a receive
// that a goroutine still on its way to a send of that type may serve.
package explore
