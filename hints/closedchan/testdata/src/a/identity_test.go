package a

import "testing"

// The test stands in for the mailbox's loop: its close does not make the
// package's own closes wrong, nor theirs its own.
func TestMailboxQuit(t *testing.T) {
	b := NewMailbox()
	go func() {
		<-b.in
		close(b.quit) // ok
	}()
	b.in <- 1
	<-b.quit
}
