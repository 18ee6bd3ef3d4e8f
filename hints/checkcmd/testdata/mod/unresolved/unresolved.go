package unresolved

import (
	"sync"

	"example.com/doesnotexist/pkg"
)

var mu sync.Mutex

// Use calls into a package that cannot be resolved: go/types records no
// type for the call at all.
func Use() {
	pkg.F()
}

// Limit's initializer cannot be typed either, so neither can Capped.
var Limit = pkg.Max

func Capped(n int) bool { return n < Limit }

func Put(ok bool) {
	mu.Lock()
	if !ok {
		return
	}
	mu.Unlock()
}
