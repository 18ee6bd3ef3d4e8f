package a

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Bubble relies on synctest's fake clock: the signaller sleeps first, and
// time only advances once the waiter blocks in Wait.
func Bubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		go func() {
			time.Sleep(time.Millisecond)
			mu.Lock()
			c.Signal()
			mu.Unlock()
		}()
		mu.Lock()
		c.Wait() // ok
		mu.Unlock()
	})
}
