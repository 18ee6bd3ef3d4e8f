package a

// A channel variable set to nil after the close retires the receive that
// leads to the send.

func Forward(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for in != nil {
			v, ok := <-in
			if !ok {
				close(out)
				in = nil // the receive below can no longer deliver
				continue
			}
			out <- v // ok
		}
	}()
	return out
}

// ForwardSelect retires the case in a select, with other cases still live.
func ForwardSelect(in <-chan int, errs <-chan error) <-chan int {
	out := make(chan int)
	go func() {
		for in != nil || errs != nil {
			select {
			case v, ok := <-in:
				if !ok {
					close(out)
					in = nil
					continue
				}
				out <- v // ok
			case _, ok := <-errs:
				if !ok {
					errs = nil
				}
			}
		}
	}()
	return out
}

// ForwardKeep forgets to retire the channel: a closed channel delivers
// zero values forever.
func ForwardKeep(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for {
			v, ok := <-in
			if !ok {
				close(out)
				continue
			}
			out <- v // want "send on out \\(made in ForwardKeep\\) can run after close\\(out \\(made in ForwardKeep\\)\\) at line 53 and panics"
		}
	}()
	return out
}

func UseForward(in chan int, errs chan error) (n int) {
	for v := range Forward(in) {
		n += v
	}
	for v := range ForwardSelect(in, errs) {
		n += v
	}
	for v := range ForwardKeep(in) {
		n += v
	}
	return n
}
