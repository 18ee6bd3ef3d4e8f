package main

import (
	"context"
	"fmt"
	"time"
)

func lookup(name string) string {
	time.Sleep(50 * time.Millisecond) // a slow backend
	return name + ".example"
}

// Wrong: when Resolve gives up on ctx.Done(), nothing receives from
// results, and the goroutine blocks forever on its send.
func Resolve(ctx context.Context, name string) (string, error) {
	results := make(chan string)
	go func() {
		results <- lookup(name)
	}()
	select {
	case addr := <-results:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println(Resolve(ctx, "db"))
}
