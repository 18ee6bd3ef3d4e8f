package waitgroupmisuse_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/waitgroupmisuse"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), waitgroupmisuse.Analyzer, "a")
}

// TestFixes checks that every quick fix builds and silences its warning.
func TestFixes(t *testing.T) {
	checkFixes(t, waitgroupmisuse.Analyzer, "a")
}
