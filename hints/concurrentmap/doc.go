// Package concurrentmap defines an Analyzer that reports plain maps and
// slices that goroutines update concurrently.
//
// # Analyzer concurrentmap
//
// concurrentmap: report a map written (or a slice appended to) by goroutines without a common lock
//
// Go's built-in maps are not safe for concurrent use: a write that runs at
// the same time as another write or a read makes the runtime abort the
// program with "fatal error: concurrent map writes" (or "concurrent map
// read and map write"). An append to a shared slice loses elements and
// races on the slice header.
//
//	// WRONG
//	func Crawl(urls []string) map[string]int {
//		sizes := make(map[string]int)
//		var wg sync.WaitGroup
//		for _, u := range urls {
//			wg.Go(func() {
//				sizes[u] = fetch(u) // every goroutine writes the map
//			})
//		}
//		wg.Wait()
//		return sizes
//	}
//
//	// RIGHT
//	func Crawl(urls []string) map[string]int {
//		sizes := make(map[string]int)
//		var mu sync.Mutex
//		var wg sync.WaitGroup
//		for _, u := range urls {
//			wg.Go(func() {
//				n := fetch(u)
//				mu.Lock()
//				sizes[u] = n
//				mu.Unlock()
//			})
//		}
//		wg.Wait()
//		return sizes
//	}
//
// The check reports a map whose contents are written (m[k] = v, delete,
// clear) in one goroutine and written or read in another, and a slice
// appended to in one goroutine and used in another, when no lock is held
// on both sides and nothing orders the two: several instances of a
// goroutine started in a loop, a goroutine and the code after its go
// statement, two goroutines, or a goroutine that keeps running after the
// function starting it returns and an exported method of the package.
//
// It stays silent for sync.Map, for maps filled before the goroutines start
// and only read by them, for maps read after a Wait or a receive from the
// goroutines, for maps each goroutine makes itself, for writes to distinct
// slice elements (results[i] = v), and when a lock is held at both
// accesses.
package concurrentmap
