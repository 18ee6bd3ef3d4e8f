package condmisuse_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/condmisuse"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), condmisuse.Analyzer, "a")
}

// TestFixes checks that every quick fix builds and silences its warning.
func TestFixes(t *testing.T) {
	checkFixes(t, condmisuse.Analyzer, "a")
}
