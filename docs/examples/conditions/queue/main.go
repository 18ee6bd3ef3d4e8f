// Command queue is a blocking queue built on sync.Cond. Get waits in a loop,
// because the condition may be false again when Wait returns.
package main

import (
	"fmt"
	"sync"
)

type Queue struct {
	mu       sync.Mutex
	nonEmpty *sync.Cond
	items    []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.nonEmpty = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.nonEmpty.Signal() // wake one waiter; holding the lock is allowed, not required
}

func (q *Queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.nonEmpty.Wait() // unlocks q.mu while waiting, locks it again before returning
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func main() {
	q := NewQueue()
	var wg sync.WaitGroup
	sums := make([]int, 3)
	for i := range sums {
		wg.Go(func() {
			for range 10 {
				sums[i] += q.Get()
			}
		})
	}
	for v := range 30 {
		q.Put(v)
	}
	wg.Wait()
	fmt.Println(sums[0] + sums[1] + sums[2]) // 435
}
