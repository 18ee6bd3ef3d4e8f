// Command condmissed is wrong: the waiter calls Wait without checking the
// condition first. The Broadcast came before it waited, and Wait does not
// remember it, so it blocks forever.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := false

	go func() {
		mu.Lock()
		ready = true
		mu.Unlock()
		cond.Broadcast()
	}()
	time.Sleep(10 * time.Millisecond) // the broadcast happens first

	mu.Lock()
	cond.Wait() // wrong: should be "for !ready { cond.Wait() }"
	fmt.Println("ready:", ready)
	mu.Unlock()
}
