package main

import (
	"fmt"
	"time"
)

type Poller struct {
	interval time.Duration
	polls    int
	done     chan struct{}
}

func (p *Poller) loop() {
	for i := 0; i < 3; i++ {
		time.Sleep(p.interval)
		p.polls++
	}
	close(p.done)
}

// Wrong: Start sets the interval after starting the goroutine that
// reads it.
func (p *Poller) Start() {
	p.done = make(chan struct{})
	go p.loop()
	p.interval = time.Millisecond
}

func main() {
	p := &Poller{}
	p.Start()
	<-p.done
	fmt.Println(p.polls, "polls")
}
