package sharedcapture_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/sharedcapture"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), sharedcapture.Analyzer, "a")
}
