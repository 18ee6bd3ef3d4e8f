// Command lockedhelper fixes a double lock: the exported methods lock, and
// the helper they share expects the lock to be held already.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	balance int // guarded by mu
}

// balanceLocked returns the balance. a.mu must be held.
func (a *Account) balanceLocked() int {
	return a.balance
}

func (a *Account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balanceLocked()
}

func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance = a.balanceLocked() + n
}

func main() {
	var a Account
	a.Deposit(10)
	fmt.Println(a.Balance()) // 10
}
