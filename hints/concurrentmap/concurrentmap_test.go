package concurrentmap_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/concurrentmap"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), concurrentmap.Analyzer, "a")
}
