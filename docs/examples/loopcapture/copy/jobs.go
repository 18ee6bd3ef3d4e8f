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

// Right: each iteration copies job, and each goroutine captures its copy.
func main() {
	for _, job := range []string{"build", "test", "deploy"} {
		job := job
		start(func() { fmt.Println("running", job) })
	}
	wg.Wait()
}
