package lsp

import (
	"context"
	"fmt"
	"time"

	"go.lsp.dev/protocol"
)

// loadProgress reports a load that is still running after
// Options.progressDelay as work done progress, when the client supports it:
// a first load on a cold build cache takes tens of seconds, and the user
// should see why no hints appear yet. It runs on its own goroutine (creating
// the progress token is a call to the client); the returned function ends
// the report and waits for that goroutine.
func (s *server) loadProgress(what string) (done func()) {
	s.mu.Lock()
	supported := s.caps.workDoneProgress
	s.mu.Unlock()
	if !supported {
		return func() {}
	}
	stop, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTimer(s.opts.progressDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-stop:
			return
		case <-s.ctx.Done():
			return
		}
		token := protocol.String(fmt.Sprintf("synclens-load-%d", s.progressSeq.Add(1)))
		ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
		err := s.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: token})
		cancel()
		if err != nil {
			s.log.Debug("no progress report", "error", err)
			return
		}
		msg := "loading " + what + " (the first load builds the standard library's export data)"
		s.reportProgress(token, &protocol.WorkDoneProgressBegin{Kind: "begin", Title: "synclens", Message: &msg})
		select {
		case <-stop:
		case <-s.ctx.Done():
		}
		s.reportProgress(token, &protocol.WorkDoneProgressEnd{Kind: "end"})
	}()
	return func() {
		close(stop)
		<-finished
	}
}

func (s *server) reportProgress(token protocol.ProgressToken, value any) {
	v, err := protocol.Marshal(value)
	if err == nil {
		err = s.client.Progress(s.ctx, &protocol.ProgressParams{Token: token, Value: v})
	}
	if err != nil {
		s.log.Debug("cannot report progress", "error", err)
	}
}
