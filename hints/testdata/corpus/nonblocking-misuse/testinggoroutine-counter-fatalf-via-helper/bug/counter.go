package counter

import (
	"fmt"
	"net"
	"sync/atomic"
)

// Server counts the connections it has accepted and tells each client
// its number.
type Server struct {
	n atomic.Int64
}

// Serve accepts connections until l is closed.
func (s *Server) Serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		fmt.Fprintf(c, "%d\n", s.n.Add(1))
		c.Close()
	}
}

// Count returns the number of accepted connections.
func (s *Server) Count() int64 {
	return s.n.Load()
}
