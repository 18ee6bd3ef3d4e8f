package lineserver

import (
	"errors"
	"net"
	"sync"
)

// Server handles each accepted connection in its own goroutine and
// waits for them on shutdown.
type Server struct {
	l       net.Listener
	handler func(net.Conn)
	wg      sync.WaitGroup
}

// New returns a server for l.
func New(l net.Listener, handler func(net.Conn)) *Server {
	return &Server{l: l, handler: handler}
}

func (s *Server) track() {
	s.wg.Add(1)
}

// Serve accepts connections until the listener is closed.
func (s *Server) Serve() error {
	for {
		c, err := s.l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		s.track()
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.handler(c)
		}()
	}
}

// Shutdown stops accepting and waits for in-flight connections.
func (s *Server) Shutdown() error {
	err := s.l.Close()
	s.wg.Wait()
	return err
}
