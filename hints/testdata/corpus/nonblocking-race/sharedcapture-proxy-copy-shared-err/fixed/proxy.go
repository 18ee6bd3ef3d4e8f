package tcpproxy

import (
	"errors"
	"io"
	"net"
)

// Proxy copies between client and backend until both directions are done
// and returns the first copy error.
func Proxy(client, backend net.Conn) error {
	upErr := make(chan error, 1)
	go func() {
		_, err := io.Copy(backend, client)
		backend.Close()
		upErr <- err
	}()
	_, err := io.Copy(client, backend)
	client.Close()
	if e := <-upErr; err == nil {
		err = e
	}
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Serve proxies every connection accepted from l to the backend at addr.
func Serve(l net.Listener, addr string) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			b, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				return
			}
			Proxy(c, b)
		}()
	}
}
