package lockstarvation_test

import (
	"testing"

	"github.com/synclens/synclens/hints/internal/benchtest"
	"github.com/synclens/synclens/hints/lockstarvation"
)

// BenchmarkRun measures the check alone, on top of a model already built.
func BenchmarkRun(b *testing.B) { benchtest.Run(b, lockstarvation.Analyzer) }
