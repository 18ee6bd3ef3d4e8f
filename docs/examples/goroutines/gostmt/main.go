// Command gostmt starts goroutines with the go statement and collects their
// results over a channel.
package main

import (
	"fmt"
	"strings"
)

func main() {
	words := []string{"mutex", "channel", "goroutine"}
	results := make(chan string)

	for _, w := range words {
		// w is a new variable in each iteration (Go 1.22), and the call's
		// arguments are evaluated here, in the calling goroutine.
		go func() {
			results <- strings.ToUpper(w)
		}()
	}

	// main must wait: when main returns, the program exits, and goroutines
	// still running are stopped wherever they are.
	for range words {
		fmt.Println(<-results)
	}
}
