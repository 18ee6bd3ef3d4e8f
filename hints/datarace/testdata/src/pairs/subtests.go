package pairs

import "testing"

// Parallel subtests share their parent's fixtures.

type fixture struct {
	runs int
}

// TestCases: the parallel subtests all count in one fixture.
func TestCases(t *testing.T) {
	f := &fixture{}
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f.runs++ // want "the parallel subtest run at line 15 writes `f\\.runs` here, and so does every other instance of it, with nothing ordering them: a data race"
		})
	}
}

// TestCasesSequential: without t.Parallel each subtest ends before the
// next starts.
func TestCasesSequential(t *testing.T) {
	f := &fixture{}
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			f.runs++
		})
	}
	if f.runs != 3 {
		t.Fatal(f.runs)
	}
}
