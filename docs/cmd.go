package docs

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Main runs the `synclens docs` subcommand and returns its exit code. args
// are the arguments after "docs".
//
//	synclens docs                      list every section: anchor and title
//	synclens docs <code-or-topic>      print one section as markdown
//	synclens docs -http localhost:6060 serve the guide as HTML until interrupted
//
// It exits 0 on success, 1 when no section matches, and 2 on a usage error
// or when the server cannot start.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synclens docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("http", "", "serve the guide as HTML on `address`, such as localhost:6060")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: synclens docs [-http address] [code-or-topic]

With no argument, lists the sections of the guide. With a check code, anchor or
topic ("unreleasedlock", "rwmutex", "wait group"), prints that section. With
-http, serves the guide as HTML until interrupted.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	switch {
	case *addr != "":
		if fs.NArg() > 0 {
			fmt.Fprintln(stderr, "synclens docs: -http takes no other arguments")
			return 2
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return serve(ctx, *addr, stdout, stderr)
	case fs.NArg() == 0:
		list(stdout)
		return 0
	default:
		query := strings.Join(fs.Args(), " ")
		s, ok := Lookup(query)
		if !ok {
			fmt.Fprintf(stderr, "synclens docs: no section matches %q\n", query)
			if near := closest(query, 5); len(near) > 0 {
				fmt.Fprintf(stderr, "closest anchors: %s\n", strings.Join(near, ", "))
			}
			fmt.Fprintln(stderr, "run 'synclens docs' to list every section")
			return 1
		}
		fmt.Fprint(stdout, Text(s))
		return 0
	}
}

// list prints every section, page by page, indented by level.
func list(w io.Writer) {
	width := 0
	for _, s := range Sections() {
		if n := 2*(s.Level-1) + len(s.Anchor); n > width {
			width = n
		}
	}
	page := ""
	for _, s := range Sections() {
		if s.Page != page {
			if page != "" {
				fmt.Fprintln(w)
			}
			page = s.Page
			fmt.Fprintf(w, "%s.md\n", page)
		}
		indent := strings.Repeat("  ", s.Level-1)
		fmt.Fprintf(w, "  %-*s  %s\n", width, indent+s.Anchor, s.Title)
	}
}

// serve serves Handler on addr until ctx is done.
func serve(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "synclens docs: %v\n", err)
		return 2
	}
	srv := &http.Server{Handler: Handler(), ReadHeaderTimeout: 10 * time.Second}
	host := ln.Addr().String()
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsUnspecified() {
		host = net.JoinHostPort("localhost", fmt.Sprint(a.Port)) // listening on all addresses
	}
	fmt.Fprintf(stdout, "serving the guide at http://%s/\n", host)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "synclens docs: %v\n", err)
		return 2
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		return 0
	}
}

// closest returns up to n anchors nearest to query by edit distance.
func closest(query string, n int) []string {
	q := strings.ToLower(query)
	type cand struct {
		anchor string
		d      int
	}
	var cs []cand
	for _, s := range Sections() {
		d := distance(q, s.Anchor)
		if strings.Contains(s.Anchor, q) || strings.Contains(q, s.Anchor) {
			d = min(d, 1)
		}
		cs = append(cs, cand{s.Anchor, d})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.anchor)
	}
	return out
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
