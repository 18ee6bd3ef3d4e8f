package checkcmd_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/synclens/synclens/hints"
)

// sarifSchema compiles the SARIF 2.1.0 schema in testdata.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	const url = "https://json.schemastore.org/sarif-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validSARIF(t *testing.T, schema *jsonschema.Schema, out string) map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
	var log map[string]any
	json.Unmarshal([]byte(out), &log)
	return log
}

// TestSARIF checks -sarif output against the SARIF 2.1.0 schema, and what
// GitHub code scanning shows from it: a rule per check with its guide
// section as help URI, results at the right region with related locations
// and fixes.
func TestSARIF(t *testing.T) {
	schema := sarifSchema(t)
	// The schema is strict enough to catch a malformed log.
	if inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`)); schema.Validate(inst) == nil {
		t.Fatal("a driver without a name validates: the schema is not being applied")
	}

	out, stderr, code := run(t, "-sarif", "-C", mod(t), "./buggy", "./clean")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	log := validSARIF(t, schema, out)
	var got struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID               string
						HelpURI          string `json:"helpUri"`
						ShortDescription struct{ Text string }
						Help             struct{ Markdown string }
					}
				}
			}
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
						Region struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				RelatedLocations []struct {
					Message          struct{ Text string }
					PhysicalLocation struct {
						Region struct{ StartLine int }
					}
				}
				Fixes []struct {
					Description     struct{ Text string }
					ArtifactChanges []struct {
						Replacements []struct {
							DeletedRegion   struct{ ByteOffset, ByteLength int }
							InsertedContent struct{ Text string }
						}
					}
				}
			}
		}
	}
	b, _ := json.Marshal(log)
	if err := json.Unmarshal(b, &got); err != nil || len(got.Runs) != 1 {
		t.Fatalf("unexpected shape (%v): %s", err, out)
	}
	r := got.Runs[0]
	if r.Tool.Driver.Name != "synclens" {
		t.Errorf("driver %q", r.Tool.Driver.Name)
	}
	// Every check that reports has a rule linking to its guide section.
	rules := make(map[string]int)
	for i, rule := range r.Tool.Driver.Rules {
		rules[rule.ID] = i
		if !strings.HasSuffix(rule.HelpURI, "/docs/checks.md#"+rule.ID) || rule.ShortDescription.Text == "" || !strings.Contains(rule.Help.Markdown, "{#"+rule.ID+"}") {
			t.Errorf("rule %s: help %q, summary %q, markdown %.40q", rule.ID, rule.HelpURI, rule.ShortDescription.Text, rule.Help.Markdown)
		}
	}
	for _, c := range hints.Checks() {
		if _, ok := rules[c.Code()]; ok == c.FixOnly {
			t.Errorf("check %s: in the rules %v, fix-only %v", c.Code(), ok, c.FixOnly)
		}
	}
	if base := r.OriginalURIBaseIDs["%SRCROOT%"].URI; base != "file://"+filepath.ToSlash(mod(t))+"/" {
		t.Errorf("%%SRCROOT%% = %q", base)
	}
	if len(r.Results) != 1 {
		t.Fatalf("%d results, want 1 (the buggy package's)", len(r.Results))
	}
	res := r.Results[0]
	loc := res.Locations[0].PhysicalLocation
	if res.RuleID != "unreleasedlock" || r.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID || res.Level != "warning" ||
		loc.ArtifactLocation.URI != "buggy/buggy.go" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		loc.Region != (struct{ StartLine, StartColumn, EndLine, EndColumn int }{12, 2, 12, 13}) {
		t.Errorf("result = %+v", res)
	}
	if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].PhysicalLocation.Region.StartLine != 14 || res.RelatedLocations[0].Message.Text == "" {
		t.Errorf("related locations = %+v", res.RelatedLocations)
	}
	// The fix as SARIF replacements, equal to the -json edits.
	js, _, _ := run(t, "-json", "-C", mod(t), "./buggy")
	var jd []struct {
		Fixes []struct {
			Title string
			Edits []struct {
				Start, End int
				NewText    string
			}
		}
	}
	json.Unmarshal([]byte(js), &jd)
	if len(res.Fixes) != 1 || len(jd) != 1 || res.Fixes[0].Description.Text != jd[0].Fixes[0].Title {
		t.Fatalf("fixes = %+v, -json %+v", res.Fixes, jd)
	}
	reps := res.Fixes[0].ArtifactChanges[0].Replacements
	for i, e := range jd[0].Fixes[0].Edits {
		if reps[i].DeletedRegion.ByteOffset != e.Start || reps[i].DeletedRegion.ByteLength != e.End-e.Start || reps[i].InsertedContent.Text != e.NewText {
			t.Errorf("replacement %d = %+v, edit %+v", i, reps[i], e)
		}
	}

	// A clean package: a valid log with no result, exit 0.
	out, _, code = run(t, "-sarif", "-C", mod(t), "./clean")
	if code != 0 || !bytes.Contains([]byte(out), []byte(`"results": []`)) {
		t.Errorf("clean: exit %d\n%s", code, out)
	}
	validSARIF(t, schema, out)

	if _, stderr, code := run(t, "-sarif", "-json", "-C", mod(t), "./clean"); code != 2 || !strings.Contains(stderr, "exclusive") {
		t.Errorf("-sarif -json: exit %d, %s", code, stderr)
	}
}
