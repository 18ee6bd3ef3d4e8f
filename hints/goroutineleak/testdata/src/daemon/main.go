package main

import "time"

func init() {
	go func() { // ok: started once, from init
		for {
			time.Sleep(time.Second)
		}
	}()
}

func startMetrics() {
	go func() { // ok: only main calls startMetrics
		for range time.Tick(time.Second) {
		}
	}()
}

func serve(accept func() int, handle func(int)) {
	for {
		c := accept()
		go func() { // want "each call of serve leaks a goroutine per iteration"
			for {
				handle(c)
			}
		}()
	}
}

func main() {
	startMetrics()
	for i := 0; i < 4; i++ {
		go func() { // ok: a worker pool for the program's life
			for {
				time.Sleep(time.Second)
			}
		}()
	}
	go serve(func() int { return 0 }, func(int) {})
	select {}
}
