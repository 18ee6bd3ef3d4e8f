package a

import "sync"

// ReplicateLines is Replicate after a //line directive (generated code).
//
//line generated.go:3
func ReplicateLines(peers []Peer) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // want "the goroutine started here can return at line 10 without calling wg.Done"
			conn, err := dial(p)
			if err != nil {
				return
			}
			replicate(conn)
			wg.Done()
		}()
	}
	wg.Wait()
}
