package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// truthSrc holds the constructs whose cards used to say something false.
const truthSrc = `package a

import (
	"context"
	"errors"
	"sync"
)

// Start hands its cancel func to the caller.
func Start(parent context.Context, run func(context.Context)) context.CancelFunc {
	ctx, cancel := context.WithCancel(parent)
	go run(ctx)
	return cancel
}

// Watch runs cleanup once ctx is cancelled.
func Watch(parent context.Context, cleanup func(), work func()) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-ctx.Done()
		cleanup()
	}()
	work()
	cancel()
}

// Gather closes results once every worker is done.
func Gather(inputs []int, f func(int) int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- f(in)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Limiter bounds how many calls of Do run at once.
type Limiter struct {
	sem chan struct{}
}

func NewLimiter(limit int) *Limiter {
	return &Limiter{sem: make(chan struct{}, limit)}
}

func (l *Limiter) Do(f func()) {
	l.sem <- struct{}{}
	f()
	<-l.sem
}

type Registry struct {
	mu    sync.Mutex
	names map[string]int
}

func (r *Registry) Lookup(name string) (int, error) {
	r.mu.Lock()
	id, ok := r.names[name]
	if !ok {
		return 0, errors.New("missing")
	}
	r.mu.Unlock()
	return id, nil
}

// Ask gives up on the reply when ctx is done.
func Ask(ctx context.Context, q func() int) int {
	replies := make(chan int)
	go func() {
		replies <- q()
	}()
	select {
	case r := <-replies:
		return r
	case <-ctx.Done():
		return 0
	}
}
`

// lineOf is the 1-based line of the first occurrence of needle in text.
func lineOf(t *testing.T, text, needle string) int {
	t.Helper()
	return int(pos(t, text, needle, 0).Line) + 1
}

// TestHoverProbes hovers, through the server, on constructs whose cards
// used to contradict the code or the warnings: each card must say what the
// code does and must not say what it used to.
func TestHoverProbes(t *testing.T) {
	needGo(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{"a/a.go": truthSrc})
	c := startClient(t, clientOptions{})
	u := c.open(ctx, filepath.Join(dir, "a", "a.go"), truthSrc)
	p := c.diagnostics(ctx, u, 1)

	line := func(needle string) int { return lineOf(t, truthSrc, needle) }
	// The unreleasedlock warning on r.mu.Lock and the line it cites.
	var lockWarning string
	lockPos := pos(t, truthSrc, "r.mu.Lock()", 0)
	for _, d := range p.Diagnostics {
		if d.Code == protocol.String("unreleasedlock") && d.Range.Start == lockPos {
			lockWarning = fmt.Sprint(d.Message)
		}
	}
	ret := line("return 0, errors.New")
	if !strings.Contains(lockWarning, fmt.Sprintf("returns at line %d", ret)) {
		t.Fatalf("no unreleasedlock warning citing the return at line %d on r.mu.Lock; diagnostics: %+v", ret, p.Diagnostics)
	}

	probes := []struct {
		name          string
		at            string // hover on its first occurrence
		delta         int
		want, notWant []string
	}{
		{"cancel returned to the caller", "cancel := context.WithCancel(parent)\n\tgo run", 0,
			[]string{"Handed to the caller", fmt.Sprintf("`Start` returns it (line %d)", line("return cancel"))},
			[]string{"Never called"}},
		{"goroutine waiting on ctx.Done", "go func() {\n\t\t<-ctx.Done()", 0,
			[]string{fmt.Sprintf("`ctx` is cancelled (line %d), by `cancel` at line %d", line("<-ctx.Done()\n\t\tcleanup"), line("cancel()\n}"))},
			[]string{"returns when its work is done"}},
		{"goroutine closing after the workers", "go func() {\n\t\twg.Wait()", 0,
			[]string{fmt.Sprintf("`wg.Wait()` (line %d) returns, after the goroutines started at line %d finish; it then closes `results` (line %d)",
				line("wg.Wait()\n\t\tclose"), line("go func() {\n\t\t\tdefer wg.Done()"), line("close(results)"))},
			[]string{"returns when its work is done"}},
		{"counting semaphore in a field", "l.sem <- struct{}{}", 6,
			[]string{"capacity `limit` (the parameter of `NewLimiter`)", "counting semaphore"},
			[]string{"capacity unknown"}},
		{"lock card agrees with the warning", "r.mu.Lock()", 5,
			[]string{fmt.Sprintf("Released at line %d; **not on the return at line %d**", line("r.mu.Unlock()"), ret)},
			nil},
		{"goroutine that blocks forever is not joined", "go func() {\n\t\treplies", 0,
			[]string{"Joined by: **not on every path**", fmt.Sprintf("block forever at line %d", line("replies <- q()"))},
			[]string{"Joined by: `<-replies`"}},
	}
	for _, pr := range probes {
		h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(t, truthSrc, pr.at, pr.delta),
		}})
		if err != nil || h == nil {
			t.Errorf("%s: no card (err %v)", pr.name, err)
			continue
		}
		text := h.Contents.(*protocol.MarkupContent).Value
		for _, w := range pr.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: card lacks %q:\n%s", pr.name, w, text)
			}
		}
		for _, w := range pr.notWant {
			if strings.Contains(text, w) {
				t.Errorf("%s: card says %q:\n%s", pr.name, w, text)
			}
		}
	}
}
