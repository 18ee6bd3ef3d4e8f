package hints_test

import (
	"strings"
	"testing"

	"github.com/synclens/synclens/docs"
	"github.com/synclens/synclens/hints"
	"github.com/synclens/synclens/hints/explain"
)

// TestGuideAnchors checks that every link synclens makes into its guide
// lands on a section, and that the check reference has no orphans: every
// check has a section in checks.md whose anchor is its code, every hover
// card's anchor exists, every analyzer URL names its section, and every check
// section of checks.md belongs to a registered check.
func TestGuideAnchors(t *testing.T) {
	anchors := map[string]docs.Section{}
	for _, s := range docs.Sections() {
		anchors[s.Anchor] = s
	}
	codes := map[string]bool{}
	for _, c := range hints.Checks() {
		code := c.Code()
		codes[code] = true
		s, ok := anchors[code]
		switch {
		case !ok:
			t.Errorf("check %s has no section with anchor {#%s} in docs/checks.md", code, code)
		case s.Page != "checks":
			t.Errorf("check %s: its anchor is on page %s, not checks", code, s.Page)
		}
		if !strings.HasSuffix(c.Analyzer.URL, "/docs/checks.md#"+code) {
			t.Errorf("check %s: Analyzer.URL %q does not name its section", code, c.Analyzer.URL)
		}
		if c.Analyzer.Doc == "" || !strings.HasPrefix(c.Analyzer.Doc, code+": ") {
			t.Errorf("check %s: Analyzer.Doc should start with %q", code, code+": ")
		}
	}
	for _, a := range explain.Anchors {
		if _, ok := anchors[a]; !ok {
			t.Errorf("hover cards link to #%s, which no guide section has", a)
		}
	}
	// Level-2 sections after "The checks" on the checks page are check
	// sections; each must be a registered check.
	inChecks := false
	for _, s := range docs.Sections() {
		if s.Page != "checks" {
			continue
		}
		if s.Anchor == "the-checks" {
			inChecks = true
			continue
		}
		if inChecks && s.Level == 2 && !codes[s.Anchor] {
			t.Errorf("docs/checks.md has a section #%s (%q) but no check has that code", s.Anchor, s.Title)
		}
	}
	if !inChecks {
		t.Errorf("docs/checks.md has no #the-checks section")
	}
}
