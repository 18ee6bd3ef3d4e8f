// Command donechan stops a goroutine with a done channel: closing it wakes
// every goroutine that selects on it.
package main

import (
	"fmt"
	"time"
)

func heartbeat(done <-chan struct{}, beats chan<- time.Time) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	defer close(beats) // tell the reader there is no more
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			select {
			case beats <- now:
			case <-done:
				return
			}
		}
	}
}

func main() {
	done := make(chan struct{})
	beats := make(chan time.Time)
	go heartbeat(done, beats)

	for range 3 {
		<-beats
		fmt.Println("beat")
	}
	close(done)
	for range beats { // drain until heartbeat has returned
	}
	fmt.Println("stopped")
}
