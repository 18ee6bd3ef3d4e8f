package docs

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns the goldmark configuration used for both parsing the
// sections and rendering: GFM, {#id} attributes on headings, links between
// pages rewritten from x.md#a to x.html#a, and raw HTML kept (the content is
// ours, and the marker captions are HTML).
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(mdLinks{}, 100)),
		),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
}

// mdLinks rewrites relative links to guide pages, "x.md#a", to "x.html#a".
type mdLinks struct{}

var mdLink = regexp.MustCompile(`^([A-Za-z0-9_-]+)\.md(#.*)?$`)

func (mdLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			if m := mdLink.FindSubmatch(l.Destination); m != nil {
				l.Destination = []byte(string(m[1]) + ".html" + string(m[2]))
			}
		}
		return ast.WalkContinue, nil
	})
}

// captions turns the example and output markers of a page into visible
// captions for the HTML page. Each caption is followed by a blank line so that
// the HTML block ends before the code block it labels.
func captions(body []byte) []byte {
	var b bytes.Buffer
	for _, line := range strings.SplitAfter(string(body), "\n") {
		m, ok := parseMarker(line)
		if !ok {
			b.WriteString(line)
			continue
		}
		switch m.kind {
		case "example":
			fmt.Fprintf(&b, "<div class=\"caption\">%s</div>\n\n", template.HTMLEscapeString("examples/"+m.path))
		case "output":
			dir, name, _ := strings.Cut(m.path, "/")
			fmt.Fprintf(&b, "<div class=\"caption output\">%s</div>\n\n", template.HTMLEscapeString(
				fmt.Sprintf("$ cd examples/%s && synclens check ./%s", dir, name)))
		}
	}
	return b.Bytes()
}

type navPage struct {
	Name, Title string
	Current     bool
	Sections    []Section // level-2 sections, for the current page
}

type pageData struct {
	Title   string
	Nav     []navPage
	Content template.HTML
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · synclens guide</title>
<style>
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-side: #f6f8fa; --link: #0b5cad; --code-bg: #f3f4f6; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; display: flex; min-height: 100vh; }
nav { flex: 0 0 260px; background: var(--bg-side); border-right: 1px solid var(--line); padding: 1.5rem 1rem; font-size: 14px; position: sticky; top: 0; align-self: flex-start; height: 100vh; overflow-y: auto; }
nav .book { color: var(--muted); text-transform: uppercase; letter-spacing: .05em; font-size: 12px; margin: 0 0 .25rem; }
nav .chapter { font-weight: 600; font-size: 16px; margin: 0 0 1rem; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li { margin: .15rem 0; }
nav li ul { margin: .25rem 0 .5rem .75rem; padding-left: .5rem; border-left: 2px solid var(--line); }
nav a { color: var(--fg); text-decoration: none; display: block; padding: .1rem .25rem; border-radius: 4px; }
nav a:hover { background: #eaeef2; }
nav a.current { font-weight: 600; color: var(--link); }
main { flex: 1; min-width: 0; max-width: 56rem; padding: 2rem 3rem 4rem; }
a { color: var(--link); }
h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 .75rem; }
h1 { font-size: 2rem; margin-top: 0; }
h2 { font-size: 1.5rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.2rem; }
h1 a.self, h2 a.self, h3 a.self, h4 a.self { visibility: hidden; margin-left: .4rem; color: var(--muted); text-decoration: none; font-weight: normal; }
h1:hover a.self, h2:hover a.self, h3:hover a.self, h4:hover a.self { visibility: visible; }
code { font: 0.875em/1.5 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; background: var(--code-bg); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; overflow-x: auto; margin: 0 0 1rem; tab-size: 4; -moz-tab-size: 4; font-size: 13.5px; line-height: 1.45; }
pre code { background: none; padding: 0; font-size: inherit; line-height: inherit; border-radius: 0; }
.caption { font: 12.5px/1.4 ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: var(--muted); background: #eaeef2; border: 1px solid var(--line); border-bottom: none; border-radius: 6px 6px 0 0; padding: .3rem 1rem; margin-top: 1rem; }
.caption + pre { border-radius: 0 0 6px 6px; }
.caption.output { background: #fff8c5; color: #6c5300; }
.caption.output + pre { background: #fffbe6; white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .7rem; text-align: left; }
th { background: var(--bg-side); }
:target { scroll-margin-top: 1rem; }
h1:target, h2:target, h3:target, h4:target { background: #fff8c5; }
@media (max-width: 800px) { body { display: block; } nav { position: static; height: auto; border-right: none; border-bottom: 1px solid var(--line); } main { padding: 1.5rem; } }
</style>
</head>
<body>
<nav>
<p class="book">Concurrency and Parallelism</p>
<p class="chapter"><a href="index.html">Working with Threads</a></p>
<ul>
{{- range .Nav}}
<li><a href="{{.Name}}.html"{{if .Current}} class="current"{{end}}>{{.Title}}</a>
{{- if .Sections}}
<ul>
{{- range .Sections}}
<li><a href="#{{.Anchor}}">{{.Title}}</a></li>
{{- end}}
</ul>
{{- end}}
</li>
{{- end}}
</ul>
</nav>
<main>
{{.Content}}
</main>
</body>
</html>
`))

// selfLinks adds a small "#" link to every heading that has an id.
var headingOpen = regexp.MustCompile(`<h([1-6]) id="([^"]+)">(.*)</h([1-6])>`)

func selfLinks(h []byte) []byte {
	return headingOpen.ReplaceAll(h, []byte(`<h$1 id="$2">$3<a class="self" href="#$2" aria-label="Link to this section">#</a></h$4>`))
}

var (
	renderOnce sync.Once
	rendered   map[string][]byte // page name -> HTML
)

// renderAll renders every page once.
func renderAll() map[string][]byte {
	renderOnce.Do(func() {
		ps := load()
		rendered = map[string][]byte{}
		md := newMarkdown()
		for _, p := range ps {
			var content bytes.Buffer
			if err := md.Convert(captions(p.body), &content); err != nil {
				panic(fmt.Sprintf("docs: rendering %s.md: %v", p.name, err))
			}
			data := pageData{Title: pageTitle(p), Content: template.HTML(selfLinks(content.Bytes()))}
			for _, q := range ps {
				np := navPage{Name: q.name, Title: pageTitle(q), Current: q == p}
				if q == p {
					for _, s := range q.sections {
						if s.Level == 2 {
							np.Sections = append(np.Sections, s)
						}
					}
				}
				data.Nav = append(data.Nav, np)
			}
			var out bytes.Buffer
			if err := pageTemplate.Execute(&out, data); err != nil {
				panic(fmt.Sprintf("docs: rendering %s.md: %v", p.name, err))
			}
			rendered[p.name] = out.Bytes()
		}
	})
	return rendered
}

func pageTitle(p *page) string {
	if t := p.front["title"]; t != "" {
		return t
	}
	if len(p.sections) > 0 {
		return p.sections[0].Title
	}
	return p.name
}

// Handler serves the guide as HTML: "/" and "/index.html" serve the
// chapter's index, and "/<page>.html" each page. Heading ids are the
// sections' anchors, so [URL] with the server's address as base links to a
// section.
func Handler() http.Handler {
	pages := renderAll()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		base, ok := strings.CutSuffix(name, ".html")
		body, found := pages[base]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		if r.Method == http.MethodHead {
			return
		}
		w.Write(body)
	})
}
