// Command publish hands data to another goroutine correctly: closing the
// channel happens before the receive that sees it closed, and so do the
// writes made before the close.
package main

import (
	"fmt"
	"sync/atomic"
)

var msg string

func main() {
	ready := make(chan struct{})
	go func() {
		msg = "hello"
		close(ready)
	}()
	<-ready
	fmt.Println(msg) // always "hello"

	// The same with an atomic flag: a Load that observes the Store also
	// observes every write made before the Store.
	var done atomic.Bool
	var result int
	go func() {
		result = 42
		done.Store(true)
	}()
	for !done.Load() {
	}
	fmt.Println(result) // always 42
}
