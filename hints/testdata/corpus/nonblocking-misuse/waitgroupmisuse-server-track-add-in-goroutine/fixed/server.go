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
	done    chan struct{}
}

// New returns a server for l.
func New(l net.Listener, handler func(net.Conn)) *Server {
	return &Server{l: l, handler: handler, done: make(chan struct{})}
}

func (s *Server) track() {
	s.wg.Add(1)
}

// Serve accepts connections until the listener is closed. It must be
// called exactly once.
func (s *Server) Serve() error {
	defer close(s.done)
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
	<-s.done
	s.wg.Wait()
	return err
}
