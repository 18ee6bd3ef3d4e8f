// Package cl: what the interleaving engine alone finds, and what it must
// not guess.
package d

import "net"

// Two workers answer on an unbuffered channel and the caller takes one
// answer: the other worker waits forever.
func First(addrs []string) string {
	ch := make(chan string)
	for i := 0; i < 2; i++ {
		go func() {
			ch <- lookup(addrs) // want "the goroutines started at line 12 block forever on `ch <- lookup\\(addrs\\)`: First receives only one value from ch, at line 16"
		}()
	}
	return <-ch
}

func lookup(addrs []string) string {
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0]
}

// The accept loop sends each connection on a channel with room for one,
// and the caller takes one: a second connection would fill the buffer and
// a third would wait forever, but the caller closes the listener once it
// has its connection, and Accept then fails. How often the loop goes round
// is the listener's business: the engine does not guess it.
func AcceptOne(ln net.Listener) (net.Conn, error) {
	defer ln.Close()
	conns := make(chan net.Conn, 1)
	errc := make(chan error, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				errc <- err
				return
			}
			conns <- c
		}
	}()
	select {
	case c := <-conns:
		return c, nil
	case err := <-errc:
		return nil, err
	}
}

// Three parts, each sent into a channel with room for one; the caller
// takes the first: the third send waits forever. The loop's bound is
// known, so the engine runs it as the program does.
func FirstPart(parts [3]string) string {
	out := make(chan string, 1)
	go func() {
		for i := 0; i < 3; i++ {
			out <- parts[i] // want "`out <- parts\\[i\\]` can block forever: in the interleaving shown, the goroutine started at line 58 waits here and no goroutine is left to receive"
		}
	}()
	return <-out
}
