package logship

import "sync"

// flushTo hands the buffered lines to out while holding l, so that no
// line is appended during the flush.
func flushTo(l sync.Locker, buf *[]string, out chan<- []string) {
	l.Lock()
	defer l.Unlock()
	if len(*buf) == 0 {
		return
	}
	out <- *buf
	*buf = nil
}

// Logger buffers lines and ships them in batches from a background goroutine.
type Logger struct {
	ship func([]string) error
	out  chan []string
	done chan struct{}

	mu      sync.Mutex
	lines   []string
	shipped int
	failed  int
}

// New starts the shipper goroutine.
func New(ship func([]string) error) *Logger {
	l := &Logger{ship: ship, out: make(chan []string), done: make(chan struct{})}
	go l.shipper()
	return l
}

func (l *Logger) shipper() {
	defer close(l.done)
	for batch := range l.out {
		err := l.ship(batch)
		l.mu.Lock()
		if err != nil {
			l.failed += len(batch)
		} else {
			l.shipped += len(batch)
		}
		l.mu.Unlock()
	}
}

// Log buffers a line.
func (l *Logger) Log(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

// Flush hands the buffered lines to the shipper.
func (l *Logger) Flush() {
	flushTo(&l.mu, &l.lines, l.out)
}

// Close flushes and stops the shipper. The logger must not be used afterwards.
func (l *Logger) Close() {
	l.Flush()
	close(l.out)
	<-l.done
}
