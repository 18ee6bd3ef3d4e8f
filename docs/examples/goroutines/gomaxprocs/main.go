// Command gomaxprocs prints how many threads may run Go code at once.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	fmt.Println("CPUs:", runtime.NumCPU())
	fmt.Println("GOMAXPROCS:", runtime.GOMAXPROCS(0)) // 0 queries without changing it
	fmt.Println("goroutines:", runtime.NumGoroutine())
}
