package checkcmd

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/synclens/synclens/docs"
	"github.com/synclens/synclens/hints"
)

// SARIF 2.1.0 (OASIS), the format GitHub code scanning reads. Only the
// parts synclens fills are declared; the test validates the output against
// the standard's JSON schema.

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// srcRoot is the base the results' relative paths are resolved against.
	srcRoot = "%SRCROOT%"
	repoURL = "https://github.com/synclens/synclens"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version"`
	SemanticVersion string      `json:"semanticVersion"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      sarifMessage    `json:"fullDescription"`
	HelpURI              string          `json:"helpUri"`
	Help                 *sarifMessage   `json:"help,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion `json:"deletedRegion"`
	InsertedContent sarifContent    `json:"insertedContent"`
}

type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifContent struct {
	Text string `json:"text"`
}

func sarifLevel(s hints.Severity) string {
	switch s {
	case hints.SeverityError:
		return "error"
	case hints.SeverityWarning:
		return "warning"
	}
	return "note"
}

// sarifRules describes every check that reports findings (fix-only
// checks print nothing): its summary, its documentation, and its section
// of the guide as help URI.
func sarifRules() ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := make(map[string]int)
	for _, c := range hints.Checks() {
		if c.FixOnly {
			continue
		}
		doc := c.Analyzer.Doc
		summary, rest, _ := strings.Cut(doc, "\n")
		summary = strings.TrimSpace(strings.TrimPrefix(summary, c.Code()+":"))
		r := sarifRule{
			ID:                   c.Code(),
			ShortDescription:     sarifMessage{Text: summary},
			FullDescription:      sarifMessage{Text: strings.TrimSpace(rest)},
			HelpURI:              c.Analyzer.URL,
			DefaultConfiguration: sarifRuleConfig{Enabled: c.Default, Level: sarifLevel(c.Severity)},
			Properties:           map[string]any{"tags": []string{"concurrency"}},
		}
		if r.FullDescription.Text == "" {
			r.FullDescription.Text = summary
		}
		if sec, ok := docs.Lookup(c.Code()); ok && sec.Anchor == c.Code() {
			r.Help = &sarifMessage{Text: "The guide's section " + sec.Title + ": " + c.Analyzer.URL, Markdown: docs.Text(sec)}
		}
		index[r.ID] = len(rules)
		rules = append(rules, r)
	}
	return rules, index
}

// writeSARIF writes the findings as a SARIF log with one run. Paths are
// relative to wd (the %SRCROOT% base) when under it, file URIs otherwise;
// columns count Unicode code points, as SARIF requires, not bytes.
func writeSARIF(w io.Writer, diags []hints.Diagnostic, wd string, notes []string, ok bool) error {
	rules, index := sarifRules()
	cols := columnCounter{files: make(map[string][]byte)}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "synclens", Version: hints.Version, SemanticVersion: hints.Version,
			InformationURI: repoURL, Rules: rules,
		}},
		Invocations:        []sarifInvocation{{ExecutionSuccessful: ok}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{srcRoot: {URI: dirURI(wd)}},
		Results:            []sarifResult{},
		ColumnKind:         "unicodeCodePoints",
	}
	for _, n := range notes {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: n}})
	}
	for _, d := range diags {
		i, known := index[d.Code]
		if !known {
			continue
		}
		res := sarifResult{
			RuleID: d.Code, RuleIndex: i, Level: sarifLevel(d.Severity),
			Message:   sarifMessage{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: cols.physical(wd, d.Pos.Filename, d.Pos.Offset, d.End.Offset, d.Pos.Line, d.End.Line)}},
		}
		for j, r := range d.Related {
			id := j + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: cols.physical(wd, r.Pos.Filename, r.Pos.Offset, r.End.Offset, r.Pos.Line, r.End.Line),
				Message:          &sarifMessage{Text: r.Message},
			})
		}
		for _, f := range d.Fixes {
			if f.Annotation {
				continue // a SARIF fix repairs the result; an annotation does not
			}
			fix := sarifFix{Description: sarifMessage{Text: f.Title}}
			byFile := make(map[string]int) // file -> index in ArtifactChanges
			for _, e := range f.Edits {
				k, seen := byFile[e.Filename]
				if !seen {
					k = len(fix.ArtifactChanges)
					byFile[e.Filename] = k
					fix.ArtifactChanges = append(fix.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(wd, e.Filename)})
				}
				fix.ArtifactChanges[k].Replacements = append(fix.ArtifactChanges[k].Replacements, sarifReplacement{
					DeletedRegion:   sarifByteRegion{ByteOffset: e.Start, ByteLength: e.End - e.Start},
					InsertedContent: sarifContent{Text: e.NewText},
				})
			}
			res.Fixes = append(res.Fixes, fix)
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// dirURI is the file URI of a directory, with the trailing slash SARIF
// requires of a base URI.
func dirURI(dir string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // C:/x on Windows
	}
	s := u.String()
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}

func artifact(wd, name string) sarifArtifactLoc {
	if rel := relative(wd, name); rel != name {
		return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: strings.TrimSuffix(dirURI(name), "/")}
}

// columnCounter converts byte offsets to 1-based code point columns.
type columnCounter struct {
	files map[string][]byte
}

func (c columnCounter) column(name string, offset int) int {
	src, ok := c.files[name]
	if !ok {
		src, _ = os.ReadFile(name)
		c.files[name] = src
	}
	if offset > len(src) {
		offset = len(src)
	}
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	return utf8.RuneCount(src[start:offset]) + 1
}

func (c columnCounter) physical(wd, name string, start, end, line, endLine int) sarifPhysical {
	if endLine < line {
		endLine = line
	}
	return sarifPhysical{
		ArtifactLocation: artifact(wd, name),
		Region: sarifRegion{
			StartLine: line, StartColumn: c.column(name, start),
			EndLine: endLine, EndColumn: c.column(name, max(start, end)),
		},
	}
}
