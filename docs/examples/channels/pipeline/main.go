// Command pipeline connects goroutines with channels. Each stage closes its
// output when it is done, and the next stage's range ends.
package main

import "fmt"

func generate(n int) <-chan int {
	out := make(chan int) // unbuffered: each send waits for its receive
	go func() {
		defer close(out)
		for i := 1; i <= n; i++ {
			out <- i
		}
	}()
	return out
}

func square(in <-chan int) <-chan int {
	out := make(chan int, 4) // buffered: up to 4 sends complete without a receiver
	go func() {
		defer close(out)
		for v := range in {
			out <- v * v
		}
	}()
	return out
}

func main() {
	sum := 0
	for v := range square(generate(10)) {
		sum += v
	}
	fmt.Println(sum) // 385

	ch := make(chan int, 1)
	close(ch)
	v, ok := <-ch      // a closed, drained channel receives at once
	fmt.Println(v, ok) // 0 false
}
