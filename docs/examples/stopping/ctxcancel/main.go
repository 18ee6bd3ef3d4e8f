// Command ctxcancel stops a worker by canceling its context.
package main

import (
	"context"
	"fmt"
	"time"
)

func worker(ctx context.Context, ticks chan<- int) error {
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err() // context.Canceled or context.DeadlineExceeded
		case ticks <- i:
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan int)
	done := make(chan error)
	go func() { done <- worker(ctx, ticks) }()

	for range 3 {
		fmt.Println("tick", <-ticks)
	}
	cancel()            // ask the worker to stop...
	fmt.Println(<-done) // ...and wait until it has: "context canceled"
}
