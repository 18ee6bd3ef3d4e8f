// Package ctxwrap wraps the context constructors, as
// golang.org/x/net/context does.
package ctxwrap

import (
	"context"
	"time"
)

func WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d)
}
