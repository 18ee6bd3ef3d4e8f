package a

// Closes gated by a status the closing function checks and sets first.

type pconn struct {
	closed bool
	done   chan struct{}
	in     chan int
}

func (c *pconn) fail() {
	if c.closed {
		return
	}
	c.closed = true
	defer func() {
		close(c.done) // ok
	}()
}

func (c *pconn) asyncClose() {
	if c.closed {
		return
	}
	c.closed = true
	go func() {
		defer close(c.done) // ok
	}()
}

func (c *pconn) Run() {
	go func() {
		for v := range c.in {
			if v < 0 {
				c.fail()
			}
		}
	}()
}

// uconn checks the status in the closing goroutine's starter, but the
// callback closes whenever it is called.
type uconn struct {
	closed  bool
	done    chan struct{}
	in      chan int
	onClose func()
}

func (c *uconn) fail() {
	close(c.done) // want "close\\(c.done\\) here and close\\(c.done\\) at line 59 in the function literal at line 59 can both run on one uconn"
}

func (c *uconn) arm() {
	if c.closed {
		return
	}
	c.closed = true
	c.onClose = func() { close(c.done) } // want "close\\(c.done\\) here and close\\(c.done\\) at line 51 in uconn.fail can both run on one uconn"
}

func (c *uconn) Run() {
	go func() {
		for v := range c.in {
			if v < 0 {
				c.fail()
			}
		}
	}()
}
