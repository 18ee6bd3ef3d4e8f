package doublelock_test

import (
	"testing"

	"github.com/synclens/synclens/hints/doublelock"
	"github.com/synclens/synclens/hints/internal/benchtest"
)

// BenchmarkRun measures the check alone, on top of a model already built.
func BenchmarkRun(b *testing.B) { benchtest.Run(b, doublelock.Analyzer) }
