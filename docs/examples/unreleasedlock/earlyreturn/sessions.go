package main

import (
	"errors"
	"fmt"
	"sync"
)

var errExpired = errors.New("session expired")

type Sessions struct {
	mu    sync.Mutex
	users map[string]string
	ttl   map[string]int
}

// Wrong: the expired path returns with s.mu still locked.
func (s *Sessions) User(token string) (string, error) {
	s.mu.Lock()
	if s.ttl[token] <= 0 {
		return "", errExpired
	}
	u := s.users[token]
	s.mu.Unlock()
	return u, nil
}

func main() {
	s := &Sessions{users: map[string]string{"t1": "ann"}, ttl: map[string]int{"t1": 0}}
	fmt.Println(s.User("t1"))
	fmt.Println(s.User("t1")) // blocks forever
}
