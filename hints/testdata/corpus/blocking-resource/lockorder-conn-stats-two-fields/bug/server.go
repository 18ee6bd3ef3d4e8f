package proxy

import (
	"io"
	"net"
	"sync"
)

// Stats is a point-in-time view of the proxy.
type Stats struct {
	Accepted int
	Open     int
}

// Server forwards client connections to a backend.
type Server struct {
	connMu sync.Mutex
	conns  map[net.Conn]struct{}

	statsMu  sync.Mutex
	accepted int
}

// NewServer returns an idle server.
func NewServer() *Server {
	return &Server{conns: make(map[net.Conn]struct{})}
}

func (s *Server) handleConn(c net.Conn) {
	s.connMu.Lock()
	s.conns[c] = struct{}{}
	s.statsMu.Lock()
	s.accepted++
	s.statsMu.Unlock()
	s.connMu.Unlock()
}

func (s *Server) echo(c net.Conn) {
	defer s.closeConn(c)
	io.Copy(c, c)
}

func (s *Server) closeConn(c net.Conn) {
	s.connMu.Lock()
	delete(s.conns, c)
	s.connMu.Unlock()
	c.Close()
}

// Snapshot returns the current counters.
func (s *Server) Snapshot() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return Stats{Accepted: s.accepted, Open: len(s.conns)}
}

// Serve accepts connections from l until it fails.
func (s *Server) Serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		s.handleConn(c)
		go s.echo(c)
	}
}
