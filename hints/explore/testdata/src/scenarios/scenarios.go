// Package scenarios holds scenarios for the interleaving engine: functions
// named Bug* have operations that can wait forever (marked "blocks"),
// functions named OK* have none; "completes" marks an operation every
// interleaving completes.
package scenarios

import (
	"context"
	"errors"
	"sync"
	"time"
)

func fetch() int { return 1 }

func BugOrphanedSend(ctx context.Context) int {
	results := make(chan int)
	go func() {
		results <- fetch() // blocks
	}()
	select {
	case r := <-results:
		return r
	case <-ctx.Done():
		return 0
	}
}

func OKBufferedSend(ctx context.Context) int {
	results := make(chan int, 1)
	go func() {
		results <- fetch() // completes
	}()
	select {
	case r := <-results:
		return r
	case <-ctx.Done():
		return 0
	}
}

func work() error { return errors.New("x") }

// The goroutine sends on exactly one of the two channels on each path,
// and the receiver selects on both.
func OKMutuallyExclusive() error {
	errCh := make(chan error)
	done := make(chan struct{})
	go func() {
		if err := work(); err != nil {
			errCh <- err // completes
			return
		}
		close(done)
	}()
	select {
	case err := <-errCh:
		return err
	case <-done:
		return nil
	}
}

func BugDoubleLock() {
	var mu sync.Mutex
	mu.Lock()
	mu.Lock() // blocks
}

func BugWaitGroupCount() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
	}()
	wg.Wait() // blocks
}

func OKWaitGroup() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait() // completes
}

// The goroutine sends while holding the lock; the receiver takes the
// lock before receiving. Whichever takes the lock first, both wait.
func BugLockAroundSend() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock() // blocks
		ch <- 1   // blocks
		mu.Unlock()
	}()
	time.Sleep(time.Millisecond)
	mu.Lock() // blocks
	<-ch      // blocks
	mu.Unlock()
}

func OKConstantLoops() {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- i }() // completes
	}
	for i := 0; i < 3; i++ {
		<-ch
	}
}

func BugConstantLoops() {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- i }() // blocks
	}
	for i := 0; i < 2; i++ {
		<-ch
	}
}

func OKRangeClosed() int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < 4; i++ {
			ch <- i
		}
	}()
	n := 0
	for v := range ch { // completes
		n += v
	}
	return n
}

func BugRangeNeverClosed() int {
	ch := make(chan int)
	go func() {
		for i := 0; i < 4; i++ {
			ch <- i
		}
	}()
	n := 0
	for v := range ch { // blocks
		n += v
	}
	return n
}

func BugCondWithoutSignal() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	c.Wait() // blocks
	mu.Unlock()
}

func OKCancelled() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		<-ctx.Done() // completes
		close(done)
	}()
	cancel()
	<-done
}

func BugNeverCancelled() {
	ctx := context.Background()
	go func() {
		<-ctx.Done() // blocks
	}()
}

type request struct {
	n     int
	reply chan int
}

func serve(r *request) { r.reply <- r.n * 2 } // blocks

// A reply channel held in a field of a per-call request object.
func BugRequestReply(ctx context.Context) int {
	r := &request{n: 2, reply: make(chan int)}
	go serve(r)
	select {
	case v := <-r.reply:
		return v
	case <-ctx.Done():
		return 0
	}
}

type sender interface{ send(ch chan int) }

type once struct{}

func (once) send(ch chan int) { ch <- 1 }

type twice struct{}

func (twice) send(ch chan int) {
	ch <- 1
	ch <- 2
}

// A call through an interface: the engine runs the method of the
// dynamic type.
func BugInterfaceSender() {
	ch := make(chan int)
	var s sender = once{}
	go s.send(ch)
	<-ch
	<-ch // blocks
}

func OKInterfaceSender() {
	ch := make(chan int)
	var s sender = twice{}
	go s.send(ch)
	<-ch
	<-ch // completes
}

// Once.Do runs its function once: the second Do does not send again.
func OKOnce() {
	var o sync.Once
	ch := make(chan int, 1)
	o.Do(func() { ch <- 1 })
	o.Do(func() { ch <- 2 })
	<-ch
}

// A lock used through sync.Locker: an interface call, whose receiver is
// not among the call's arguments.
func OKLocker() {
	var mu sync.Mutex
	var l sync.Locker = &mu
	l.Lock()
	l.Unlock()
}
