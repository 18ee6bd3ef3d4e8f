// Command leakfixed gives the reply channel room for every reply, so each
// sender can finish even when nobody receives its reply.
package main

import (
	"fmt"
	"runtime"
	"time"
)

func first(replicas []time.Duration) time.Duration {
	replies := make(chan time.Duration, len(replicas)) // a slot for each sender
	for _, d := range replicas {
		go func() {
			time.Sleep(d)
			replies <- d // never blocks
		}()
	}
	return <-replies
}

func main() {
	fmt.Println("fastest:", first([]time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}))
	time.Sleep(50 * time.Millisecond)
	fmt.Println("goroutines:", runtime.NumGoroutine()) // 1
}
