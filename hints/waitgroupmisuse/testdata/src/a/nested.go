package a

import "sync"

func work() {}

// NestedPairs: each outer goroutine, itself counted, counts each inner one
// before starting it and marks itself Done after: one Add per Done.
func NestedPairs(n int) {
	var wg sync.WaitGroup
	for j := 0; j < n; j++ {
		wg.Add(1)
		go func() {
			wg.Add(1)
			go func() { defer wg.Done(); work() }()
			wg.Add(1) // ok
			go func() { defer wg.Done(); work() }()
			wg.Done()
		}()
	}
	wg.Wait()
}

// NestedLate counts the second inner goroutine after the outer one is
// done: Wait can return before that Add.
func NestedLate(n int) {
	var wg sync.WaitGroup
	for j := 0; j < n; j++ {
		wg.Add(1)
		go func() {
			wg.Add(1)
			go func() { defer wg.Done(); work() }()
			wg.Done()
			wg.Add(1) // want `wg.Add runs in the goroutine started at line 30`
			go func() { defer wg.Done(); work() }()
		}()
	}
	wg.Wait()
}
