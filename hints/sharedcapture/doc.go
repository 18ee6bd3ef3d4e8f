// Package sharedcapture defines an Analyzer that reports local variables
// shared by a goroutine's closure and other code with nothing ordering
// their accesses.
//
// # Analyzer sharedcapture
//
// sharedcapture: report a captured variable written by a goroutine and used concurrently
//
// A function literal shares the variables it uses with the function that
// makes it. When the literal runs as a goroutine, every access of such a
// variable after the go statement races with the goroutine's accesses
// unless something orders them: a WaitGroup.Wait or errgroup.Wait, a
// receive of a value the goroutine sends, or a lock held on both sides.
// The race detector reports these races only when a test happens to run
// both sides at once; the program may print a half-written value, lose an
// error, or crash.
//
//	// WRONG
//	func Fetch(ctx context.Context, url string) (body []byte, err error) {
//		done := make(chan struct{})
//		go func() {
//			body, err = get(url) // may run after Fetch returned on the timeout
//			close(done)
//		}()
//		select {
//		case <-done:
//			return body, err
//		case <-ctx.Done():
//			return nil, ctx.Err() // writes body and err too
//		}
//	}
//
//	// RIGHT
//	func Fetch(ctx context.Context, url string) ([]byte, error) {
//		type result struct {
//			body []byte
//			err  error
//		}
//		done := make(chan result, 1)
//		go func() {
//			body, err := get(url)
//			done <- result{body, err}
//		}()
//		select {
//		case r := <-done:
//			return r.body, r.err
//		case <-ctx.Done():
//			return nil, ctx.Err()
//		}
//	}
//
// The check reports a variable (an error, a named result, a counter, a
// flag, a slice) when a write and another access of it may run at the same
// time: the goroutine and the code after the go statement, two goroutines,
// or two instances of a goroutine started in a loop. It follows goroutines
// started with go, errgroup.Group.Go, sync.WaitGroup.Go, time.AfterFunc
// and helpers of the package that start their function argument, and
// closures that escape (a returned stop function).
//
// It stays silent when the accesses are ordered: written before the go
// statement, read after a Wait, after receiving from a channel the
// goroutine sends on or closes, after a sync.Once.Do, or with a lock held
// on both sides; when each goroutine has its own copy (per-iteration loop
// variables since Go 1.22); when the closure is passed to a function of
// another package, which is assumed to call it before returning (sort.Slice);
// and for atomic accesses. Appends to a shared slice are reported by
// concurrentmap, and loop variables of files older than Go 1.22 by
// loopcapture.
package sharedcapture
