// Package goroutineleak defines an Analyzer that reports goroutines running
// an endless loop with no way out.
//
// # Analyzer goroutineleak
//
// goroutineleak: report a goroutine whose loop can never end
//
// A goroutine lives until its function returns. A loop with no return, no
// break out of it, no ctx.Done() case, no receive that notices a closed
// channel and no stop signal runs until the program exits, holding
// everything it references. Started once by main that is a daemon; started
// by a constructor, a method or a request handler it is a leak, one (or
// several) per call:
//
//	// WRONG
//	func NewCache() *Cache {
//		c := &Cache{items: map[string]entry{}}
//		go func() {
//			for range time.Tick(time.Minute) { // never stops
//				c.evictExpired()
//			}
//		}()
//		return c
//	}
//
//	// RIGHT
//	func NewCache() *Cache {
//		c := &Cache{items: map[string]entry{}, quit: make(chan struct{})}
//		go func() {
//			t := time.NewTicker(time.Minute)
//			defer t.Stop()
//			for {
//				select {
//				case <-t.C:
//					c.evictExpired()
//				case <-c.quit: // closed by Close
//					return
//				}
//			}
//		}()
//		return c
//	}
//
// The check looks at the function each go statement (or errgroup.Group.Go,
// sync.WaitGroup.Go) runs, and at the functions it calls in the package: if
// no path returns and a loop keeps it running, the goroutine never ends. The
// message says what the loop waits on and what would stop it.
//
// It stays silent for goroutines started by main or init (or functions only
// they call), inside sync.Once, by test functions (a spinner that lives
// for the rest of the test binary is usually on purpose), for targets it
// cannot see (a function value, another package's function), and for loops
// left by runtime.Goexit.
package goroutineleak
