package datarace_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/datarace"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), datarace.Analyzer, "a", "pairs")
}
