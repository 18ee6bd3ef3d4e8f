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

// Right: the deferred Unlock runs on every path out of User.
func (s *Sessions) User(token string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ttl[token] <= 0 {
		return "", errExpired
	}
	return s.users[token], nil
}

func main() {
	s := &Sessions{users: map[string]string{"t1": "ann"}, ttl: map[string]int{"t1": 0}}
	fmt.Println(s.User("t1"))
	fmt.Println(s.User("t1"))
}
