package chanleak_test

import (
	"flag"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/chanleak"
	"github.com/synclens/synclens/hints/internal/fixtest"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the suggested fixes")

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), chanleak.Analyzer, "a", "b", "c")
}

// TestFixes applies each quick fix alone: the result must type-check and
// no longer have the diagnostic.
func TestFixes(t *testing.T) {
	fixtest.Check(t, chanleak.Analyzer, "a", *update)
	fixtest.Check(t, chanleak.Analyzer, "b", *update)
}

// TestEngine: what only the interleaving engine finds (a constant-bound
// loop overfilling a buffer), beside what it must not guess (how often a
// loop on an unknown bound goes round).
func TestEngine(t *testing.T) {
	for _, r := range analysistest.Run(t, analysistest.TestData(), chanleak.Analyzer, "d") {
		for _, d := range r.Diagnostics {
			// "in the interleaving shown": the steps come with it, the last
			// one the wait itself.
			if !strings.Contains(d.Message, "interleaving shown") {
				continue
			}
			if n := len(d.Related); n < 2 || !strings.HasSuffix(d.Related[n-1].Message, "waits here forever") {
				t.Errorf("%s: the interleaving is not shown: %+v", d.Message, d.Related)
			}
		}
	}
}
