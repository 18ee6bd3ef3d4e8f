package unreleasedlock_test

import (
	"flag"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/internal/fixtest"
	"github.com/synclens/synclens/hints/unreleasedlock"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the suggested fixes")

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unreleasedlock.Analyzer, "a")
}

// TestHelpers covers locks taken by helpers of the package and functions
// entered with the caller's lock held.
func TestHelpers(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unreleasedlock.Analyzer, "b")
}

// TestFixes applies each quick fix alone: the result must type-check and
// no longer have the diagnostic.
func TestFixes(t *testing.T) {
	fixtest.Check(t, unreleasedlock.Analyzer, "a", *update)
}
