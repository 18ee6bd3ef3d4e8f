// Package closedchan defines an Analyzer that reports sends on channels
// that may already be closed, and channels that can be closed twice.
//
// # Analyzer closedchan
//
// closedchan: report a send on a closed channel or a double close
//
// Sending on a closed channel panics, and so does closing a channel twice.
// Both happen when the goroutine that closes a channel does not know that
// every sender is done, or when two parts of the program each think they
// own the close:
//
//	// WRONG
//	func Gather(shards []Shard, timeout time.Duration) []Answer {
//		results := make(chan Answer)
//		for _, s := range shards {
//			go func() { results <- s.Query() }() // panics after the close
//		}
//		var out []Answer
//		deadline := time.After(timeout)
//		for range shards {
//			select {
//			case a := <-results:
//				out = append(out, a)
//			case <-deadline:
//				close(results)
//				return out
//			}
//		}
//		return out
//	}
//
//	// RIGHT: only the senders' side closes, after all of them are done
//	// (a WaitGroup and a closer goroutine), or nobody closes at all and
//	// the channel has room for every answer.
//
// The check reports:
//
//   - a close of a channel made in the package while goroutines that send
//     on it may still be running: nothing the closing goroutine waited for
//     (a WaitGroup the senders mark Done, the errgroup, a receive of every
//     value, a done signal) tells it that they finished;
//   - a send after a close in the same goroutine;
//   - a channel closed at two sites that can both run (two goroutines, a
//     close followed by a deferred close, two methods of a type such as a
//     failing loop and Stop), or closed in a loop;
//   - a send on a channel field, in code the package runs in a goroutine,
//     that another method may already have closed, with no lock held by
//     both. (Methods that other packages call are usually under a contract,
//     "do not Publish after Close", that the check cannot read.)
//
// It stays silent when the close is guarded: inside sync.Once, under a lock
// (with a flag, as usual), after checking state the function also sets
// (if !s.closed { s.closed = true; close(...) }, also when the close is in
// a function literal started or deferred there), in the default case of a
// select that first tries to receive from the channel, or followed by
// storing a new channel (or nil) in the field. It also stays silent when the
// closing goroutine waits for anything before closing (a receive from
// another channel, a Wait): that may be the senders saying they are done;
// when the close is followed by receiving from the same channel; and when
// the function that closes is also the one that sends, in other goroutines
// (a protocol among its instances, "the last one closes").
//
// Two closes are not paired when they never both run for one channel: on
// branches that exclude each other (the cases of a switch that each start
// one goroutine, "close(x); return" against installing a callback that
// closes x on the other path), after a test that the channels differ
// (close(ack); if nack != ack { close(nack) }), or on objects handed over
// by a channel (each receiver closes the request it received, and every
// request is made for its send). A close in a loop of a different channel
// each time (for _, w := range workers { close(w.done) }) is not a close
// in a loop. A send is not after a close when every path between them
// receives from a channel variable set to nil after the close (close(out);
// in = nil: a nil channel never delivers). Closes in test code and in the package's own code are not
// paired: a test that drives or stands in for internals closes in a run of
// its own.
package closedchan
