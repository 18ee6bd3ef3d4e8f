package mixedatomic_test

import (
	"flag"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/internal/fixtest"
	"github.com/synclens/synclens/hints/mixedatomic"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the suggested fixes")

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), mixedatomic.Analyzer, "a")
}

// TestFixes applies each quick fix alone: the result must type-check and
// no longer have the diagnostic.
func TestFixes(t *testing.T) {
	fixtest.Check(t, mixedatomic.Analyzer, "a", *update)
}

// TestEntryLocks: a lock the callers of the atomic writer hold excludes a
// plain read under the same lock.
func TestEntryLocks(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mixedatomic.Analyzer, "entry")
}
