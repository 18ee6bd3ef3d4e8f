package explain_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/synclens/synclens/hints"
)

// TestInlays renders testdata/inlays with every inlay hint (all kinds on)
// inserted as ‹label› and compares it with testdata/inlays.golden, which
// shows the must-label and the must-not-label statements side by side.
func TestInlays(t *testing.T) {
	pkg, res := loadTestdata(t, "inlays")
	var out bytes.Buffer
	for _, name := range pkg.Filenames {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		all := func(hints.InlayKind) bool { return true }
		last := 0
		for _, h := range res.InlayHints(name, 0, len(src), all) {
			if h.Offset < last || h.Offset > len(src) {
				t.Fatalf("hint %q at offset %d out of order or range", h.Label, h.Offset)
			}
			if h.Label == "" || h.Tooltip == "" || h.Doc == "" {
				t.Errorf("hint at offset %d lacks a label, tooltip or guide anchor: %+v", h.Offset, h)
			}
			out.Write(src[last:h.Offset])
			fmt.Fprintf(&out, " ‹%s›", h.Label)
			last = h.Offset
		}
		out.Write(src[last:])

		// A range selects the hints inside it.
		mid := bytes.Index(src, []byte("func Fan("))
		for _, h := range res.InlayHints(name, mid, len(src), all) {
			if h.Offset < mid {
				t.Errorf("hint %q at %d is before the range start %d", h.Label, h.Offset, mid)
			}
		}
		if got := res.InlayHints(name, 0, len(src), func(k hints.InlayKind) bool { return false }); len(got) != 0 {
			t.Errorf("no kind enabled: got %d hints", len(got))
		}
	}
	compareGolden(t, filepath.Join("testdata", "inlays.golden"), out.Bytes())
}

func loadTestdata(t *testing.T, name string) (*hints.Package, *hints.Result) {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("testdata", name))
	pkgs, err := hints.Load(context.Background(), hints.LoadConfig{Dir: dir}, ".")
	if err != nil || len(pkgs) != 1 {
		t.Fatalf("load: %v (%d packages)", err, len(pkgs))
	}
	pkg := pkgs[0]
	if len(pkg.Errors) > 0 {
		t.Fatalf("testdata does not type-check: %v", pkg.Errors)
	}
	res := hints.Analyze(pkg, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("analysis failed: %v", res.Errors)
	}
	return pkg, res
}

func compareGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("output differs from %s; run go test -update and review the diff:\n%s", golden, got)
	}
}
