package copiedlock_test

import (
	"flag"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/copiedlock"
	"github.com/synclens/synclens/hints/internal/fixtest"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the suggested fixes")

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), copiedlock.Analyzer, "a")
}

// TestFixes applies each quick fix alone: the result must type-check and
// no longer have the diagnostic.
func TestFixes(t *testing.T) {
	fixtest.Check(t, copiedlock.Analyzer, "a", *update)
}
