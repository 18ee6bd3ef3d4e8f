package model_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/model"
)

// TestChans dumps every channel the model follows in testdata/src/channels
// (where it is made and used, in which goroutine, what makes it escape)
// and compares the dump with testdata/channels.golden (-update rewrites it).
func TestChans(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), model.Analyzer, "channels")
	if len(results) != 1 {
		t.Fatalf("got %d results", len(results))
	}
	m := results[0].Result.(*model.Model)
	got := dumpChans(m)
	golden := filepath.Join(analysistest.TestData(), "channels.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("channels differ from %s (run with -update to see):\n%s", golden, diff(string(want), got))
	}
}

func dumpChans(m *model.Model) string {
	var b strings.Builder
	for _, c := range m.Chans {
		mk := m.Position(c.Make.Pos)
		origin := m.Position(model.InstrPos(c.Origin))
		fmt.Fprintf(&b, "chan %s made %d:%d in %s (instance of line %d) cap=%d\n", c.Name(), mk.Line, mk.Column, c.Func.SSA.RelString(m.Pkg), origin.Line, c.Cap)
		if c.Escape != nil {
			fmt.Fprintf(&b, "  escapes at line %d: %s\n", m.Position(c.Escape.Pos).Line, c.Escape.Why)
			continue
		}
		ctxIdx := map[*model.ChanCtx]int{}
		for i, x := range c.Ctxs {
			ctxIdx[x] = i
			if x.Spawn == nil {
				fmt.Fprintf(&b, "  g%d: %s\n", i, x.Root.SSA.RelString(m.Pkg))
				continue
			}
			fmt.Fprintf(&b, "  g%d: %s started at line %d by g%d many=%v\n", i, x.Root.SSA.RelString(m.Pkg), m.Position(x.Spawn.Pos).Line, ctxIdx[x.Parent], x.Many)
		}
		for _, u := range c.Uses {
			flags := ""
			if u.Op.Select != nil {
				flags += " select"
			}
			if u.Deferred {
				flags += " deferred"
			}
			if len(u.Via) > 0 {
				flags += fmt.Sprintf(" via line %d", m.Position(model.InstrPos(u.Via[0])).Line)
			}
			fmt.Fprintf(&b, "  %s at line %d in g%d%s\n", u.Op.Kind, m.Position(u.Op.Pos).Line, ctxIdx[u.Ctx], flags)
		}
	}
	return b.String()
}
