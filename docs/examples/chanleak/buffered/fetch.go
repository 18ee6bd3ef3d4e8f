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

// Right: the buffer holds the one result, so the send never blocks, even
// after Resolve has returned.
func Resolve(ctx context.Context, name string) (string, error) {
	results := make(chan string, 1)
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
