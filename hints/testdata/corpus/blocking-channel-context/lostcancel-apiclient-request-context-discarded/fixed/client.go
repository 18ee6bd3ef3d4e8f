package apiclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Client calls a JSON API with a per-request timeout.
type Client struct {
	base    string
	hc      *http.Client
	timeout time.Duration
}

// New returns a client for the API at base.
func New(base string, timeout time.Duration) *Client {
	return &Client{base: base, hc: http.DefaultClient, timeout: timeout}
}

// requestContext derives the context for a single API call.
func (c *Client) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// Get fetches path and returns the response body.
func (c *Client) Get(ctx context.Context, path string) ([]byte, error) {
	ctx, cancel := c.requestContext(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return io.ReadAll(resp.Body)
}
