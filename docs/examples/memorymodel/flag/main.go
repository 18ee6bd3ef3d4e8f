// Command flag is wrong: it publishes data with a plain bool. Nothing orders
// the writes, so main may never see ready become true, or may see it before
// msg is set.
package main

import "fmt"

var (
	msg   string
	ready bool
)

func setup() {
	msg = "hello"
	ready = true
}

func main() {
	go setup()
	for !ready { // data race; the compiler may read ready only once
	}
	fmt.Println(msg) // may print ""
}
