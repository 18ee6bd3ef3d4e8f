package session

import (
	"sync"
	"time"
)

// Session is one logged-in client.
type Session struct {
	mu       sync.Mutex
	id       string
	lastUsed time.Time
	mgr      *Manager
}

// Manager owns all live sessions.
type Manager struct {
	mu       sync.Mutex
	sessions map[string]*Session
	active   map[string]time.Time
	ttl      time.Duration
}

// NewManager returns a manager whose sessions expire after ttl.
func NewManager(ttl time.Duration) *Manager {
	return &Manager{sessions: make(map[string]*Session), active: make(map[string]time.Time), ttl: ttl}
}

// Open starts a new session.
func (m *Manager) Open(id string) *Session {
	s := &Session{id: id, lastUsed: time.Now(), mgr: m}
	m.mu.Lock()
	m.sessions[id] = s
	m.mu.Unlock()
	return s
}

// Expire removes sessions that have been idle longer than the TTL.
func (m *Manager) Expire(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, s := range m.sessions {
		if s.expired(now, m.ttl) {
			delete(m.sessions, id)
			delete(m.active, id)
		}
	}
}

func (s *Session) expired(now time.Time, ttl time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Sub(s.lastUsed) > ttl
}

// Touch records activity on the session.
func (s *Session) Touch() {
	s.mu.Lock()
	s.lastUsed = time.Now()
	t := s.lastUsed
	s.mu.Unlock()
	s.mgr.markActive(s.id, t)
}

func (m *Manager) markActive(id string, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.active[id] = t
}
