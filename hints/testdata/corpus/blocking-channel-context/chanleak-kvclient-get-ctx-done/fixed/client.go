package kvclient

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotFound is returned when a key does not exist.
var ErrNotFound = errors.New("kvclient: not found")

// Transport performs one blocking request against the server.
type Transport interface {
	RoundTrip(key string) ([]byte, error)
}

// Client talks to a key-value server.
type Client struct {
	transport Transport
}

// New returns a client using t.
func New(t Transport) *Client {
	return &Client{transport: t}
}

type response struct {
	value []byte
	err   error
}

// Get fetches key, giving up when ctx is done.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	ch := make(chan response, 1)
	go func() {
		v, err := c.transport.RoundTrip(key)
		ch <- response{v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, fmt.Errorf("get %q: %w", key, r.err)
		}
		if r.value == nil {
			return nil, ErrNotFound
		}
		return r.value, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
