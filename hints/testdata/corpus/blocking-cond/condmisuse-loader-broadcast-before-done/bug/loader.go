package dataset

import (
	"fmt"
	"sync"
)

// Loader loads a dataset once in the background; lookups block until it
// has finished loading.
type Loader struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
	data map[string]string
	err  error
}

// Start begins loading with load.
func Start(load func() (map[string]string, error)) *Loader {
	l := &Loader{}
	l.cond = sync.NewCond(&l.mu)
	go func() {
		data, err := load()
		l.cond.Broadcast()
		l.mu.Lock()
		l.data, l.err, l.done = data, err, true
		l.mu.Unlock()
	}()
	return l
}

// Get returns the value for key once the dataset is loaded.
func (l *Loader) Get(key string) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.done {
		l.cond.Wait()
	}
	if l.err != nil {
		return "", l.err
	}
	v, ok := l.data[key]
	if !ok {
		return "", fmt.Errorf("dataset: no key %q", key)
	}
	return v, nil
}
