package tcpserver

import (
	"net"
	"sync"
	"time"
)

// Server accepts connections and hands them to a handler.
type Server struct {
	listener net.Listener
	handle   func(net.Conn)
	quit     chan struct{}
	done     chan struct{}

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	stopping bool
}

// New returns a server for l. Call Serve in its own goroutine.
func New(l net.Listener, handle func(net.Conn)) *Server {
	return &Server{listener: l, handle: handle, quit: make(chan struct{}), done: make(chan struct{}), conns: make(map[net.Conn]struct{})}
}

// Serve accepts connections until Stop is called.
func (s *Server) Serve() {
	defer close(s.done)
	for {
		c, err := s.listener.Accept()
		if err != nil {
			select {
			case <-s.quit:
				s.closeAll()
				return
			default:
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
	clear(s.conns)
}

// Stop closes the listener and every connection and waits for Serve to return.
func (s *Server) Stop() {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	close(s.quit)
	s.listener.Close()
	<-s.done
}
