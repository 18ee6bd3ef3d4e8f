// Command wgdone is wrong: a goroutine returns early without calling Done,
// so the counter never reaches zero and Wait blocks forever.
package main

import (
	"fmt"
	"sync"
)

func main() {
	inputs := []string{"1", "", "3"}
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			if in == "" {
				return // wrong: skips wg.Done
			}
			fmt.Println("processing", in)
			wg.Done()
		}()
	}
	wg.Wait() // fatal error: all goroutines are asleep - deadlock!
}
