package rpc

import "net"

type call struct {
	req   []byte
	reply chan error
}

// Client serializes requests onto one connection from a writer goroutine.
type Client struct {
	conn  net.Conn
	calls chan *call
}

// NewClient starts the writer for conn.
func NewClient(conn net.Conn) *Client {
	c := &Client{conn: conn, calls: make(chan *call)}
	go c.writeLoop()
	return c
}

// Send writes req and waits until it is on the wire.
func (c *Client) Send(req []byte) error {
	cl := &call{req: req, reply: make(chan error, 1)}
	c.calls <- cl
	return <-cl.reply
}

// Close stops the writer and closes the connection. Send must not be
// called after Close.
func (c *Client) Close() error {
	close(c.calls)
	return c.conn.Close()
}

func (c *Client) writeLoop() {
	for cl := range c.calls {
		if _, err := c.conn.Write(cl.req); err != nil {
			c.conn.Close()
			return
		}
		cl.reply <- nil
	}
}
