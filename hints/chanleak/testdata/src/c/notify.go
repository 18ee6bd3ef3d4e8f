// Package c holds library code whose callers in tests make it look wrong.
package c

type Confirmation struct {
	Tag uint64
	Ack bool
}

// Notify forwards each confirmation to ack or nack. The contract is that
// the caller receives from both.
func Notify(ack, nack chan uint64, in <-chan Confirmation) {
	go func() {
		for c := range in {
			if c.Ack {
				ack <- c.Tag // ok: only a test passes channels nobody receives from
			} else {
				nack <- c.Tag // ok
			}
		}
	}()
}

// NotifyOne is the same for one channel, and the package itself calls it
// without receiving.
func NotifyOne(ack chan uint64, in <-chan Confirmation) {
	go func() {
		for c := range in {
			ack <- c.Tag // want "send on unbuffered ch blocks forever: nothing receives from ch"
		}
	}()
}

func Start(in <-chan Confirmation) {
	ch := make(chan uint64)
	NotifyOne(ch, in)
}
