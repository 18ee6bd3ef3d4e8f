package counter

import (
	"io"
	"net"
	"sync"
	"testing"
)

func mustDial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	return c
}

func TestConcurrentClients(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := &Server{}
	go s.Serve(l)

	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := mustDial(t, l.Addr().String())
			defer c.Close()
			if _, err := io.ReadAll(c); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := s.Count(); got != 8 {
		t.Errorf("Count() = %d, want 8", got)
	}
}
