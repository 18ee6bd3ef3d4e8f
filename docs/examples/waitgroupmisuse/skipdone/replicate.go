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

// Wrong: a peer that cannot be dialled returns without wg.Done, so
// wg.Wait blocks forever.
func Replicate(peers []string) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			if err := dial(p); err != nil {
				return
			}
			fmt.Println("replicated to", p)
			wg.Done()
		}()
	}
	wg.Wait()
}

func main() {
	Replicate([]string{"a", "down"})
}
