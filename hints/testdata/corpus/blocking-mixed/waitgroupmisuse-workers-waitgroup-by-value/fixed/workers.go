package batch

import (
	"strings"
	"sync"
)

// Job is one document to normalize.
type Job struct {
	ID   int
	Text string
}

// Result is a normalized document.
type Result struct {
	ID    int
	Words int
}

func worker(jobs <-chan Job, results chan<- Result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- Result{ID: j.ID, Words: len(strings.Fields(j.Text))}
	}
}

// Run processes jobs with n workers and returns the results in any order.
func Run(jobs []Job, n int) []Result {
	jobsC := make(chan Job)
	results := make(chan Result, len(jobs))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(jobsC, results, &wg)
	}
	for _, j := range jobs {
		jobsC <- j
	}
	close(jobsC)
	wg.Wait()
	close(results)

	out := make([]Result, 0, len(jobs))
	for r := range results {
		out = append(out, r)
	}
	return out
}
