package lockstarvation_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/lockstarvation"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockstarvation.Analyzer, "a")
}
