// Command lifecycle starts goroutines that block in different ways and prints
// the state the runtime reports for each.
package main

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	ch := make(chan int)

	mu.Lock()
	go func() { <-ch }()                    // blocked: waiting to receive
	go func() { mu.Lock(); mu.Unlock() }()  // blocked: waiting for the mutex
	go func() { time.Sleep(time.Minute) }() // blocked: asleep on a timer
	go func() {                             // runnable or running: busy
		for {
			runtime.Gosched()
		}
	}()
	time.Sleep(100 * time.Millisecond) // let them all start and block

	buf := make([]byte, 1<<16)
	buf = buf[:runtime.Stack(buf, true)]
	for _, line := range strings.Split(string(buf), "\n") {
		if strings.HasPrefix(line, "goroutine ") {
			fmt.Println(line) // e.g. "goroutine 7 [chan receive]:"
		}
	}
}
