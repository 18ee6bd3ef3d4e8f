package replicate

import (
	"context"
	"io"
	"sync"
)

// Conn is a connection to a peer.
type Conn interface {
	io.Closer
	Send(blob []byte) error
}

// Replicator pushes blobs to peers.
type Replicator struct {
	dial func(ctx context.Context, peer string) (Conn, error)
}

// New returns a replicator using dial.
func New(dial func(context.Context, string) (Conn, error)) *Replicator {
	return &Replicator{dial: dial}
}

// Replicate sends blob to every peer concurrently and returns one error
// slot per peer.
func (r *Replicator) Replicate(ctx context.Context, blob []byte, peers []string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(peers))
	for i, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := r.dial(ctx, p)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = conn.Send(blob)
			conn.Close()
		}()
	}
	wg.Wait()
	return errs
}
