package hints_test

import (
	"bytes"
	"context"
	"errors"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/synclens/synclens/hints"
)

// fuzzImports are the packages a fuzzed file may import: the ones the checks
// know about.
const fuzzBase = `package a

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

var (
	_ = context.Background
	_ = errors.New
	_ = fmt.Sprint
	_ sync.Mutex
	_ atomic.Int64
	_ = time.Now
)
`

var fuzzPkg = sync.OnceValues(func() (*hints.Package, error) {
	dir, err := os.MkdirTemp("", "synclens-fuzz")
	if err != nil {
		return nil, err
	}
	for name, text := range map[string]string{"go.mod": "module example.com/a\n\ngo 1.26\n", "a.go": fuzzBase} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	pkgs, err := hints.Load(context.Background(), hints.LoadConfig{Dir: dir}, ".")
	if err != nil {
		return nil, err
	}
	if len(pkgs) != 1 {
		return nil, errors.New("want one package")
	}
	return pkgs[0], nil
})

// FuzzAnalyze runs the whole path a file takes in the editor on arbitrary
// source: parse, type-check (under the recover), model, every check, a
// hover at every token, and every quick fix applied alone. Nothing may
// panic (an analyzer's recovered panic counts as a failure), and every fix
// must apply; on a file without errors, the fixed file must still parse.
func FuzzAnalyze(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("*", "testdata", "src", "*", "*.go"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(lockBug))
	f.Add([]byte(crasher))
	f.Add([]byte("package a\n\n//line x.go:90000\nfunc F() {}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		base, err := fuzzPkg()
		if err != nil {
			t.Skipf("cannot load the fuzz package: %v", err)
		}
		name := base.Filenames[0]
		pkg, err := base.Reparse(map[string][]byte{name: src})
		if err != nil {
			return // other imports, or not a file of this package
		}
		all := func(string) bool { return true }
		res := hints.Analyze(pkg, all)
		for _, e := range res.Errors {
			var pe *hints.PanicError
			if errors.As(e, &pe) {
				t.Fatalf("%v\n%s", e, pe.Stack)
			}
		}
		// A hover at the start and the end of every token (every offset
		// would make a fuzz execution quadratic in the file).
		var sc scanner.Scanner
		tf := token.NewFileSet().AddFile(name, -1, len(src))
		sc.Init(tf, src, nil, scanner.ScanComments)
		for {
			pos, tok, lit := sc.Scan()
			if tok == token.EOF {
				break
			}
			off := tf.Offset(pos)
			res.Hover(name, off)
			res.Hover(name, off+max(len(lit), len(tok.String())))
		}
		res.Hover(name, len(src))
		for _, d := range append(res.Diagnostics, res.Actions...) {
			for _, fix := range d.Fixes {
				var edits []hints.Edit
				for _, e := range fix.Edits {
					if e.Filename != name {
						t.Fatalf("%s: fix %q edits another file %s", d.Message, fix.Title, e.Filename)
					}
					edits = append(edits, e)
				}
				out, err := hints.ApplyEdits(src, edits)
				if err != nil {
					t.Fatalf("%s: fix %q: %v", d.Message, fix.Title, err)
				}
				if len(pkg.Errors) == 0 {
					if _, err := parser.ParseFile(token.NewFileSet(), name, out, 0); err != nil && !bytes.Equal(out, src) {
						t.Fatalf("%s: after fix %q the file does not parse: %v\n%s", d.Message, fix.Title, err, out)
					}
				}
			}
		}
	})
}
