package blockinglock_test

import (
	"testing"

	"github.com/synclens/synclens/hints/blockinglock"
	"github.com/synclens/synclens/hints/internal/benchtest"
)

// BenchmarkRun measures the check alone, on top of a model already built.
func BenchmarkRun(b *testing.B) { benchtest.Run(b, blockinglock.Analyzer) }
