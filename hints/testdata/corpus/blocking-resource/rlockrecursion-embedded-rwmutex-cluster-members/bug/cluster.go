package cluster

import (
	"sync"
	"time"
)

// Member is one node of the cluster.
type Member struct {
	ID       string
	Addr     string
	LastBeat time.Time
}

// Cluster tracks membership from gossip heartbeats.
type Cluster struct {
	sync.RWMutex
	members map[string]*Member
	timeout time.Duration
}

// New returns an empty cluster view.
func New(timeout time.Duration) *Cluster {
	return &Cluster{members: make(map[string]*Member), timeout: timeout}
}

// Join adds or refreshes a member.
func (c *Cluster) Join(m *Member) {
	c.Lock()
	defer c.Unlock()
	m.LastBeat = time.Now()
	c.members[m.ID] = m
}

// Healthy returns the IDs of members that sent a heartbeat recently.
func (c *Cluster) Healthy() []string {
	c.RLock()
	defer c.RUnlock()
	var ids []string
	for id := range c.members {
		if c.alive(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (c *Cluster) alive(id string) bool {
	m, ok := c.member(id)
	return ok && time.Since(m.LastBeat) < c.timeout
}

func (c *Cluster) member(id string) (Member, bool) {
	c.RLock()
	defer c.RUnlock()
	m, ok := c.members[id]
	if !ok {
		return Member{}, false
	}
	return *m, true
}
