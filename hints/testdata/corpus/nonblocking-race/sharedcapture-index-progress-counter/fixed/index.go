package indexer

import (
	"sync"
	"time"
)

// IndexAll indexes files concurrently, reporting progress every second.
func IndexAll(files []string, index func(string) error, progress func(done, total int)) error {
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		firstErr  error
		processed int
	)
	for _, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := index(f); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
			mu.Lock()
			processed++
			mu.Unlock()
		}()
	}

	stop := make(chan struct{})
	reported := make(chan struct{})
	go func() {
		defer close(reported)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				mu.Lock()
				n := processed
				mu.Unlock()
				progress(n, len(files))
			}
		}
	}()

	wg.Wait()
	close(stop)
	<-reported
	progress(processed, len(files))
	return firstErr
}
