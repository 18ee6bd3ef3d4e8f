package datarace_test

import (
	"flag"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/datarace"
	"github.com/synclens/synclens/hints/internal/fixtest"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the suggested fixes")

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), datarace.Analyzer, "a", "pairs", "fixes", "fixtests")
}

// TestFixes applies each quick fix alone: the result must type-check and
// no longer have the diagnostic.
func TestFixes(t *testing.T) {
	for _, pkg := range []string{"a", "pairs", "fixes"} {
		fixtest.Check(t, datarace.Analyzer, pkg, *update)
	}
}
