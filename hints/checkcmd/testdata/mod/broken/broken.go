package broken

import "sync"

var mu sync.Mutex

// Get does not type-check, but Put can still be analysed.
func Get() int {
	return undefinedThing
}

func Put(ok bool) {
	mu.Lock()
	if !ok {
		return
	}
	mu.Unlock()
}
