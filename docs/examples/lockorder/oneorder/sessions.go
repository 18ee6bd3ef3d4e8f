package main

import (
	"fmt"
	"sync"
	"time"
)

type Session struct {
	mu       sync.Mutex
	id       string
	lastUsed time.Time
	mgr      *Manager
}

type Manager struct {
	mu       sync.Mutex
	sessions map[string]*Session
	active   map[string]time.Time
}

func (m *Manager) Expire(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, s := range m.sessions {
		if s.idle(now) > time.Hour {
			delete(m.sessions, id)
		}
	}
}

func (s *Session) idle(now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Sub(s.lastUsed)
}

// Right: Touch updates the session under s.mu, releases it, and only then
// tells the manager, so no goroutine takes Manager.mu after Session.mu.
func (s *Session) Touch() {
	s.mu.Lock()
	s.lastUsed = time.Now()
	id, t := s.id, s.lastUsed
	s.mu.Unlock()
	s.mgr.markActive(id, t)
}

func (m *Manager) markActive(id string, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.active[id] = t
}

func main() {
	m := &Manager{sessions: map[string]*Session{}, active: map[string]time.Time{}}
	s := &Session{id: "s1", mgr: m}
	m.sessions["s1"] = s
	var wg sync.WaitGroup
	wg.Go(func() { m.Expire(time.Now()) })
	wg.Go(s.Touch)
	wg.Wait()
	fmt.Println(len(m.active)) // 1
}
