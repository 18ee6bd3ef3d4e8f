// Command nosender is wrong: main sends on an unbuffered channel before any
// goroutine receives from it, so the send never completes.
package main

import "fmt"

func main() {
	results := make(chan int)
	results <- 1 // blocks: nobody receives yet
	go func() {
		fmt.Println(<-results)
	}()
}
