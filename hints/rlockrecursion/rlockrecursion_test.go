package rlockrecursion_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/synclens/synclens/hints/rlockrecursion"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), rlockrecursion.Analyzer, "a")
}
