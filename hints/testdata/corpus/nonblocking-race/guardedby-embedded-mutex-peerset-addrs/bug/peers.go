package gossip

import (
	"sort"
	"sync"
	"time"
)

// Peer is a member discovered through gossip.
type Peer struct {
	Addr     string
	LastSeen time.Time
}

// PeerSet is the set of known peers.
type PeerSet struct {
	sync.Mutex
	peers   map[string]Peer
	version uint64
}

// NewPeerSet returns an empty set.
func NewPeerSet() *PeerSet {
	return &PeerSet{peers: make(map[string]Peer)}
}

// Add records or refreshes a peer.
func (s *PeerSet) Add(p Peer) {
	s.Lock()
	s.peers[p.Addr] = p
	s.version++
	s.Unlock()
}

// Remove forgets a peer.
func (s *PeerSet) Remove(addr string) {
	s.Lock()
	delete(s.peers, addr)
	s.version++
	s.Unlock()
}

// Addrs returns the sorted addresses of all known peers.
func (s *PeerSet) Addrs() []string {
	addrs := make([]string, 0, len(s.peers))
	for addr := range s.peers {
		addrs = append(addrs, addr)
	}
	sort.Strings(addrs)
	return addrs
}
