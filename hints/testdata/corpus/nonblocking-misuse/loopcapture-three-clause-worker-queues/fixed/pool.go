//go:build go1.21

package workers

import (
	"log"
	"sync"
)

// Job is a unit of work routed to a worker by key.
type Job struct {
	Key  string
	Data []byte
}

// Pool runs one worker per queue so jobs with the same key stay ordered.
type Pool struct {
	queues []chan Job
	run    func(worker int, j Job)
	log    *log.Logger
	wg     sync.WaitGroup
}

// NewPool returns a pool with n queues.
func NewPool(n int, run func(int, Job), logger *log.Logger) *Pool {
	p := &Pool{queues: make([]chan Job, n), run: run, log: logger}
	for i := range p.queues {
		p.queues[i] = make(chan Job, 16)
	}
	return p
}

// Start launches the workers.
func (p *Pool) Start() {
	for i := 0; i < len(p.queues); i++ {
		i := i
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.queues[i] {
				p.run(i, j)
			}
		}()
		p.log.Printf("worker %d started", i)
	}
}

// Stop closes the queues and waits for the workers to drain them.
func (p *Pool) Stop() {
	for _, q := range p.queues {
		close(q)
	}
	p.wg.Wait()
}
