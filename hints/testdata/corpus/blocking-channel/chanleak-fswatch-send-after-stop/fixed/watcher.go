package fswatch

import (
	"os"
	"time"
)

// Change reports that a file's modification time moved.
type Change struct {
	Path    string
	ModTime time.Time
}

// Watcher polls a set of files for modifications.
type Watcher struct {
	paths    []string
	interval time.Duration
	changes  chan Change
	quit     chan struct{}
}

// Watch starts polling paths every interval.
func Watch(paths []string, interval time.Duration) *Watcher {
	w := &Watcher{
		paths:    paths,
		interval: interval,
		changes:  make(chan Change),
		quit:     make(chan struct{}),
	}
	go w.poll()
	return w
}

// Changes returns the channel on which modifications are delivered.
func (w *Watcher) Changes() <-chan Change { return w.changes }

// Stop ends polling. Callers stop reading Changes once Stop is called.
func (w *Watcher) Stop() { close(w.quit) }

func (w *Watcher) poll() {
	seen := make(map[string]time.Time)
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
		}
		for _, p := range w.paths {
			fi, err := os.Stat(p)
			if err != nil {
				continue
			}
			if prev, ok := seen[p]; ok && fi.ModTime().After(prev) {
				select {
				case w.changes <- Change{Path: p, ModTime: fi.ModTime()}:
				case <-w.quit:
					return
				}
			}
			seen[p] = fi.ModTime()
		}
	}
}
