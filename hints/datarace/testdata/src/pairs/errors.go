package pairs

import (
	"errors"
	"sync"
)

// Errors written by several goroutines.

var errBad = errors.New("bad")

func check(s string) error {
	if s == "" {
		return errBad
	}
	return nil
}

type batch struct {
	err error
}

func (b *batch) fail(err error) { b.err = err } // want "the goroutine started at line 31 writes `b\\.err` here, and so does every other instance of it, with nothing ordering them: a data race"

// Validate: every failing worker records its error through fail.
func Validate(items []string) error {
	b := &batch{}
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(it); err != nil {
				b.fail(err)
			}
		}()
	}
	wg.Wait()
	return b.err
}

type onceBatch struct {
	once sync.Once
	err  error
}

func (b *onceBatch) fail(err error) { b.once.Do(func() { b.err = err }) }

// ValidateOnce keeps the first error with sync.Once.
func ValidateOnce(items []string) error {
	b := &onceBatch{}
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(it); err != nil {
				b.fail(err)
			}
		}()
	}
	wg.Wait()
	return b.err
}

type job struct {
	name string
	err  error
}

// RunJobs: a goroutine writes the job's error while the caller reads it.
func RunJobs(j *job) error {
	done := make(chan struct{})
	go func() {
		j.err = check(j.name) // want "the goroutine started at line 74 writes `j\\.err` here while RunJobs reads it at line 78, with nothing ordering the two: a data race"
		close(done)
	}()
	if j.err != nil {
		return j.err
	}
	<-done
	return nil
}

// RunJobsHandOff reads the error after the close that follows the write.
func RunJobsHandOff(j *job) error {
	done := make(chan struct{})
	go func() {
		j.err = check(j.name)
		close(done)
	}()
	<-done
	return j.err
}

// CheckAll: each worker writes the error of its own job, but the caller
// reads them all before the join.
func CheckAll(jobs []*job) error {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.err = check(j.name) // want "the goroutine started at line 102 writes `j\\.err` here while CheckAll reads it at line 108, with nothing ordering the two: a data race"
		}()
	}
	for _, j := range jobs {
		if j.err != nil {
			return j.err
		}
	}
	wg.Wait()
	return nil
}

// CheckAllJoined reads them after the join; each worker owns its job.
func CheckAllJoined(jobs []*job) error {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.err = check(j.name)
		}()
	}
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			return j.err
		}
	}
	return nil
}

type collector struct {
	errs []error
}

// Collect sends every error to the caller, which alone keeps them.
func Collect(items []string) []error {
	c := &collector{}
	errc := make(chan error)
	for _, it := range items {
		go func() { errc <- check(it) }()
	}
	for range items {
		if err := <-errc; err != nil {
			c.errs = append(c.errs, err)
		}
	}
	return c.errs
}
