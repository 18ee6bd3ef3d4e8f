package lostcancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/lostcancel"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostcancel.Analyzer, "a")
}
