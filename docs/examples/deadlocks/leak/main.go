// Command leak is wrong: first returns the fastest reply, and the slower
// goroutines block forever on their sends, since nobody receives any more.
package main

import (
	"fmt"
	"runtime"
	"time"
)

func first(replicas []time.Duration) time.Duration {
	replies := make(chan time.Duration) // unbuffered
	for _, d := range replicas {
		go func() {
			time.Sleep(d)
			replies <- d // blocks forever for all but the first
		}()
	}
	return <-replies
}

func main() {
	fmt.Println("fastest:", first([]time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}))
	time.Sleep(50 * time.Millisecond)
	fmt.Println("goroutines:", runtime.NumGoroutine()) // 3: two leaked
}
