package pairs

import "sync"

// Slices appended by workers. concurrentmap reports the appends that the
// model's race analysis pairs (a worker appending through a method or an
// interface, its testdata workers.go); datarace leaves those to it and
// reports the ones it does not see.

type results struct {
	items []string
}

func (r *results) add(s string) { r.items = append(r.items, s) }

// GatherAll: every worker appends through add. concurrentmap reports it,
// so datarace does not.
func GatherAll(names []string) []string {
	r := &results{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.add(n)
		}()
	}
	wg.Wait()
	return r.items
}

type sink interface {
	Write(line string)
}

type memSink struct {
	lines []string
}

func (m *memSink) Write(line string) { m.lines = append(m.lines, line) } // want "the goroutine started at line 51 writes `m.lines` here, and so does every other instance of it, with nothing ordering them: a data race; the appends lose elements"

// A fanout writes every line to each of its sinks.
type fanout struct {
	sinks []sink
}

func (f *fanout) logAll(lines []string) {
	var wg sync.WaitGroup
	for _, l := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range f.sinks {
				s.Write(l)
			}
		}()
	}
	wg.Wait()
}

// FanOut: the memory sink appends from every worker. The model does not
// know which sink the slice holds; the exploration does.
func FanOut(lines []string) []string {
	m := &memSink{}
	f := &fanout{sinks: []sink{m}}
	f.logAll(lines)
	return m.lines
}

type lockedSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *lockedSink) Write(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
}

// FanOutLocked: the sink locks.
func FanOutLocked(lines []string) []string {
	l := &lockedSink{}
	f := &fanout{sinks: []sink{l}}
	f.logAll(lines)
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines
}
