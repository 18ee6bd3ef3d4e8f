package unfinished

import (
	"sync"

	"nosuchpkg/shapes"
)

var mu sync.Mutex

func Put(ok bool) {
	mu.Lock()
	if !ok {
		return
	}
	mu.Unlock()
}

// Area uses a package that does not exist: its types are invalid.
func Area() int {
	s := shapes.Square{Side: 2}
	return s.Side * s.Side
}

// Open is being typed: the file ends inside it.
func Open() {
	mu.Lock()
