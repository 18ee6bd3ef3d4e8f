package raft

import "sync"

// Node is a single-member replicated log: proposals are committed at once
// and applied in order by a background loop.
type Node struct {
	apply   func([]byte)
	commitC chan struct{}

	mu      sync.Mutex
	log     [][]byte
	waiters map[int]chan struct{}
}

// NewNode starts the apply loop.
func NewNode(apply func([]byte)) *Node {
	n := &Node{apply: apply, commitC: make(chan struct{}, 1), waiters: make(map[int]chan struct{})}
	go n.run()
	return n
}

// Propose appends data to the log and waits until it has been applied.
func (n *Node) Propose(data []byte) int {
	n.mu.Lock()
	n.log = append(n.log, data)
	idx := len(n.log) - 1
	done := make(chan struct{})
	n.waiters[idx] = done
	n.mu.Unlock()
	select {
	case n.commitC <- struct{}{}:
	default:
	}
	<-done
	return idx
}

// Stop ends the apply loop. Propose must not be called afterwards.
func (n *Node) Stop() {
	close(n.commitC)
}

func (n *Node) run() {
	applied := 0
	for range n.commitC {
		n.mu.Lock()
		entries := n.log[applied:]
		n.mu.Unlock()
		for _, e := range entries {
			n.apply(e)
		}
		n.mu.Lock()
		for i := applied; i < applied+len(entries); i++ {
			if ch, ok := n.waiters[i]; ok {
				close(ch)
				delete(n.waiters, i)
			}
		}
		n.mu.Unlock()
		applied += len(entries)
	}
}
