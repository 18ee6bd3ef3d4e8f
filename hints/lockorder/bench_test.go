package lockorder_test

import (
	"testing"

	"github.com/synclens/synclens/hints/internal/benchtest"
	"github.com/synclens/synclens/hints/lockorder"
)

// BenchmarkRun measures the check alone, on top of a model already built.
func BenchmarkRun(b *testing.B) { benchtest.Run(b, lockorder.Analyzer) }
