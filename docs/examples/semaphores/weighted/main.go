// Command weighted bounds the memory used by concurrent jobs with
// golang.org/x/sync/semaphore: each job acquires a weight equal to its size.
package main

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/semaphore"
)

func main() {
	const budget = 100 // MiB that jobs may use at once
	sem := semaphore.NewWeighted(budget)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	sizes := []int64{60, 30, 50, 10, 80}
	for _, size := range sizes {
		// Acquire blocks until size units are free, or ctx is done.
		if err := sem.Acquire(ctx, size); err != nil {
			fmt.Println("gave up:", err)
			break
		}
		go func() {
			defer sem.Release(size)
			time.Sleep(10 * time.Millisecond) // the job
		}()
	}

	// Acquiring the whole budget waits until every job has released.
	if err := sem.Acquire(ctx, budget); err != nil {
		fmt.Println("gave up:", err)
		return
	}
	fmt.Println("all jobs done")
}
