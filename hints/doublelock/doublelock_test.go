package doublelock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/doublelock"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), doublelock.Analyzer, "a", "b")
}
