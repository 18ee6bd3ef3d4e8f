package leaky

import (
	"bytes"
	"fmt"
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
	const calls = 3
	for range calls {
		Fetch(true)
		First(func() int { return 1 }, func() int { return 2 })
	}
	// The losers leak once they block on their send: wait until the
	// profile (which runs the leak detector) counts all of them.
	want := fmt.Sprintf("goroutineleak profile: total %d\n", 2*calls)
	for deadline := time.Now().Add(time.Minute); ; {
		var b bytes.Buffer
		if err := p.WriteTo(&b, 1); err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(b.Bytes(), []byte(want)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the profile does not show the %d leaks:\n%s", 2*calls, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.WriteTo(f, 2); err != nil {
		t.Fatal(err)
	}
}
