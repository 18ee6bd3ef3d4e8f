package main

import (
	"fmt"
	"io"
	"net"
)

// Wrong: each direction closes done when its copy ends. The first close
// wakes Relay, which closes both connections; that ends the other copy,
// whose close(done) then panics.
func Relay(a, b net.Conn) {
	done := make(chan struct{})
	go func() {
		io.Copy(a, b)
		close(done)
	}()
	go func() {
		io.Copy(b, a)
		close(done)
	}()
	<-done
	a.Close()
	b.Close()
}

func main() {
	a, b := net.Pipe()
	a.Close()
	Relay(a, b)
	fmt.Println("done")
}
