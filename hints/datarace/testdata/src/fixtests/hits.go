package fixtests

import "sync"

// A counter a test of the package resets: analysed without its tests,
// the package would take the typed atomic, and the test would no longer
// build; with them, the assignment rules it out. No fix either way.

type server struct {
	hits int
}

func (s *server) serve() { s.hits++ } // want "the goroutine started at line 19 writes `s\\.hits` here, and so does every other instance of it, with nothing ordering them: a data race"

func Serve(s *server) {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.serve()
		}()
	}
	wg.Wait()
}
