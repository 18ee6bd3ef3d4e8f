package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  int
}

// Right: a pointer receiver locks and updates the caller's Counter.
func (c *Counter) Add() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func main() {
	var c Counter
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(c.Add)
	}
	wg.Wait()
	fmt.Println(c.n)
}
