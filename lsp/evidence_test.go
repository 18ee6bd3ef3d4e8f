package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// needRace skips unless go test -race can run: it needs cgo and a C
// compiler.
func needRace(t *testing.T) {
	t.Helper()
	needGo(t)
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || f[0] != "1" {
		t.Skip("cgo is disabled: the race detector needs it")
	}
	if _, err := exec.LookPath(f[1]); err != nil {
		t.Skipf("no C compiler (%s): the race detector needs one", f[1])
	}
}

const countSrc = `package a

import "sync"

func Count() int {
	n := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n++
	}()
	n++
	wg.Wait()
	return n
}
`

const meterSrc = `package a

import "sync"

type Meter struct {
	mu    sync.Mutex
	total int
}

func (m *Meter) Add(d int) { m.total += d }

func (m *Meter) Total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.total
}

func Measure() int {
	m := &Meter{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.Add(2)
	}()
	t := m.Total()
	wg.Wait()
	return t
}
`

// TestImportRace runs go test -race on a module with two races, imports
// its output with synclens.importRace, and follows the runtime diagnostics:
// published for files that are not open, merged with the analysis's on
// open, dropped from a file when it is edited, cleared by
// synclens.clearRuntimeEvidence.
func TestImportRace(t *testing.T) {
	needRace(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	dir := writeModule(t, map[string]string{
		"a/count.go": countSrc,
		"a/meter.go": meterSrc,
		"a/a_test.go": `package a

import "testing"

func TestCount(t *testing.T) { Count() }

func TestMeasure(t *testing.T) { Measure() }
`,
	})
	cmd := exec.CommandContext(ctx, "go", "test", "-race", "-count=1", "./a")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput() // the races fail the tests
	if !bytes.Contains(out, []byte("WARNING: DATA RACE")) {
		t.Fatalf("go test -race reported no race:\n%s", out)
	}
	report := filepath.Join(dir, "race.txt")
	if err := os.WriteFile(report, out, 0o666); err != nil {
		t.Fatal(err)
	}

	c := startClient(t, clientOptions{initOpts: map[string]any{"docsBaseURL": docsBase}})
	count, meter := uri.File(filepath.Join(dir, "a", "count.go")), uri.File(filepath.Join(dir, "a", "meter.go"))
	res, err := c.server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: cmdImportRace, Arguments: []protocol.LSPAny{mustJSON(t, report)}})
	if err != nil {
		t.Fatalf("importRace: %v", err)
	}
	var summary importResult
	if err := json.Unmarshal(mustJSON(t, res), &summary); err != nil || summary.Races != 2 || summary.Static != 1 || len(summary.Files) != 2 {
		t.Fatalf("importRace answered %s (%v)", mustJSON(t, res), err)
	}

	// Not open: published alone, with the stacks related and the guide link.
	c.waitFor(ctx, "runtime diagnostics of meter.go", func() bool { return len(c.pubs[docKey(meter)]) > 0 })
	p := c.latest(meter)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("meter.go: %+v", p.Diagnostics)
	}
	d := p.Diagnostics[0]
	if d.Code != protocol.String("runtimerace") || d.Severity != protocol.DiagnosticSeverityError || string(d.CodeDescription.Href) != docsBase+"/pitfalls.html#race-conditions" {
		t.Errorf("meter.go diagnostic = %+v", d)
	}
	lines := []uint32{pos(t, meterSrc, "m.total += d", 0).Line, pos(t, meterSrc, "return m.total", 0).Line}
	if !slices.Contains(lines, d.Range.Start.Line) {
		t.Errorf("at line %d, want one of %v", d.Range.Start.Line, lines)
	}
	if !slices.ContainsFunc(d.RelatedInformation, func(r protocol.DiagnosticRelatedInformation) bool {
		return r.Location.URI == meter && r.Location.Range.Start.Line != d.Range.Start.Line && slices.Contains(lines, r.Location.Range.Start.Line) && strings.HasPrefix(r.Message, "earlier ")
	}) {
		t.Errorf("the other access is not related: %+v", d.RelatedInformation)
	}

	// Open: the analysis's finding and the runtime one, which names it.
	u := c.open(ctx, count.FsPath(), countSrc)
	p = c.diagnostics(ctx, u, 1)
	codes := func(p *protocol.PublishDiagnosticsParams) []string {
		var out []string
		for _, d := range p.Diagnostics {
			out = append(out, string(d.Code.(protocol.String)))
		}
		slices.Sort(out)
		return out
	}
	if got := codes(p); !slices.Equal(got, []string{"runtimerace", "sharedcapture"}) {
		t.Fatalf("count.go codes = %v", got)
	}
	// The order of the two diagnostics is not part of the protocol.
	rt := p.Diagnostics[slices.IndexFunc(p.Diagnostics, func(d protocol.Diagnostic) bool { return d.Code == protocol.String("runtimerace") })]
	if !strings.Contains(string(rt.Message.(protocol.String)), "[sharedcapture]") {
		t.Errorf("the runtime diagnostic does not name the static finding: %v", rt.Message)
	}
	actions, err := c.server.CodeAction(ctx, &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: rt.Range, Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{rt}}})
	if err != nil || !slices.ContainsFunc(actions, func(a protocol.CommandOrCodeAction) bool {
		ca, ok := a.(*protocol.CodeAction)
		return ok && ca.Title == "Open guide: Race conditions"
	}) {
		t.Errorf("no Open guide action for the runtime diagnostic: %v %v", actions, err)
	}

	// An edit: the run's lines may no longer be these.
	c.changeFull(ctx, u, 2, countSrc+"\n// edited\n")
	if got := codes(c.diagnostics(ctx, u, 2)); !slices.Equal(got, []string{"sharedcapture"}) {
		t.Errorf("after an edit: %v", got)
	}

	// Clearing empties the file that is not open.
	n := c.publishes(meter)
	if _, err := c.server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: cmdClearRuntime}); err != nil {
		t.Fatal(err)
	}
	c.waitFor(ctx, "meter.go cleared", func() bool { return len(c.pubs[docKey(meter)]) > n })
	if p := c.latest(meter); len(p.Diagnostics) != 0 {
		t.Errorf("after clearing: %+v", p.Diagnostics)
	}

	// Bad arguments are errors, not crashes.
	for _, args := range [][]protocol.LSPAny{nil, {mustJSON(t, 42)}, {mustJSON(t, filepath.Join(dir, "missing.txt"))}} {
		if _, err := c.server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: cmdImportRace, Arguments: args}); err == nil {
			t.Errorf("importRace %s: no error", args)
		}
	}
}

func mustJSON(t *testing.T, v any) protocol.LSPAny {
	t.Helper()
	b, err := protocol.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
