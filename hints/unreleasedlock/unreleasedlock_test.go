package unreleasedlock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/unreleasedlock"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unreleasedlock.Analyzer, "a")
}

// TestHelpers covers locks taken by helpers of the package and functions
// entered with the caller's lock held.
func TestHelpers(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unreleasedlock.Analyzer, "b")
}
