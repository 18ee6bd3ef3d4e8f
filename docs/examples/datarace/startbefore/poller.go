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

// Right: everything the goroutine reads is written before the go
// statement, and polls is read after the close that follows its last
// write.
func (p *Poller) Start() {
	p.done = make(chan struct{})
	p.interval = time.Millisecond
	go p.loop()
}

func main() {
	p := &Poller{}
	p.Start()
	<-p.done
	fmt.Println(p.polls, "polls")
}
