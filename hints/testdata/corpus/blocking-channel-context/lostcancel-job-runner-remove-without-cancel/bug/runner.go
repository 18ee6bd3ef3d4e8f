package jobs

import (
	"context"
	"sort"
	"sync"
)

// Func is the body of a long-running job. It returns when ctx is done.
type Func func(ctx context.Context, id string)

// Runner runs named background jobs.
type Runner struct {
	run Func

	mu   sync.Mutex
	jobs map[string]context.CancelFunc
}

// NewRunner returns a runner executing fn for each job.
func NewRunner(fn Func) *Runner {
	return &Runner{run: fn, jobs: make(map[string]context.CancelFunc)}
}

// Start launches job id unless it is already running.
func (r *Runner) Start(ctx context.Context, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.jobs[id]; ok {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	r.jobs[id] = cancel
	go r.run(ctx, id)
}

// Remove stops job id.
func (r *Runner) Remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.jobs, id)
}

// Running returns the IDs of the running jobs.
func (r *Runner) Running() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.jobs))
	for id := range r.jobs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
