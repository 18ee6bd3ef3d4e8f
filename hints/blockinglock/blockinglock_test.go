package blockinglock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/blockinglock"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), blockinglock.Analyzer, "a")
}
