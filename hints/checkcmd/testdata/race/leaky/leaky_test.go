package leaky

import (
	"os"
	"runtime/pprof"
	"testing"
	"time"
)

// TestLeak writes the goroutine leak profile (debug=2) to the file named
// by $SYNCLENS_LEAK_PROFILE. It needs a build with
// GOEXPERIMENT=goroutineleakprofile (Go 1.26).
func TestLeak(t *testing.T) {
	out := os.Getenv("SYNCLENS_LEAK_PROFILE")
	if out == "" {
		t.Skip("SYNCLENS_LEAK_PROFILE is not set")
	}
	p := pprof.Lookup("goroutineleak")
	if p == nil {
		t.Skip("no goroutineleak profile: build with GOEXPERIMENT=goroutineleakprofile")
	}
	for range 3 {
		Fetch(true)
		First(func() int { return 1 }, func() int { return 2 })
	}
	time.Sleep(50 * time.Millisecond) // let the losers block
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.WriteTo(f, 2); err != nil {
		t.Fatal(err)
	}
}
