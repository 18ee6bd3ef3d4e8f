// Command timeout bounds a call with context.WithTimeout and reports why it
// stopped with context.Cause.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var errSlow = errors.New("backend too slow")

func query(ctx context.Context) (string, error) {
	select {
	case <-time.After(200 * time.Millisecond): // the slow work
		return "rows", nil
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

func main() {
	ctx, cancel := context.WithTimeoutCause(context.Background(), 50*time.Millisecond, errSlow)
	defer cancel() // always release the context's resources

	_, err := query(ctx)
	fmt.Println(err)                                            // backend too slow
	fmt.Println(errors.Is(ctx.Err(), context.DeadlineExceeded)) // true
}
