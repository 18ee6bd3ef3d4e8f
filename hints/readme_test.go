package hints_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synclens/synclens/hints"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the checks table of README.md")

// TestReadmeChecks keeps the README's table of checks equal to the registry.
func TestReadmeChecks(t *testing.T) {
	var b strings.Builder
	b.WriteString("| code | finds | severity | default |\n| --- | --- | --- | --- |\n")
	for _, c := range hints.Checks() {
		summary, _, _ := strings.Cut(strings.TrimPrefix(c.Analyzer.Doc, c.Code()+": "), "\n")
		def := "on"
		if !c.Default {
			def = "off"
		}
		fmt.Fprintf(&b, "| [`%s`](docs/checks.md#%s) | %s | %s | %s |\n", c.Code(), c.Code(), summary, c.Severity, def)
	}
	table := b.String()

	path := filepath.Join("..", "README.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- checks -->\n", "<!-- end checks -->\n"
	i, j := strings.Index(string(src), begin), strings.Index(string(src), end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q markers", begin, end)
	}
	current := string(src[i+len(begin) : j])
	if current == table {
		return
	}
	if *updateReadme {
		out := string(src[:i+len(begin)]) + table + string(src[j:])
		if err := os.WriteFile(path, []byte(out), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's checks table is out of date (go test ./hints -run TestReadmeChecks -update-readme):\nwant:\n%s\ngot:\n%s", table, current)
}
