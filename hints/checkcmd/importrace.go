package checkcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/synclens/synclens/docs"
	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/evidence"
)

const importUsage = `usage: synclens import-race [-json] [-C dir] [-static=false] FILE...

Reads what Go's runtime saw go wrong and prints it at the lines of your code,
one finding per report, with the other stacks' frames indented below it:

  - data race reports of the race detector: the output of go test -race
    (plain or -json) or of a program built with -race;
  - leaked goroutines of Go 1.26's goroutine leak profile (a program or test
    built with GOEXPERIMENT=goroutineleakprofile that writes
    pprof.Lookup("goroutineleak") with debug=1 or debug=2, or the
    /debug/pprof/goroutineleak?debug=2 page).

FILE "-" is the standard input. Where synclens's checks find the same bug
statically, the finding says so and carries the check's fix (-json).
Nothing from the reports is run.

Exit status: 0 when there was nothing to report, 1 when something was, 2 on
an error.

Flags:
`

// ImportRace runs the import-race command with the arguments after
// "import-race".
func ImportRace(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import-race", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the findings as JSON (the same shape as synclens check -json)")
	dir := fs.String("C", "", "the module the reports come from (default: the current directory)")
	static := fs.Bool("static", true, "match the reports with synclens's own findings (loads and analyses the packages)")
	fs.Usage = func() {
		fmt.Fprint(stderr, importUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	wd := *dir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	wd, _ = filepath.Abs(wd)
	var reports []evidence.Report
	for _, name := range fs.Args() {
		rs, err := parseFile(name, stdin)
		if err != nil {
			fmt.Fprintln(stderr, "synclens import-race:", err)
			return 2
		}
		reports = append(reports, rs...)
	}
	diags, skipped, err := hints.ImportEvidence(context.Background(), hints.EvidenceConfig{Dir: wd, Static: *static}, reports)
	if err != nil {
		fmt.Fprintln(stderr, "synclens import-race:", err)
		return 2
	}
	if skipped > 0 {
		fmt.Fprintf(stderr, "synclens import-race: %d report(s) have no frame in %s (another module, or files not on this machine); not shown\n", skipped, wd)
	}
	if len(reports) == 0 {
		fmt.Fprintln(stderr, "synclens import-race: no data race report or leaked goroutine found in the input")
	}
	if *asJSON {
		out := toJSON(diags, wd)
		for i, d := range diags {
			if out[i].URL == "" {
				if sec, ok := docs.Lookup(d.Anchor()); ok && sec.Anchor == d.Anchor() {
					out[i].URL = "https://github.com/synclens/synclens/blob/main/docs/" + sec.Page + ".md#" + sec.Anchor
				}
			}
			out[i].Static = d.Static
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "synclens import-race:", err)
			return 2
		}
	} else {
		for _, d := range diags {
			fmt.Fprintf(stdout, "%s:%d:%d: %s [%s]\n", relative(wd, d.Pos.Filename), d.Pos.Line, d.Pos.Column, d.Message, d.Code)
			for _, r := range d.Related {
				fmt.Fprintf(stdout, "\t%s:%d:%d: %s\n", relative(wd, r.Pos.Filename), r.Pos.Line, r.Pos.Column, r.Message)
			}
		}
	}
	if len(diags) > 0 {
		return 1
	}
	return 0
}

func parseFile(name string, stdin io.Reader) ([]evidence.Report, error) {
	if name == "-" {
		return evidence.Parse(stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rs, err := evidence.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rs, nil
}
