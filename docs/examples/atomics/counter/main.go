// Command counter counts from many goroutines with a typed atomic.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Server struct {
	requests atomic.Int64 // the zero value is 0 and ready to use
}

func (s *Server) Handle() {
	s.requests.Add(1)
}

func main() {
	var s Server
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			for range 100 {
				s.Handle()
			}
		})
	}
	wg.Wait()
	fmt.Println(s.requests.Load()) // 10000

	var flags uint32
	atomic.OrUint32(&flags, 1<<2) // the function form, on a plain variable (Go 1.23)
	fmt.Println(atomic.LoadUint32(&flags))
}
