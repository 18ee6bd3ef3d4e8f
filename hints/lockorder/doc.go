// Package lockorder defines an Analyzer that reports two code paths taking
// the same locks in opposite orders.
//
// # Analyzer lockorder
//
// lockorder: report locks taken in inconsistent orders (A then B, B then A)
//
// Two goroutines that take the same two locks in opposite orders can each
// get one and wait for the other forever. The orders are rarely in one
// function; they meet across methods of different types that call each
// other while holding their own lock:
//
//	// WRONG
//	func (m *Manager) Expire() {
//		m.mu.Lock()
//		defer m.mu.Unlock()
//		for _, s := range m.sessions {
//			s.expired() // locks s.mu: Manager.mu, then Session.mu
//		}
//	}
//
//	func (s *Session) Touch() {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		s.mgr.markActive(s.id) // locks m.mu: Session.mu, then Manager.mu
//	}
//
// The fix is one global order (always the manager before a session), or not
// holding one lock while taking the other (copy what is needed, unlock, then
// call).
//
// The check builds a graph of "B taken while A held" from every function of
// the package, through calls, and reports each cycle of two to four locks
// once, with the acquisitions of every path as related locations. A lock is
// identified by where it lives: a package variable, or a field path within a
// type (Manager.mu, Pipeline.in.mu), so methods on receivers of the same type
// are assumed to work on the same instance.
//
// It stays silent when a common lock is held on both paths (a gate that
// serializes them), when every contested acquisition is a read lock, for
// paths that only run in package initialization, for locks of objects made in
// the function (not yet shared), and for two locks of one type
// (parent and child, hand-over-hand), unless the same function is called with
// its two arguments swapped from two goroutines (transfer(a, b) and
// transfer(b, a)).
package lockorder
