package guardedby_test

import (
	"flag"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/guardedby"
	"github.com/synclens/synclens/hints/internal/fixtest"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the suggested fixes")

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), guardedby.Analyzer, "a")
}

// TestFixes applies each annotation alone: the result must type-check, be
// gofmt-clean and have the same findings, at the same places.
func TestFixes(t *testing.T) {
	fixtest.CheckAnnotations(t, guardedby.Analyzer, "a", *update)
}

// TestEntryLocks: the locks held wherever a function runs. Test callers,
// calls on an object still being built and loaders a library runs
// synchronously do not count as callers without the lock.
func TestEntryLocks(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), guardedby.Analyzer, "entry")
}

// TestDeepJoin: a join is seen however deep below the go statement the
// guarded access is (here five calls, through a closure a helper runs).
func TestDeepJoin(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), guardedby.Analyzer, "deep")
}
