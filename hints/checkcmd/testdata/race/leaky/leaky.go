// Package leaky leaks goroutines two ways: Fetch returns early without
// receiving, and First takes the first of two results, so the other sender
// blocks forever on the unbuffered channel. synclens finds both
// statically (First through its interleaving engine).
package leaky

func Fetch(fail bool) int {
	ch := make(chan int)
	go func() { ch <- 1 }() // leak:fetch
	if fail {
		return 0
	}
	return <-ch
}

func First(a, b func() int) int {
	ch := make(chan int)
	go func() { ch <- a() }() // leak:first
	go func() { ch <- b() }() // leak:first
	return <-ch
}
