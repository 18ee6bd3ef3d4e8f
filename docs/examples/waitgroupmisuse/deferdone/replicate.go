package main

import (
	"errors"
	"fmt"
	"sync"
)

func dial(peer string) error {
	if peer == "down" {
		return errors.New("connection refused")
	}
	return nil
}

// Right: the deferred Done runs on every path out of the goroutine.
func Replicate(peers []string) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := dial(p); err != nil {
				return
			}
			fmt.Println("replicated to", p)
		}()
	}
	wg.Wait()
}

func main() {
	Replicate([]string{"a", "down"})
}
