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

// A write coalescer: each caller hands the flusher a request carrying its
// own reply channel with room for one, and the flusher answers every
// request it took exactly once. A reply never waits, whatever the callers
// and the flusher do between them.
type coalescer struct {
	quit    <-chan struct{}
	writeCh chan request
}

type request struct {
	reply chan<- int
	n     int
}

func NewCoalescer(quit <-chan struct{}, flush <-chan struct{}) *coalescer {
	c := &coalescer{quit: quit, writeCh: make(chan request)}
	go c.flusher(flush)
	return c
}

func (c *coalescer) Write(n int) int {
	reply := make(chan int, 1)
	select {
	case <-c.quit:
		return 0
	case c.writeCh <- request{reply: reply, n: n}:
	}
	return <-reply
}

func (c *coalescer) flusher(flush <-chan struct{}) {
	var replies []chan<- int
	var sizes []int
	for {
		select {
		case req := <-c.writeCh:
			replies = append(replies, req.reply)
			sizes = append(sizes, req.n)
		case <-c.quit:
			for _, r := range replies {
				r <- -1
			}
			return
		case <-flush:
			for i := range replies {
				replies[i] <- sizes[i]
			}
			replies, sizes = nil, nil
		}
	}
}
