package main

import (
	"fmt"
	"io"
	"net"
	"sync"
)

// Right: whichever direction ends first closes done, once.
func Relay(a, b net.Conn) {
	done := make(chan struct{})
	stop := sync.OnceFunc(func() { close(done) })
	go func() {
		io.Copy(a, b)
		stop()
	}()
	go func() {
		io.Copy(b, a)
		stop()
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
