package chanleak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/chanleak"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), chanleak.Analyzer, "a", "b")
}

// TestFixes checks that every quick fix builds and silences its warning.
func TestFixes(t *testing.T) {
	checkFixes(t, chanleak.Analyzer, "a")
	checkFixes(t, chanleak.Analyzer, "b")
}
