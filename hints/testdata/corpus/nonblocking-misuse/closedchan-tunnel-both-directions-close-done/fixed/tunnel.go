package tunnel

import (
	"io"
	"log"
	"net"
)

// Relay copies between a and b until either direction ends, then closes
// both connections.
func Relay(a, b net.Conn) {
	done := make(chan struct{}, 2)
	go func() {
		io.Copy(a, b)
		done <- struct{}{}
	}()
	go func() {
		io.Copy(b, a)
		done <- struct{}{}
	}()
	<-done
	a.Close()
	b.Close()
}

// Listen accepts clients on l and relays each to the target address.
func Listen(l net.Listener, target string) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			up, err := net.Dial("tcp", target)
			if err != nil {
				log.Printf("tunnel: dial %s: %v", target, err)
				c.Close()
				return
			}
			Relay(c, up)
		}()
	}
}
