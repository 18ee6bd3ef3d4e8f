package explain_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestCards renders the card of every //hover:TOKEN marker in testdata/cards
// and compares them with testdata/cards.golden.
func TestCards(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("testdata", "cards"))
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
	var out bytes.Buffer
	for _, name := range pkg.Filenames {
		src, _ := os.ReadFile(name)
		sc := bufio.NewScanner(bytes.NewReader(src))
		offset := 0
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			if i := strings.Index(text, "//hover:"); i >= 0 {
				code := text[:i]
				for _, tok := range strings.Split(text[i+len("//hover:"):], ",") {
					col := strings.Index(code, tok)
					if col < 0 {
						t.Fatalf("line %d: no %q before the marker", line, tok)
					}
					fmt.Fprintf(&out, "-- %s:%d %s --\n", filepath.Base(name), line, tok)
					h := res.Hover(name, offset+col)
					if h == nil {
						out.WriteString("(no card)\n")
						continue
					}
					fmt.Fprintf(&out, "range %q, guide #%s\n%s", src[h.Start:h.End], h.Doc, h.Markdown)
				}
			}
			offset += len(text) + 1
		}
	}
	golden := filepath.Join("testdata", "cards.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		t.Errorf("cards differ from %s; run go test -update and review the diff:\n%s", golden, out.String())
	}
}
