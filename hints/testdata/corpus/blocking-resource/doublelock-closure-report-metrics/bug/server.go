package metrics

import (
	"fmt"
	"io"
	"sync"
)

// Server accumulates request counters and periodically writes them out.
type Server struct {
	mu       sync.Mutex
	counts   map[string]int
	out      io.Writer
	flushes  int
	lastSize int
}

// NewServer returns a server that reports to out.
func NewServer(out io.Writer) *Server {
	return &Server{counts: make(map[string]int), out: out}
}

// Inc bumps the counter for route.
func (s *Server) Inc(route string) {
	s.mu.Lock()
	s.counts[route]++
	s.mu.Unlock()
}

// Flush writes the counters and resets them.
func (s *Server) Flush() error {
	report := func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		for route, n := range s.counts {
			if _, err := fmt.Fprintf(s.out, "%s %d\n", route, n); err != nil {
				return err
			}
		}
		return nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushes++
	s.lastSize = len(s.counts)
	if err := report(); err != nil {
		return err
	}
	s.counts = make(map[string]int)
	return nil
}
