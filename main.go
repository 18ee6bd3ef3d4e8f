// Command synclens explains and guards Go concurrency: a language server for
// editors, and the same checks on the command line.
//
//	synclens [serve]          language server over stdio (what editors run)
//	synclens check [packages] run the checks, like go vet
//	synclens import-race FILE show go test -race reports and leaked goroutines at their lines
//	synclens docs [topic]     read the guide "Working with Threads"
//	synclens version
//
// It also runs as a vet tool: go vet -vettool=$(which synclens) ./...
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/synclens/synclens/docs"
	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/checkcmd"
	"github.com/synclens/synclens/lsp"
)

const usage = `synclens explains and guards Go concurrency.

usage:
	synclens [serve]            run the language server over stdio
	synclens check [packages]   run the checks on packages (see synclens check -h)
	synclens import-race FILE   show race reports and leaked goroutines at their lines (see -h)
	synclens docs [topic]       read the guide "Working with Threads" (see synclens docs -h)
	synclens version            print the version
`

func main() {
	args := os.Args[1:]
	if vetTool(args) {
		unitchecker.Main(hints.Analyzers()...) // does not return
	}
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch {
	case isHelp(cmd):
		cmd = "help"
	case strings.HasPrefix(cmd, "-"):
		// "synclens --stdio": a client configured to run synclens itself
		// adds its transport flags; they are serve's.
		cmd, args = "serve", append([]string{cmd}, args...)
	}
	switch cmd {
	case "", "serve":
		os.Exit(lsp.Main(args, os.Stdin, os.Stdout, os.Stderr))
	case "check":
		os.Exit(checkcmd.Main(args, os.Stdout, os.Stderr))
	case "import-race":
		os.Exit(checkcmd.ImportRace(args, os.Stdin, os.Stdout, os.Stderr))
	case "docs":
		os.Exit(docs.Main(args, os.Stdout, os.Stderr))
	case "version":
		fmt.Println("synclens", hints.Version)
	case "help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "synclens: unknown command %q\n%s", cmd, usage)
		os.Exit(2)
	}
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// vetTool reports whether go vet runs synclens as its -vettool: it asks for
// the version and flags, then passes a .cfg file per package.
func vetTool(args []string) bool {
	for _, a := range args {
		if a == "-flags" || strings.HasPrefix(a, "-V=") || strings.HasSuffix(a, ".cfg") {
			return true
		}
	}
	return false
}
