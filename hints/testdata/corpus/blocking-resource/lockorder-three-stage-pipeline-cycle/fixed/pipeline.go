package pipeline

import "sync"

type stage struct {
	mu    sync.Mutex
	items []string
}

// Pipeline moves records from the input stage through transform to output.
type Pipeline struct {
	in, mid, out stage
	flushed      int
}

// Ingest moves pending input records to the transform stage.
func (p *Pipeline) Ingest() {
	p.in.mu.Lock()
	defer p.in.mu.Unlock()
	p.mid.mu.Lock()
	p.mid.items = append(p.mid.items, p.in.items...)
	p.mid.mu.Unlock()
	p.in.items = p.in.items[:0]
}

// Transform moves transformed records to the output stage.
func (p *Pipeline) Transform(fn func(string) string) {
	p.mid.mu.Lock()
	defer p.mid.mu.Unlock()
	p.out.mu.Lock()
	for _, it := range p.mid.items {
		p.out.items = append(p.out.items, fn(it))
	}
	p.out.mu.Unlock()
	p.mid.items = p.mid.items[:0]
}

// Flush drops the output and re-queues records that were rejected.
func (p *Pipeline) Flush(rejected []string) {
	p.out.mu.Lock()
	p.flushed += len(p.out.items)
	p.out.items = p.out.items[:0]
	p.out.mu.Unlock()
	if len(rejected) > 0 {
		p.in.mu.Lock()
		p.in.items = append(p.in.items, rejected...)
		p.in.mu.Unlock()
	}
}

// Push adds a record to the input stage.
func (p *Pipeline) Push(rec string) {
	p.in.mu.Lock()
	p.in.items = append(p.in.items, rec)
	p.in.mu.Unlock()
}
