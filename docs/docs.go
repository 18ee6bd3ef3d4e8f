// Package docs holds the synclens guide, "Working with Threads", and serves
// it: as sections for hover cards and `synclens docs`, as HTML from
// [Handler], and as files on disk from [LocalCopy].
//
// The guide is the markdown in this directory, publishable as a Jekyll
// just-the-docs site as is. Every heading carries an explicit anchor,
// `## Mutexes {#locks}`, and anchors are unique across the guide, so that a
// [Section] is named by its anchor alone.
//
// # Adding a check section
//
// Each synclens check has a section in checks.md whose anchor is the check's
// code. Append it at the end of checks.md as a level-2 heading:
//
//	## unreleasedlock {#unreleasedlock}
//
// Put its wrong example under docs/examples/<topic>/<name>/ (a main package
// in the examples module) and embed it with a marker line followed by a
// fenced block holding the file byte for byte:
//
//	<!-- example: locks/unlockmissing/cache.go -->
//	```go
//	...the file...
//	```
//
// Right after the code block, document the warning with an output marker and
// a text block holding exactly what `synclens check ./<name>` prints when run
// in docs/examples/<topic>:
//
//	<!-- output: locks/unlockmissing -->
//	```text
//	unlockmissing/cache.go:14:2: ... [unreleasedlock]
//	```
//
// The tests in this package compare both blocks with reality, and require
// every example without an output marker to produce no warnings at all.
package docs

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// pageFS holds the guide's markdown pages.
//
//go:embed index.md introduction.md synchronization.md pitfalls.md checks.md
var pageFS embed.FS

// pageNames lists the pages in guide order.
var pageNames = []string{"index", "introduction", "synchronization", "pitfalls", "checks"}

// A Section is one heading of the guide and the text under it.
type Section struct {
	Page   string // page name without extension: "checks" for checks.md
	Anchor string // the heading's explicit anchor, unique across the guide
	Title  string // the heading's text, without markup
	Level  int    // 1 for #, 2 for ##, and so on
	Line   int    // 1-based line of the heading in the page file
}

// page is one parsed markdown page.
type page struct {
	name     string
	src      []byte            // the whole file, front matter included
	body     []byte            // src without front matter
	bodyLine int               // lines before body in src
	front    map[string]string // front matter keys
	sections []Section
}

var (
	loadOnce sync.Once
	pages    []*page
	loadErr  error
)

// load parses the embedded pages once. The tests make sure it cannot fail on
// the embedded content; a failure is reported by panicking in the accessors.
func load() []*page {
	loadOnce.Do(func() {
		for _, name := range pageNames {
			src, err := pageFS.ReadFile(name + ".md")
			if err != nil {
				loadErr = err
				return
			}
			p, err := parsePage(name, src)
			if err != nil {
				loadErr = err
				return
			}
			pages = append(pages, p)
		}
		seen := map[string]Section{}
		for _, p := range pages {
			for _, s := range p.sections {
				if prev, dup := seen[s.Anchor]; dup {
					loadErr = fmt.Errorf("docs: anchor %q in %s.md:%d already used in %s.md:%d", s.Anchor, s.Page, s.Line, prev.Page, prev.Line)
					return
				}
				seen[s.Anchor] = s
			}
		}
	})
	if loadErr != nil {
		panic(loadErr)
	}
	return pages
}

// splitFrontMatter separates a leading "---" front matter block from the
// markdown. It returns the flat key: value pairs, the body and the number of
// lines before the body.
func splitFrontMatter(src []byte) (map[string]string, []byte, int) {
	front := map[string]string{}
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return front, src, 0
	}
	rest := src[4:]
	lines := 1
	for len(rest) > 0 {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		lines++
		rest = after
		if string(line) == "---" {
			return front, rest, lines
		}
		if k, v, ok := strings.Cut(string(line), ":"); ok {
			v = strings.TrimSpace(v)
			v = strings.Trim(v, `"'`)
			front[strings.TrimSpace(k)] = v
		}
	}
	return map[string]string{}, src, 0 // unterminated: not front matter
}

