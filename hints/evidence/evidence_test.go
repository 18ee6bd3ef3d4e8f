package evidence

import (
	"os"
	"strings"
	"testing"
)

// The testdata files are real output: go test -race (plain and -json) of a
// field written by a goroutine and read by its starter, and the
// goroutineleak profile (debug=1 and debug=2) of goroutines blocked on a
// send nobody receives, from Go 1.26.

func parseFile(t *testing.T, name string) []Report {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRace(t *testing.T) {
	for _, name := range []string{"testdata/race.txt", "testdata/race.json"} {
		t.Run(name, func(t *testing.T) {
			rs := parseFile(t, name)
			if len(rs) != 1 {
				t.Fatalf("%d reports, want 1: %+v", len(rs), rs)
			}
			r := rs[0]
			if r.Kind != Race || r.Count != 1 || len(r.Stacks) != 4 {
				t.Fatalf("report = %+v", r)
			}
			acc, prev, c1, c2 := r.Stacks[0], r.Stacks[1], r.Stacks[2], r.Stacks[3]
			if acc.Role != Access || acc.Op != "write" || acc.Goroutine != 9 {
				t.Errorf("access = %+v", acc)
			}
			if got := acc.Frames; len(got) != 2 || got[0] != (Frame{"race.(*C).Inc", "/tmp/extras-race/c.go", 11}) || got[1].Func != "race.Run.func1" || got[1].Line != 26 {
				t.Errorf("access frames = %+v", got)
			}
			if prev.Role != PrevAccess || prev.Op != "read" || prev.Goroutine != 8 || len(prev.Frames) != 5 || prev.Frames[0].Func != "race.(*C).Get" {
				t.Errorf("previous access = %+v", prev)
			}
			if c1.Role != Created || c1.Goroutine != 9 || c1.Frames[0] != (Frame{"race.Run", "/tmp/extras-race/c.go", 24}) {
				t.Errorf("creation of goroutine 9 = %+v", c1)
			}
			if c2.Role != Created || c2.Goroutine != 8 || c2.Frames[len(c2.Frames)-1] != (Frame{"main.main", "_testmain.go", 46}) {
				t.Errorf("creation of goroutine 8 = %+v", c2)
			}
		})
	}
}

func TestLeakDebug1(t *testing.T) {
	rs := parseFile(t, "testdata/leak1.txt")
	if len(rs) != 1 {
		t.Fatalf("%d reports, want 1: %+v", len(rs), rs)
	}
	r := rs[0]
	if r.Kind != Leak || r.Count != 2 || len(r.Stacks) != 1 || r.Stacks[0].Role != Blocked {
		t.Fatalf("report = %+v", r)
	}
	if got := r.Stacks[0].Frames; len(got) != 1 || got[0] != (Frame{"leak.Leak.func1", "/tmp/extras-leak/leak.go", 6}) {
		t.Errorf("frames = %+v", got)
	}
}

// TestLeakDebug2 reads a profile that lists every goroutine: only the
// leaked ones are reports, each with where it blocks and where it started.
func TestLeakDebug2(t *testing.T) {
	rs := parseFile(t, "testdata/leak2.txt")
	if len(rs) != 6 {
		t.Fatalf("%d reports, want 6 (3 calls of Fetch and First, one leak each)", len(rs))
	}
	for _, r := range rs {
		if r.Kind != Leak || r.Count != 1 || r.State != "chan send" || len(r.Stacks) != 2 {
			t.Fatalf("report = %+v", r)
		}
		b, c := r.Stacks[0], r.Stacks[1]
		if b.Role != Blocked || len(b.Frames) != 1 || !strings.HasSuffix(b.Frames[0].File, "leaky/leaky.go") {
			t.Errorf("blocked stack = %+v", b)
		}
		if c.Role != Created || len(c.Frames) != 1 || c.Frames[0].Line != b.Frames[0].Line || !strings.HasPrefix(c.Header, "created by example.com/race/leaky.") {
			t.Errorf("creation = %+v (blocked at %+v)", c, b.Frames)
		}
	}
}

// TestNoise: other output, goroutine dumps without leaks, truncated
// reports and garbage give no report or a partial one, never an error.
func TestNoise(t *testing.T) {
	race, _ := os.ReadFile("testdata/race.txt")
	cut := string(race[:strings.Index(string(race), "Previous read")])
	for _, tc := range []struct {
		name, in string
		want     int
	}{
		{"empty", "", 0},
		{"test output", "=== RUN   TestX\n--- PASS: TestX (0.00s)\nok  \tx\t0.01s\n", 0},
		{"panic dump", "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1d\nexit status 2\n", 0},
		{"truncated race", cut, 1},
		{"header only", "WARNING: DATA RACE\n", 0},
		{"binary", "\x00\x01\x02{\"Output\": 3}\n{not json\n", 0},
		{"long line", strings.Repeat("x", 1<<20) + "\n", 0},
	} {
		rs, err := Parse(strings.NewReader(tc.in))
		if err != nil || len(rs) != tc.want {
			t.Errorf("%s: %d reports, error %v; want %d", tc.name, len(rs), err, tc.want)
		}
	}
}
