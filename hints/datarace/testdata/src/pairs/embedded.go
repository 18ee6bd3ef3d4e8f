package pairs

import "sync"

// Races through promoted methods of embedded structs, and errors reported
// through an interface.

type base struct {
	touched int
}

func (b *base) touch() { b.touched++ } // want "the goroutine started at line 24 writes `b\\.touched` here, and so does every other instance of it, with nothing ordering them: a data race"

type resource struct {
	base
	name string
}

// TouchAll: every worker calls the promoted method on one resource.
func TouchAll(r *resource, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.touch()
		}()
	}
	wg.Wait()
}

// TouchEach: every worker touches a resource of its own.
func TouchEach(names []string) []*resource {
	out := make([]*resource, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		r := &resource{name: n}
		out[i] = r
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.touch()
		}()
	}
	wg.Wait()
	return out
}

type reporter interface {
	Report(err error)
}

func runChecks(rep reporter, items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(it); err != nil {
				rep.Report(err)
			}
		}()
	}
	wg.Wait()
}

type lastError struct {
	err error
}

func (l *lastError) Report(err error) { l.err = err } // want "the goroutine started at line 57 writes `l\\.err` here, and so does every other instance of it, with nothing ordering them: a data race"

// CheckItems: the reporter keeps the last error, written by every
// failing worker.
func CheckItems(items []string) error {
	l := &lastError{}
	runChecks(l, items)
	return l.err
}

type chanReporter struct {
	errs chan error
}

func (c *chanReporter) Report(err error) {
	select {
	case c.errs <- err:
	default:
	}
}

// CheckItemsChan: the reporter hands the first error over a channel.
func CheckItemsChan(items []string) error {
	c := &chanReporter{errs: make(chan error, 1)}
	runChecks(c, items)
	select {
	case err := <-c.errs:
		return err
	default:
		return nil
	}
}
