package rlockrecursion_test

import (
	"testing"

	"github.com/synclens/synclens/hints/internal/benchtest"
	"github.com/synclens/synclens/hints/rlockrecursion"
)

// BenchmarkRun measures the check alone, on top of a model already built.
func BenchmarkRun(b *testing.B) { benchtest.Run(b, rlockrecursion.Analyzer) }
