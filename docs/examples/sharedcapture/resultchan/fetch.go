package main

import (
	"context"
	"fmt"
	"time"
)

func get(url string) (string, error) {
	time.Sleep(50 * time.Millisecond)
	return "body of " + url, nil
}

type result struct {
	body string
	err  error
}

// Right: the goroutine owns its results and sends them; the buffered
// channel lets it finish even when nobody waits any more.
func Fetch(ctx context.Context, url string) (string, error) {
	done := make(chan result, 1)
	go func() {
		body, err := get(url)
		done <- result{body, err}
	}()
	select {
	case r := <-done:
		return r.body, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println(Fetch(ctx, "https://example.com"))
	time.Sleep(100 * time.Millisecond)
}
