//go:build go1.21

package main

import (
	"fmt"
	"sync"
)

var wg sync.WaitGroup

// start runs f in a new goroutine.
func start(f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

// Wrong: before Go 1.22, job is one variable for the whole loop; the
// goroutines read it while the loop assigns the next job.
func main() {
	for _, job := range []string{"build", "test", "deploy"} {
		start(func() { fmt.Println("running", job) })
	}
	wg.Wait()
}
