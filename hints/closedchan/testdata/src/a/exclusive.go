package a

// Closes on branches that never both run for one channel.

// Start runs one kind of transfer: each case starts the one goroutine that
// closes c.
func Start(kind int, read func() (int, bool)) (sum int) {
	c := make(chan int)
	switch kind {
	case 1:
		go func() {
			defer close(c) // ok: only one of the two goroutines is started
			for v, ok := read(); ok; v, ok = read() {
				c <- v
			}
		}()
	case 2:
		go func() {
			defer close(c) // ok
			v, _ := read()
			c <- v
		}()
	}
	for v := range c {
		sum += v
	}
	return sum
}

// StartBoth falls through to the second case: both goroutines can start.
func StartBoth(kind int, read func() (int, bool)) (sum int) {
	c := make(chan int)
	switch kind {
	case 1:
		go func() {
			defer close(c) // want "close\\(c\\) here and close\\(c\\) at line 43 in the goroutine started at line 42 can both run"
			v, _ := read()
			c <- v
		}()
		fallthrough
	case 2:
		go func() {
			defer close(c) // want "close\\(c\\) here and close\\(c\\) at line 36 in the goroutine started at line 35 can both run"
			v, _ := read()
			c <- v
		}()
	}
	for v := range c {
		sum += v
	}
	return sum
}

// Confirm forwards acks and nacks, then closes both, once if the caller
// passed one channel for both.
func Confirm(ack, nack chan int, in <-chan int) {
	go func() {
		for v := range in {
			if v > 0 {
				ack <- v
			} else {
				nack <- v
			}
		}
		close(ack)
		if nack != ack {
			close(nack) // ok
		}
	}()
}

// ConfirmEq tests the wrong way round.
func ConfirmEq(ack, nack chan int, in <-chan int) {
	go func() {
		for v := range in {
			ack <- v
		}
		close(ack)
		if nack == ack {
			close(nack) // want "close\\(ch2\\) can run after close\\(ch2\\) at line 78: the second close panics"
		}
	}()
}

func ShareOne(in <-chan int) {
	ch := make(chan int)
	Confirm(ch, ch, in)
	for range ch {
	}
	ch2 := make(chan int)
	ConfirmEq(ch2, ch2, in)
	for range ch2 {
	}
}

type flush struct{ done chan struct{} }

type item struct {
	sent     bool
	callback func()
}

type producer struct {
	pending []*item
}

// Flush closes fr.done itself when nothing is pending, or hands the close to
// the last item's callback: one of the two, never both.
func (p *producer) Flush(fr *flush) {
	if len(p.pending) == 0 {
		close(fr.done) // ok
		return
	}
	last := p.pending[len(p.pending)-1]
	if last.sent {
		close(fr.done) // ok
		return
	}
	last.callback = func() { close(fr.done) } // ok
}

type flush2 struct{ done chan struct{} }

// FlushTwice closes fr.done and installs the callback on the same path.
func (p *producer) FlushTwice(fr *flush2) {
	last := p.pending[len(p.pending)-1]
	if last.sent {
		close(fr.done) // want "close\\(fr.done\\) here and close\\(fr.done\\) at line 130 in the function literal at line 130 can both run on one flush2"
	}
	last.callback = func() { close(fr.done) } // want "close\\(fr.done\\) here and close\\(fr.done\\) at line 128 in producer.FlushTwice can both run on one flush2"
}

type xfer struct{ n int }

// In starts the reader of one kind of transfer and returns its channel.
func (t *xfer) In(kind int) (env chan int) {
	env = make(chan int)
	switch kind {
	case 1:
		go t.inA(env)
	case 2:
		go t.inB(env)
	}
	return env
}

func (t *xfer) inA(c chan int) {
	defer func() {
		t.n = 0
		close(c) // ok
	}()
	c <- 1
}

func (t *xfer) inB(c chan int) {
	defer func() {
		t.n = 0
		close(c) // ok
	}()
	c <- 2
}

func Pull(t *xfer) (sum int) {
	for v := range t.In(1) {
		sum += v
	}
	return sum
}

// InBoth starts both readers on one channel.
func (t *xfer) InBoth() (env chan int) {
	env = make(chan int)
	go t.inC(env)
	go t.inC(env)
	return env
}

func (t *xfer) inC(c chan int) {
	defer close(c) // want "close\\(env \\(made in \\(\\*xfer\\).InBoth\\)\\) here and close\\(env \\(made in \\(\\*xfer\\).InBoth\\)\\) at line 179 in the goroutine started at line 173 can both run"
	c <- 3
}

func PullBoth(t *xfer) (sum int) {
	for v := range t.InBoth() {
		sum += v
	}
	return sum
}
