// Package deep: a server whose workers reach the guarded map five calls
// down, started through a closure that a helper runs. Serve reads the map
// after it has joined them; Drain reads it while they still run.
package deep

import "sync"

type Server struct {
	mu    sync.Mutex
	files map[string]int
	in    chan string
}

func (s *Server) add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name]++
}

func (s *Server) remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, name)
}

func (s *Server) open(name string) { s.add(name) }

func (s *Server) handle(name string) {
	if name == "" {
		s.remove(name)
		return
	}
	s.open(name)
}

func (s *Server) dispatch(name string) { s.handle(name) }

func (s *Server) worker(ch chan string) {
	for name := range ch {
		s.dispatch(name)
	}
}

// workers starts n workers through start, and hands them what arrives on
// in.
func (s *Server) workers(n int, start func(chan string)) {
	ch := make(chan string)
	for i := 0; i < n; i++ {
		start(ch)
	}
	go func() {
		for name := range s.in {
			ch <- name
		}
		close(ch)
	}()
}

// Serve joins its workers before it reads the map: the workers' writes
// happen before the read, five calls below the go statement.
func (s *Server) Serve() int {
	var wg sync.WaitGroup
	run := func(ch chan string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.worker(ch)
		}()
	}
	s.workers(4, run)
	wg.Wait()
	return len(s.files)
}

// Drain reads the map while its workers still run.
func (s *Server) Drain() int {
	var wg sync.WaitGroup
	run := func(ch chan string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.worker(ch)
		}()
	}
	s.workers(4, run)
	n := len(s.files) // want `s.files is read here without s.mu`
	wg.Wait()
	return n
}

// Start runs Serve in the background, as a test starts a server.
func Start(s *Server) {
	go s.Serve()
}
