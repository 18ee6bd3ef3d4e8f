// Package lockstarvation defines an Analyzer that reports a lock held across
// a slow or unbounded operation while other code needs it for quick work.
//
// # Analyzer lockstarvation
//
// lockstarvation: report a lock held across sleeping, I/O or waiting
//
// Every goroutine that needs a lock waits while another holds it. A critical
// section that sleeps, does network or file I/O, makes an HTTP request or
// waits on a channel makes all of them wait that long: latency climbs and
// timeouts fire, although nothing is wrong in any one function.
//
//	// WRONG
//	func (l *Log) Save(w io.Writer) error {
//		l.mu.Lock()
//		defer l.mu.Unlock()
//		_, err := l.conn.Write(l.encode()) // Record waits for the network
//		return err
//	}
//
//	// RIGHT
//	func (l *Log) Save() error {
//		l.mu.Lock()
//		data := l.encode() // copy what is needed under the lock
//		l.mu.Unlock()
//		_, err := l.conn.Write(data)
//		return err
//	}
//
// The slow operations are time.Sleep; network I/O (net.Dial, reads and
// writes on a net.Conn, Accept, DNS lookups, io.Copy and friends on a
// connection); HTTP requests (http.Get, Client.Do ...); database/sql queries
// and transactions; file I/O (os.ReadFile, os.WriteFile, reads, writes and
// Sync of an *os.File); running a command (exec.Cmd.Run, Output, Wait); a
// select with neither a default, a timer nor a ctx.Done() case; and a range
// over a channel, which lasts until someone closes it. An operation inside a
// function of the package called with the lock held counts too.
//
// To keep to starvation that hurts, the check reports only when another
// function of the package takes the same lock for quick work (it accesses
// state under the lock and never does slow work under it): those are the
// callers that queue. A lock used only to serialize slow work (a write lock
// around a connection, a throttle that sleeps under its lock) is left
// alone, as are locks local to one function and test files.
//
// Its severity is information: the code works, but every caller of the quick
// methods waits for the slow one.
package lockstarvation
