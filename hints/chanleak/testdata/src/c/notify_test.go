package c

import "testing"

func TestNotifyClosed(t *testing.T) {
	in := make(chan Confirmation)
	close(in)
	ch := make(chan uint64)
	Notify(ch, ch, in)
}
