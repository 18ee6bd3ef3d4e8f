package main

import (
	"fmt"
	"sync"
	"time"
)

type Feed struct {
	mu    sync.Mutex
	items []string
	tries int
}

func (f *Feed) Items() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.items...)
}

// Wrong: Refresh backs off while holding f.mu, so every Items call waits
// for the sleep too.
func (f *Feed) Refresh(fetch func() ([]string, bool)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.tries = 0; f.tries < 3; f.tries++ {
		if items, ok := fetch(); ok {
			f.items = items
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func main() {
	f := &Feed{}
	go f.Refresh(func() ([]string, bool) { return nil, false })
	time.Sleep(time.Millisecond)
	start := time.Now()
	f.Items()
	fmt.Println("Items waited", time.Since(start).Round(10*time.Millisecond))
}
