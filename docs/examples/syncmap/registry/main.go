// Command registry uses sync.Map for a cache whose keys are written once and
// read many times by many goroutines.
package main

import (
	"fmt"
	"strings"
	"sync"
)

var canonical sync.Map // string -> string

func canonicalName(name string) string {
	if v, ok := canonical.Load(name); ok {
		return v.(string)
	}
	v, _ := canonical.LoadOrStore(name, strings.ToLower(name))
	return v.(string) // the first stored value wins
}

func main() {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, n := range []string{"Mutex", "RWMutex", "Mutex"} {
				canonicalName(n)
			}
		})
	}
	wg.Wait()
	canonical.Range(func(k, v any) bool {
		fmt.Println(k, "->", v)
		return true
	})
}
