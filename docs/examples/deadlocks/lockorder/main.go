// Command lockorder is wrong: Transfer locks the source account first, so two
// transfers in opposite directions can each hold one lock and wait for the
// other.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Account struct {
	mu      sync.Mutex
	balance int
}

func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	time.Sleep(time.Millisecond) // widens the window; real code just gets unlucky
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func main() {
	a, b := &Account{balance: 100}, &Account{balance: 100}
	var wg sync.WaitGroup
	wg.Go(func() { Transfer(a, b, 10) }) // locks a, then b
	wg.Go(func() { Transfer(b, a, 20) }) // locks b, then a
	wg.Wait()
	fmt.Println(a.balance, b.balance)
}
