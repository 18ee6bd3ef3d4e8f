package pairs

import (
	"sync"
	"sync/atomic"
)

// Counters and fields bumped by plugins that workers call through an
// interface or a function value.

type Plugin interface {
	Handle(item string)
}

// Process runs the plugin on every item, in parallel.
func Process(p Plugin, items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Handle(it)
		}()
	}
	wg.Wait()
}

type countingPlugin struct {
	seen int
}

func (c *countingPlugin) Handle(item string) { c.seen++ } // want "the goroutine started at line 20 writes `c\\.seen` here, and so does every other instance of it, with nothing ordering them: a data race"

// CountItems hands Process a plugin that counts without synchronisation.
func CountItems(items []string) int {
	c := &countingPlugin{}
	Process(c, items)
	return c.seen
}

type atomicPlugin struct {
	seen atomic.Int32
}

func (c *atomicPlugin) Handle(item string) { c.seen.Add(1) }

// CountItemsAtomic: the plugin counts atomically.
func CountItemsAtomic(items []string) int {
	c := &atomicPlugin{}
	Process(c, items)
	return int(c.seen.Load())
}

// A pipeline keeps its plugins in a field and calls each from every
// worker.
type pipeline struct {
	stages []Plugin
}

func (p *pipeline) run(items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range p.stages {
				s.Handle(it)
			}
		}()
	}
	wg.Wait()
}

type lastSeen struct {
	last string
}

func (l *lastSeen) Handle(item string) { l.last = item } // want "the goroutine started at line 64 writes `l\\.last` here, and so does every other instance of it, with nothing ordering them: a data race"

// Pipeline: the stage writes its field from every worker.
func Pipeline(items []string) string {
	l := &lastSeen{}
	p := &pipeline{stages: []Plugin{l}}
	p.run(items)
	return l.last
}

type lockedLast struct {
	mu   sync.Mutex
	last string
}

func (l *lockedLast) Handle(item string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = item
}

// PipelineLocked: the stage locks.
func PipelineLocked(items []string) string {
	l := &lockedLast{}
	p := &pipeline{stages: []Plugin{l}}
	p.run(items)
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// A pool calls a hook when each job is done.
type pool struct {
	onDone func(job string)
}

func (p *pool) runAll(jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.onDone(j)
		}()
	}
	wg.Wait()
}

type doneStats struct {
	completed int
}

// RunPool: the hook counts in every worker.
func RunPool(jobs []string) int {
	st := &doneStats{}
	p := &pool{onDone: func(string) { st.completed++ }} // want "the goroutine started at line 118 writes `st\\.completed` here, and so does every other instance of it, with nothing ordering them: a data race"
	p.runAll(jobs)
	return st.completed
}

// RunPoolHandOff: the hook sends, and the caller alone counts.
func RunPoolHandOff(jobs []string) int {
	st := &doneStats{}
	done := make(chan string, len(jobs))
	p := &pool{onDone: func(j string) { done <- j }}
	p.runAll(jobs)
	close(done)
	for range done {
		st.completed++
	}
	return st.completed
}

type named struct {
	name string
}

func (n *named) rename(s string) { n.name = s } // want "the goroutine started at line 162 writes `n\\.name` here, and so does every other instance of it, with nothing ordering them: a data race"

// forEach calls f on every item in parallel.
func forEach(items []string, f func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(it)
		}()
	}
	wg.Wait()
}

// RenameAll hands forEach a method value that writes the field.
func RenameAll(items []string) string {
	n := &named{}
	forEach(items, n.rename)
	return n.name
}

// RenameEach gives every item a value of its own.
func RenameEach(items []string) []*named {
	out := make([]*named, len(items))
	for i := range out {
		out[i] = &named{}
	}
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].rename(it)
		}()
	}
	wg.Wait()
	return out
}
