// Package calls exercises call resolution: interface methods, function
// values in fields, maps and slices, method values, callbacks run by the
// standard library, and calls the model cannot resolve.
package calls

import (
	"sort"
	"sync"
)

type Handler interface{ Handle(n int) }

type Server struct {
	mu      sync.Mutex
	h       Handler
	onClose func()
	hooks   []func(int)
	byName  map[string]func() error
	items   []int
}

type logHandler struct{ s *Server }

func (l *logHandler) Handle(n int) { l.s.Count() }

type nopHandler struct{}

func (nopHandler) Handle(int) {}

// New stores one Handler implementation in s.h.
func New() *Server {
	s := &Server{byName: map[string]func() error{}}
	s.h = &logHandler{s: s}
	s.onClose = s.flush
	s.hooks = append(s.hooks, s.hook)
	s.byName["ping"] = ping
	return s
}

func (s *Server) Count() {
	s.mu.Lock()
	defer s.mu.Unlock()
}

func (s *Server) flush()     {}
func (s *Server) hook(n int) {}
func ping() error            { return nil }

// Serve calls the handler through the interface: one implementation flows
// into s.h.
func (s *Server) Serve(n int) {
	s.h.Handle(n)
}

// Close calls a method value kept in a field.
func (s *Server) Close() {
	s.onClose()
	for _, h := range s.hooks {
		h(1)
	}
	if f := s.byName["ping"]; f != nil {
		f()
	}
}

// Either calls a Handler that may be either implementation.
func Either(b bool, s *Server) {
	var h Handler = nopHandler{}
	if b {
		h = &logHandler{s: s}
	}
	h.Handle(2)
}

// Sort runs a closure through sort.Slice, in the caller's goroutine.
func (s *Server) Sort() {
	sort.Slice(s.items, func(i, j int) bool {
		s.Count()
		return s.items[i] < s.items[j]
	})
}

// Foreign calls an interface value that comes from the caller: the model
// does not know what it runs.
func Foreign(h Handler) { h.Handle(3) }

// Returned calls a closure returned by a function.
func Returned(s *Server) {
	f := counter(s)
	f()
}

func counter(s *Server) func() {
	return func() { s.Count() }
}

type Runner interface{ Run() }

// Start hands a method value of an interface to WaitGroup.Go: there is no
// package function behind it.
func Start(r Runner, wg *sync.WaitGroup) {
	wg.Go(r.Run)
}
