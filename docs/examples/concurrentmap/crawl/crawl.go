package main

import (
	"fmt"
	"sync"
)

func fetch(url string) int { return len(url) }

// Wrong: every goroutine writes the map; concurrent map writes abort
// the program.
func Crawl(urls []string) map[string]int {
	sizes := make(map[string]int)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			sizes[u] = fetch(u)
		})
	}
	wg.Wait()
	return sizes
}

func main() {
	fmt.Println(Crawl([]string{"https://go.dev", "https://pkg.go.dev"}))
}
