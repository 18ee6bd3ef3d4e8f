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

// Wrong: on the timeout Fetch returns, writing its named results, while
// the goroutine may still assign them.
func Fetch(ctx context.Context, url string) (body string, err error) {
	done := make(chan struct{})
	go func() {
		body, err = get(url)
		close(done)
	}()
	select {
	case <-done:
		return body, err
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
