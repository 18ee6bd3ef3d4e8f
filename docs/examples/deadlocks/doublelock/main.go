// Command doublelock is wrong: Deposit holds the lock and calls Balance,
// which locks it again. A Mutex is not reentrant, so it blocks forever.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	balance int
}

func (a *Account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance = a.Balance() + n // Balance locks a.mu again: deadlock
}

func main() {
	var a Account
	a.Deposit(10)
	fmt.Println(a.Balance())
}
