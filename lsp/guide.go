package lsp

import (
	"sync"

	"go.lsp.dev/uri"

	"github.com/synclens/synclens/docs"
	"github.com/synclens/synclens/hints"
)

// Links to the guide. Every diagnostic links to the guide section whose
// anchor is its code, and every hover card to the section it names, at
// docsBaseURL or, by default, in the local copy of the guide that
// docs.LocalCopy writes to the user cache directory.

var localCopy struct {
	once sync.Once
	dir  string
	err  error
}

// localGuideDir returns the directory of the local copy of the guide, writing
// it on first use.
func localGuideDir() (string, error) {
	localCopy.once.Do(func() {
		defer func() {
			if r := recover(); r != nil { // a broken embedded guide must not take the server down
				localCopy.err = &guideError{r}
			}
		}()
		localCopy.dir, localCopy.err = docs.LocalCopy()
	})
	return localCopy.dir, localCopy.err
}

type guideError struct{ v any }

func (e *guideError) Error() string { return "the embedded guide is broken" }

// docsBaseLocked returns the base URL of guide links ("" if there is none).
func (s *server) docsBaseLocked() string {
	if s.cfg.docsBaseURL != "" {
		return s.cfg.docsBaseURL
	}
	dir, err := localGuideDir()
	if err != nil {
		s.log.Warn("no local copy of the guide; links are left out", "error", err)
		return ""
	}
	return string(uri.File(dir))
}

// guideSection finds the guide section with exactly this anchor.
func guideSection(anchor string) (sec docs.Section, ok bool) {
	defer func() {
		if recover() != nil {
			sec, ok = docs.Section{}, false
		}
	}()
	sec, ok = docs.Lookup(anchor)
	return sec, ok && sec.Anchor == anchor
}

// guideURL returns the link to the section with the given anchor and its
// title. A check code without a section yet still links where its section
// belongs, the check reference page.
func guideURL(base, anchor string) (url, title string) {
	if base == "" || anchor == "" {
		return "", ""
	}
	if sec, ok := guideSection(anchor); ok {
		return docs.URL(base, sec), sec.Title
	}
	if hints.Lookup(anchor) != nil {
		return docs.URL(base, docs.Section{Page: "checks", Anchor: anchor}), anchor
	}
	return "", ""
}
