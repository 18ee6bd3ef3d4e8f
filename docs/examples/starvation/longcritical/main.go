// Command longcritical is wrong: Save holds the lock while it writes to a
// slow disk, so every Record call waits for the write.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Log struct {
	mu      sync.Mutex
	entries []string
}

func (l *Log) Record(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *Log) Save() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for range l.entries {
		time.Sleep(20 * time.Millisecond) // slow I/O under the lock
	}
}

func main() {
	l := &Log{entries: []string{"a", "b", "c", "d", "e"}}
	go l.Save()
	time.Sleep(time.Millisecond)

	start := time.Now()
	l.Record("f") // waits about 100ms for Save
	fmt.Println("Record waited", time.Since(start).Round(10*time.Millisecond))
}
