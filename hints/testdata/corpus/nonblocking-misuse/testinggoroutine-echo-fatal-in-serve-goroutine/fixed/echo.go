package echo

import (
	"bufio"
	"net"
)

// Serve echoes every line sent by each client until l is closed.
func Serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			sc := bufio.NewScanner(c)
			for sc.Scan() {
				if _, err := c.Write(append(sc.Bytes(), '\n')); err != nil {
					return
				}
			}
		}()
	}
}
