package main

import (
	"fmt"
	"sync"
)

func fetch(url string) int { return len(url) }

// Right: the goroutines fetch in parallel and take turns writing the map.
func Crawl(urls []string) map[string]int {
	sizes := make(map[string]int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			n := fetch(u)
			mu.Lock()
			sizes[u] = n
			mu.Unlock()
		})
	}
	wg.Wait()
	return sizes
}

func main() {
	fmt.Println(Crawl([]string{"https://go.dev", "https://pkg.go.dev"}))
}
