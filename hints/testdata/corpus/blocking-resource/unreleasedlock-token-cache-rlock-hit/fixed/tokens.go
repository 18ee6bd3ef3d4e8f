package auth

import (
	"context"
	"sync"
	"time"
)

// TokenSource mints access tokens.
type TokenSource interface {
	Token(ctx context.Context, audience string) (string, time.Time, error)
}

type cached struct {
	token   string
	expires time.Time
}

// CachingSource reuses tokens until shortly before they expire.
type CachingSource struct {
	src TokenSource

	mu     sync.RWMutex
	tokens map[string]cached
}

// NewCachingSource wraps src.
func NewCachingSource(src TokenSource) *CachingSource {
	return &CachingSource{src: src, tokens: make(map[string]cached)}
}

// Token returns a valid token for audience.
func (c *CachingSource) Token(ctx context.Context, audience string) (string, error) {
	c.mu.RLock()
	t, ok := c.tokens[audience]
	c.mu.RUnlock()
	if ok && time.Until(t.expires) > time.Minute {
		return t.token, nil
	}

	tok, exp, err := c.src.Token(ctx, audience)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.tokens[audience] = cached{token: tok, expires: exp}
	c.mu.Unlock()
	return tok, nil
}
