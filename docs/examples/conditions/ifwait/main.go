// Command ifwait is wrong: Get checks its condition with if instead of for,
// so after Broadcast two getters can take the single item.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Queue struct {
	mu       sync.Mutex
	nonEmpty *sync.Cond
	items    []int
}

func (q *Queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 { // wrong: must be for
		q.nonEmpty.Wait()
	}
	v := q.items[0] // panics when another getter emptied the queue first
	q.items = q.items[1:]
	return v
}

func main() {
	q := &Queue{}
	q.nonEmpty = sync.NewCond(&q.mu)
	for range 2 {
		go func() { fmt.Println(q.Get()) }()
	}
	time.Sleep(10 * time.Millisecond) // both getters are waiting

	q.mu.Lock()
	q.items = append(q.items, 1)
	q.mu.Unlock()
	q.nonEmpty.Broadcast() // wakes both; only one item

	time.Sleep(10 * time.Millisecond)
}
