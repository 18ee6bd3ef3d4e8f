// Command selecttimeout waits on several channels with select: a result, a
// timeout, and a non-blocking attempt with default.
package main

import (
	"fmt"
	"time"
)

func slow(d time.Duration) <-chan string {
	out := make(chan string, 1) // buffered, so the sender never blocks
	go func() {
		time.Sleep(d)
		out <- fmt.Sprint("done after ", d)
	}()
	return out
}

func main() {
	select {
	case r := <-slow(10 * time.Millisecond):
		fmt.Println(r)
	case <-time.After(time.Second):
		fmt.Println("timeout")
	}

	select {
	case r := <-slow(time.Second):
		fmt.Println(r)
	case <-time.After(50 * time.Millisecond): // collected even if unused, since Go 1.23
		fmt.Println("timeout")
	}

	events := make(chan string, 1)
	select {
	case events <- "saved":
		fmt.Println("queued")
	default: // taken when no other case is ready
		fmt.Println("dropped: queue full")
	}
}
