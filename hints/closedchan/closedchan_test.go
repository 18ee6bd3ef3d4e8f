package closedchan_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/closedchan"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), closedchan.Analyzer, "a")
}
