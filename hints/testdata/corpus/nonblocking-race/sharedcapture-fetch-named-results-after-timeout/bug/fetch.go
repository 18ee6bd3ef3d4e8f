package fetch

import (
	"errors"
	"time"
)

// ErrTimeout is returned when a document takes too long to download.
var ErrTimeout = errors.New("fetch: timed out")

// Fetcher downloads documents with a hard deadline.
type Fetcher struct {
	get     func(url string) ([]byte, error)
	timeout time.Duration
}

// New returns a fetcher using get.
func New(get func(string) ([]byte, error), timeout time.Duration) *Fetcher {
	return &Fetcher{get: get, timeout: timeout}
}

// Fetch returns the document at url, or ErrTimeout when the download
// does not finish in time.
func (f *Fetcher) Fetch(url string) (body []byte, err error) {
	done := make(chan struct{})
	go func() {
		body, err = f.get(url)
		close(done)
	}()
	select {
	case <-done:
		return body, err
	case <-time.After(f.timeout):
		return nil, ErrTimeout
	}
}
