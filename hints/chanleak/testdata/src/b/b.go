package b

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Backup lists keys in one goroutine and copies them in another; when
// the copier fails, the lister is left sending.
func Backup(ctx context.Context, list func() []string, copyKey func(string) error) error {
	g, ctx := errgroup.WithContext(ctx)
	keys := make(chan string)
	g.Go(func() error {
		defer close(keys)
		for _, k := range list() {
			keys <- k // want "the goroutine started at line 17 blocks forever on `keys <- k` when the goroutine started at line 24 stops receiving and returns at line 27"
		}
		return nil
	})
	g.Go(func() error {
		for k := range keys {
			if err := copyKey(k); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait()
}

// BackupCtx's lister selects on ctx.Done(): the errgroup cancels it.
func BackupCtx(ctx context.Context, list func() []string, copyKey func(string) error) error {
	g, ctx := errgroup.WithContext(ctx)
	keys := make(chan string)
	g.Go(func() error {
		defer close(keys)
		for _, k := range list() {
			select {
			case keys <- k: // ok
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	g.Go(func() error {
		for k := range keys {
			if err := copyKey(k); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait()
}

type Client struct {
	timeout time.Duration
	call    func(string) (string, error)
}

type reply struct {
	v   string
	err error
}

// Get gives up when its timer fires.
func (c *Client) Get(key string) (string, error) {
	ch := make(chan reply)
	go func() {
		v, err := c.call(key)
		ch <- reply{v, err} // want "the goroutine started at line 74 blocks forever on `ch <- reply\\{v, err\\}` when Client.Get returns at line 84 on `<-t.C`"
	}()
	t := time.NewTimer(c.timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		return "", errors.New("timeout")
	}
}

// First takes the quickest of several computations.
func First[T any](fs []func() T) T {
	out := make(chan T)
	for _, f := range fs {
		go func() {
			out <- f() // want "the goroutines started at line 92 block forever on `out <- f\\(\\)`: First receives only one value from out"
		}()
	}
	return <-out
}

// Merge fans in with a closer goroutine: every sender finishes.
func Merge(ins ...<-chan int) []int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- v // ok
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var all []int
	for v := range out { // ok
		all = append(all, v)
	}
	return all
}

// Wait drains on both branches of the select.
func Wait(ctx context.Context, work func() error) error {
	errc := make(chan error)
	go func() {
		errc <- work() // ok
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		<-errc
		return ctx.Err()
	}
}

// Poll stops when stop is closed.
func Poll(stop <-chan struct{}, check func()) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				check()
			case <-stop:
				return
			}
		}
	}()
}

// Workers: a pool whose jobs channel is closed.
func Workers(jobs []int, n int, do func(int) int) []int {
	in := make(chan int)
	out := make(chan int, len(jobs))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range in { // ok
				out <- do(j) // ok
			}
		}()
	}
	for _, j := range jobs {
		in <- j
	}
	close(in)
	wg.Wait()
	close(out)
	var res []int
	for r := range out { // ok
		res = append(res, r)
	}
	return res
}

// Notify closes done once, whichever side gets there first.
func Notify(a, b func()) {
	done := make(chan struct{})
	stop := sync.OnceFunc(func() { close(done) })
	go func() { a(); stop() }()
	go func() { b(); stop() }()
	<-done // ok
}

// Handoff gives the channel to another package: unknown counterpart.
func Handoff(register func(chan<- string)) string {
	ch := make(chan string)
	register(ch)
	return <-ch // ok
}

// Gather waits for the group before reading the buffered results.
func Gather(ctx context.Context, items []string, fetch func(string) string) []string {
	g, _ := errgroup.WithContext(ctx)
	res := make(chan string, len(items))
	for _, it := range items {
		g.Go(func() error {
			res <- fetch(it) // ok
			return nil
		})
	}
	g.Wait()
	close(res)
	var out []string
	for r := range res {
		out = append(out, r)
	}
	return out
}