func parsePage(name string, src []byte) (*page, error) {
	front, body, bodyLine := splitFrontMatter(src)
	p := &page{name: name, src: src, body: body, bodyLine: bodyLine, front: front}
	doc := newMarkdown().Parser().Parse(text.NewReader(body))
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		id, ok := h.AttributeString("id")
		anchor, isString := id.([]byte)
		line := bodyLine + 1
		if h.Lines().Len() > 0 {
			line += bytes.Count(body[:h.Lines().At(0).Start], []byte("\n"))
		}
		if !ok || !isString || len(anchor) == 0 {
			return ast.WalkStop, fmt.Errorf("docs: %s.md:%d: heading has no {#anchor}", name, line)
		}
		p.sections = append(p.sections, Section{
			Page:   name,
			Anchor: string(anchor),
			Title:  plainText(h, body),
			Level:  h.Level,
			Line:   line,
		})
		return ast.WalkSkipChildren, nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// plainText returns the text of an inline tree, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// Sections returns every section of the guide: pages in guide order (index,
// introduction, synchronization, pitfalls, checks), and each page's headings
// in document order.
func Sections() []Section {
	var all []Section
	for _, p := range load() {
		all = append(all, p.sections...)
	}
	return all
}

// Lookup finds a section by anchor or topic. An exact anchor wins; then
// "page#anchor" and "page.md#anchor"; then, ignoring case, spaces and
// punctuation, an anchor or title equal to the query ("wait group" finds
// #waitgroup). Otherwise it matches the query's words against the words of
// each title and anchor: every word equal beats every word a prefix, which
// beats the query run together appearing inside the title or anchor. Among
// equal matches, a higher-level heading wins, then the shorter title, then
// the earlier section.
func Lookup(anchorOrTopic string) (Section, bool) {
	all := Sections()
	q := strings.TrimSpace(anchorOrTopic)
	if q == "" {
		return Section{}, false
	}
	for _, s := range all {
		if s.Anchor == q {
			return s, true
		}
	}
	if pg, anchor, ok := strings.Cut(q, "#"); ok {
		if pg != "" {
			pg = strings.TrimSuffix(strings.TrimSuffix(path.Base(pg), ".md"), ".html")
		}
		for _, s := range all {
			if s.Anchor == anchor && (pg == "" || pg == s.Page) {
				return s, true
			}
		}
		return Section{}, false
	}
	nq := squash(q)
	if nq == "" {
		return Section{}, false
	}
	for _, s := range all {
		if squash(s.Anchor) == nq || squash(s.Title) == nq {
			return s, true
		}
	}
	words := strings.FieldsFunc(strings.ToLower(q), notAlnum)
	best, bestTier := Section{}, 0
	for _, s := range all {
		tier := matchTier(words, nq, s)
		if tier == 0 {
			continue
		}
		if bestTier == 0 || tier < bestTier ||
			tier == bestTier && (s.Level < best.Level ||
				s.Level == best.Level && len(s.Title) < len(best.Title)) {
			best, bestTier = s, tier
		}
	}
	return best, bestTier != 0
}

// matchTier rates how well query words match a section: 1 when each word is
// a word of the title or anchor (or its plural or singular), 2 when each is a prefix of one, 3 when the
// squashed query is inside the squashed title or anchor, and 0 otherwise.
func matchTier(words []string, squashed string, s Section) int {
	have := strings.FieldsFunc(strings.ToLower(s.Title+" "+s.Anchor), notAlnum)
	all := func(match func(w, h string) bool) bool {
		for _, w := range words {
			found := false
			for _, h := range have {
				if match(w, h) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return len(words) > 0
	}
	switch {
	case all(func(w, h string) bool { return w == h || w+"s" == h || w == h+"s" }):
		return 1
	case all(strings.HasPrefix):
		return 2
	case strings.Contains(squash(s.Title), squashed) || strings.Contains(squash(s.Anchor), squashed):
		return 3
	}
	return 0
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// squash lowercases s and drops everything but letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if !notAlnum(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text returns the markdown of a section, from its heading to the next
// heading of the same or a higher level, without the example and output
// marker comments. It returns "" for a section not in the guide.
func Text(s Section) string {
	for _, p := range load() {
		if p.name != s.Page {
			continue
		}
		for i, sec := range p.sections {
			if sec.Anchor != s.Anchor {
				continue
			}
			end := 0 // line after the section; 0 means end of file
			for _, next := range p.sections[i+1:] {
				if next.Level <= sec.Level {
					end = next.Line
					break
				}
			}
			lines := strings.SplitAfter(string(p.src), "\n")
			if end == 0 || end > len(lines) {
				end = len(lines) + 1
			}
			var b strings.Builder
			for _, l := range lines[sec.Line-1 : end-1] {
				if isMarker(l) {
					continue
				}
				b.WriteString(l)
			}
			return strings.TrimRight(b.String(), "\n") + "\n"
		}
	}
	return ""
}

// A marker is an example or output comment line that ties a code block to a
// file under docs/examples.
type marker struct {
	kind string // "example" or "output"
	path string // "locks/deferunlock/cache.go" or "locks/unlockmissing"
}

// parseMarker recognizes "<!-- example: path -->" and "<!-- output: path -->".
func parseMarker(line string) (marker, bool) {
	l := strings.TrimSpace(line)
	inner, ok := strings.CutPrefix(l, "<!--")
	if !ok {
		return marker{}, false
	}
	inner, ok = strings.CutSuffix(inner, "-->")
	if !ok {
		return marker{}, false
	}
	kind, p, ok := strings.Cut(strings.TrimSpace(inner), ":")
	if !ok || (kind != "example" && kind != "output") {
		return marker{}, false
	}
	p = strings.TrimSpace(p)
	if p == "" || strings.ContainsAny(p, " \t") {
		return marker{}, false
	}
	return marker{kind: kind, path: p}, true
}

func isMarker(line string) bool {
	_, ok := parseMarker(line)
	return ok
}

// URL returns the address of a section in the rendered guide: base, which is
// an http:// URL or a file:// URL of a [LocalCopy] directory, followed by
// "/<page>.html#<anchor>". A trailing slash on base is ignored.
func URL(base string, s Section) string {
	return strings.TrimSuffix(base, "/") + "/" + s.Page + ".html#" + s.Anchor
}
