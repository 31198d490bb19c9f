package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/policy"
)

// ciMeta is the METADATA of the sample's rules, as the policy gives it.
var ciMeta = Meta{Version: "v1.2.3", Rules: []policy.Rule{
	{ID: "EAR-742.6-DEST", Title: "Destination licence", Description: "A license is required for 3A090 items to the destination. It says which policy.", Citation: "15 CFR 742.6(a)(6)(i)"},
	{ID: "EAR-742.6-HQ", Description: "A license is required for a party headquartered in a listed country.", Citation: "15 CFR 742.6(a)(6)(iii)(A)"},
	{ID: "EAR-732-RED-FLAG", Description: "A red flag needs review.", Citation: "15 CFR Part 732, Supp. 3"},
	{ID: "ECCN-UNKNOWN", Description: "The item could not be classified.", Citation: "15 CFR 774"},
	{ID: "NO-LICENSE-REQUIRED", Description: "No license is required.", Citation: "15 CFR 742.6(a)(6)"},
}}

// ciResults is a run with denies, reviews, an allow, a record that could
// not be judged, input problems, and text that every format must escape.
func ciResults() []any {
	var out []any
	out = append(out,
		Problem{ProblemDetail{File: "bad.yaml", Line: 3, Field: "items.0.quantity", Message: "must be a whole number, got 1.5"}},
		Problem{ProblemDetail{File: "missing.yaml", Message: "cannot read: no such file or directory"}},
	)
	for _, d := range sample() {
		out = append(out, d)
	}
	nasty := decision.Decision{ID: "SO-9,x:y%z", Kind: "order", Source: decision.Source{File: "dir, with: comma/o%.yaml", Line: 7},
		Reasons: []decision.Reason{{Rule: "EAR-742.6-DEST", Outcome: "deny", Message: "line one\r\nline two | <b>bold</b> 100%", Citation: "15 CFR 742.6(a)(6)(i)",
			Facts: map[string]any{"review_policy": "presumption of denial"}}}}
	nasty.Finish()
	evalErr := decision.Decision{ID: "SO-err", Kind: "order", Source: decision.Source{File: "orders.yaml", Line: 60},
		Reasons: []decision.Reason{decision.EvalError(os.ErrInvalid, "chipcheck")}}
	evalErr.Finish()
	return append(out, nasty, evalErr)
}

func renderCI(t *testing.T, format string, m Meta, vs []any) string {
	t.Helper()
	var buf bytes.Buffer
	out, err := Open(format, &buf, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if err := out.Put(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestJUnitParses: the JUnit XML parses, survives an encoding/xml round
// trip unchanged, and has one suite per file, one case per record or
// problem, failures at --fail-on and errors for problems and records not
// judged, with tallies that add up.
func TestJUnitParses(t *testing.T) {
	for _, tt := range []struct {
		failOn         string
		failures, errs int
	}{
		{"review", 3, 3}, // SO-1 deny, chip-x review, SO-9 deny; 2 problems and SO-err
		{"deny", 2, 3},
		{"none", 0, 3}, // a record not judged and an input problem fail whatever --fail-on says
	} {
		m := ciMeta
		m.FailOn = tt.failOn
		out := renderCI(t, JUnit, m, ciResults())
		if !strings.HasPrefix(out, xml.Header) {
			t.Errorf("no XML header: %.60q", out)
		}
		var doc JUnitSuites
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("--fail-on %s: JUnit does not parse: %v\n%s", tt.failOn, err, out)
		}
		again, err := xml.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var doc2 JUnitSuites
		if err := xml.Unmarshal(again, &doc2); err != nil || !reflect.DeepEqual(doc, doc2) {
			t.Errorf("round trip changed the document (%v)", err)
		}
		if doc.Tests != 7 || doc.Failures != tt.failures || doc.Errors != tt.errs {
			t.Errorf("--fail-on %s: tests/failures/errors = %d/%d/%d, want 7/%d/%d", tt.failOn, doc.Tests, doc.Failures, doc.Errors, tt.failures, tt.errs)
		}
		files := map[string]bool{}
		sum := 0
		for _, s := range doc.Suites {
			if files[s.Name] {
				t.Errorf("two suites for %s", s.Name)
			}
			files[s.Name] = true
			f, e := 0, 0
			for _, c := range s.Cases {
				if c.File != s.Name {
					t.Errorf("case %s in suite %s has file %s", c.Name, s.Name, c.File)
				}
				if c.Failure != nil {
					f++
				}
				if c.Error != nil {
					e++
				}
			}
			if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e {
				t.Errorf("suite %s: tallies %d/%d/%d, cases say %d/%d/%d", s.Name, s.Tests, s.Failures, s.Errors, len(s.Cases), f, e)
			}
			sum += s.Tests
		}
		if sum != doc.Tests {
			t.Errorf("suites hold %d tests, document says %d", sum, doc.Tests)
		}
		c := junitCase(t, doc, "bad.yaml", "input problem at line 3")
		if c.Error == nil || c.Error.Type != ProblemRule || c.Line != 3 || !strings.Contains(c.Error.Text, "bad.yaml:3: items.0.quantity: must be a whole number") {
			t.Errorf("input problem case = %+v", c)
		}
		if c := junitCase(t, doc, "orders.yaml", "SO-err"); c.Error == nil || c.Error.Type != decision.EvalErrorRule {
			t.Errorf("record not judged: %+v", c)
		}
		deny := junitCase(t, doc, "orders.yaml", "SO-1 <deny>")
		if tt.failOn != "none" {
			if deny.Failure == nil || deny.Failure.Type != "deny" || !strings.Contains(deny.Failure.Text, "EAR-732-RED-FLAG") || deny.Line != 12 {
				t.Errorf("deny case = %+v, want a deny failure at line 12 listing every non-allow reason", deny)
			}
		} else if deny.Failure != nil || !strings.Contains(deny.SystemOut, "EAR-742.6-DEST") {
			t.Errorf("--fail-on none: deny case = %+v, want a pass with its reasons", deny)
		}
		nasty := junitCase(t, doc, "dir, with: comma/o%.yaml", "SO-9,x:y%z")
		if tt.failOn != "none" && !strings.Contains(nasty.Failure.Text, "<b>bold</b>") {
			t.Errorf("markup in a reason did not survive: %+v", nasty.Failure)
		}
	}
}

func junitCase(t *testing.T, doc JUnitSuites, suite, name string) JUnitCase {
	t.Helper()
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if s.Name == suite && c.Name == name {
				return c
			}
		}
	}
	t.Fatalf("no case %s in suite %s", name, suite)
	return JUnitCase{}
}

// loadSARIFSchema compiles testdata/sarif-2.1.0.json, the OASIS schema.
func loadSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(t *testing.T, s *jsonschema.Schema, out string) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	return s.Validate(v)
}

// TestSARIFValidates: the log validates against the SARIF 2.1.0 schema,
// with and without findings; ruleId is the reason id and ruleIndex points
// at it in rules[], which carries each rule's description and citation;
// results sit at the record's file and line; input problems are results
// too.
func TestSARIFValidates(t *testing.T) {
	schema := loadSARIFSchema(t)
	for name, vs := range map[string][]any{"findings": ciResults(), "empty": nil, "allow only": {sample()[1]}} {
		out := renderCI(t, SARIF, ciMeta, vs)
		if err := validateSARIF(t, schema, out); err != nil {
			t.Errorf("%s: SARIF does not validate: %v\n%s", name, err, out)
		}
	}
	// The validator does catch a broken log.
	out := renderCI(t, SARIF, ciMeta, ciResults())
	if err := validateSARIF(t, schema, strings.Replace(out, `"level":"error"`, `"level":"fatal"`, 1)); err == nil {
		t.Error("a log with level fatal validates: the schema test checks nothing")
	}

	var log SARIFLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Name != "chipcheck" || run.Tool.Driver.Version != "v1.2.3" {
		t.Errorf("log header: %+v %+v", log.Version, run.Tool.Driver)
	}
	if run.Invocations[0].ExecutionSuccessful {
		t.Error("a run with input problems is marked successful")
	}
	rules := run.Tool.Driver.Rules
	for _, r := range ciMeta.Rules {
		i := ruleAt(rules, r.ID)
		if i < 0 {
			t.Errorf("rules[] lacks %s", r.ID)
			continue
		}
		if rules[i].FullDescription.Text != r.Description || rules[i].Properties["citation"] != r.Citation {
			t.Errorf("rule %s = %+v, want its description and citation", r.ID, rules[i])
		}
	}
	type want struct {
		rule, level, uri string
		line             int
	}
	var got []want
	for _, res := range run.Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d, which is %s", res.RuleID, res.RuleIndex, rules[res.RuleIndex].ID)
		}
		pl := res.Locations[0].PhysicalLocation
		line := 0
		if pl.Region != nil {
			line = pl.Region.StartLine
		}
		got = append(got, want{res.RuleID, res.Level, pl.ArtifactLocation.URI, line})
	}
	wantResults := []want{
		{ProblemRule, "error", "bad.yaml", 3},
		{ProblemRule, "error", "missing.yaml", 0},
		{"EAR-742.6-DEST", "error", "orders.yaml", 12},
		{"EAR-742.6-HQ", "error", "orders.yaml", 12},
		{"EAR-732-RED-FLAG", "warning", "orders.yaml", 12},
		{"ECCN-UNKNOWN", "warning", "%3Cstdin%3E", 3},
		{"EAR-742.6-DEST", "error", "./dir,%20with:%20comma/o%25.yaml", 7}, // ./ so that dir,... is not read as a scheme
		{decision.EvalErrorRule, "error", "orders.yaml", 60},
	}
	if !reflect.DeepEqual(got, wantResults) {
		t.Errorf("results:\n got %v\nwant %v", got, wantResults)
	}
}

func ruleAt(rules []SARIFRule, id string) int {
	for i, r := range rules {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// annotationRE is a workflow command as GitHub documents it:
// ::LEVEL key=value,key=value::message, on one line, with : and , escaped
// in values and CR and LF everywhere.
var annotationRE = regexp.MustCompile(`^::(error|warning|notice)( (file|line|endLine|col|endColumn|title)=[^,:\r\n]*(,(file|line|endLine|col|endColumn|title)=[^,:\r\n]*)*)?::([^\r\n]*)$`)

// unescapeAnnotation reverses the runner's escaping of a value.
func unescapeAnnotation(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// TestGitHubAnnotations: one command per finding, each matching the
// documented syntax, at the record's (or problem's) file and line, and
// every value read back as it was written.
func TestGitHubAnnotations(t *testing.T) {
	out := renderCI(t, GitHub, ciMeta, ciResults())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	type ann struct{ level, file, line, title, msg string }
	var got []ann
	for _, l := range lines {
		m := annotationRE.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not a workflow command: %q", l)
			continue
		}
		a := ann{level: m[1], msg: unescapeAnnotation(m[len(m)-1])}
		props := strings.TrimPrefix(strings.SplitN(strings.TrimPrefix(l, "::"+m[1]), "::", 2)[0], " ")
		for _, kv := range strings.Split(props, ",") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "file":
				a.file = unescapeAnnotation(v)
			case "line":
				a.line = v
			case "title":
				a.title = unescapeAnnotation(v)
			}
		}
		got = append(got, a)
	}
	want := []ann{
		{"error", "bad.yaml", "3", ProblemRule, "items.0.quantity: must be a whole number, got 1.5"},
		{"error", "missing.yaml", "", ProblemRule, "cannot read: no such file or directory"},
		{"error", "orders.yaml", "12", "EAR-742.6-DEST", "SO-1 <deny>: destination CN is in scope [15 CFR 742.6(a)(6)(i)]"},
		{"error", "orders.yaml", "12", "EAR-742.6-HQ", "SO-1 <deny>: buyer's ultimate parent is headquartered in CN & TPP >= 4800 [15 CFR 742.6(a)(6)(iii)(A)]"},
		{"warning", "orders.yaml", "12", "EAR-732-RED-FLAG", "SO-1 <deny>: red flag cash_payment [15 CFR Part 732, Supp. 3]"},
		{"warning", "<stdin>", "3", "ECCN-UNKNOWN", "chip-x: no performance figures [15 CFR 774]"},
		{"error", "dir, with: comma/o%.yaml", "7", "EAR-742.6-DEST (licence required, presumption of denial)", "SO-9,x:y%z: line one\r\nline two | <b>bold</b> 100% [15 CFR 742.6(a)(6)(i)]"},
		{"error", "orders.yaml", "60", decision.EvalErrorRule, "SO-err: the record could not be fully judged: invalid argument [chipcheck]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("annotations:\n got %q\nwant %q", got, want)
	}
}

func TestAnnotationEscaping(t *testing.T) {
	tests := []struct {
		level, file string
		line        int
		title, msg  string
		want        string
	}{
		{"error", "a.yaml", 3, "R-1", "plain", "::error file=a.yaml,line=3,title=R-1::plain\n"},
		{"warning", "a,b:c.yaml", 0, "", "x", "::warning file=a%2Cb%3Ac.yaml::x\n"},
		{"error", "", 0, "t,1:2", "100%\r\n::error::injected", "::error title=t%2C1%3A2::100%25%0D%0A::error::injected\n"},
		{"error", "f", 1, "", "a: b, c", "::error file=f,line=1::a: b, c\n"},
	}
	for _, tt := range tests {
		if got := Annotation(tt.level, tt.file, tt.line, tt.title, tt.msg); got != tt.want {
			t.Errorf("Annotation(%q, %q, %d, %q, %q) = %q, want %q", tt.level, tt.file, tt.line, tt.title, tt.msg, got, tt.want)
		}
	}
}

// TestCSVOutput: a row per decision and problem under the header, every
// finding listed, licence policies named, and cells a spreadsheet would
// run defused.
func TestCSVOutput(t *testing.T) {
	vs := ciResults()
	formula := sample()[1]
	formula.ID = "=HYPERLINK(\"http://x\")"
	vs = append(vs, formula)
	rows, err := csv.NewReader(strings.NewReader(renderCI(t, CSV, ciMeta, vs))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], csvHeader) {
		t.Errorf("header = %v", rows[0])
	}
	if len(rows) != len(vs)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(vs)+1)
	}
	col := func(name string) int {
		for i, h := range csvHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	if r := rows[1]; r[col("type")] != "problem" || r[col("file")] != "bad.yaml" || r[col("line")] != "3" || r[col("field")] != "items.0.quantity" {
		t.Errorf("problem row = %v", r)
	}
	if r := rows[3]; r[col("rules")] != "EAR-742.6-DEST; EAR-742.6-HQ; EAR-732-RED-FLAG" || r[col("decision")] != "deny" || r[col("line")] != "12" {
		t.Errorf("deny row = %v", r)
	}
	if r := rows[6]; r[col("licence")] != "EAR-742.6-DEST: licence required, presumption of denial" {
		t.Errorf("licence = %q", r[col("licence")])
	}
	if got := rows[len(rows)-1][col("id")]; got != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("formula id = %q, want it defused", got)
	}
	if out := renderCI(t, CSV, ciMeta, nil); out != strings.Join(csvHeader, ",")+"\n" {
		t.Errorf("empty csv = %q", out)
	}
}

// TestMarkdownOutput: the tally, a row per finding, the problems, and
// record text that cannot break the table or inject HTML.
func TestMarkdownOutput(t *testing.T) {
	out := renderCI(t, Markdown, ciMeta, ciResults())
	for _, want := range []string{
		"## chipcheck: 2 deny, 2 review, 1 allow, 2 input problem(s)",
		"**1 record(s) could not be judged**",
		"| SO-1 &lt;deny&gt; | review | `EAR-732-RED-FLAG` | red flag cash\\_payment \\[15 CFR Part 732, Supp. 3\\] | `orders.yaml:12` |",
		"`EAR-742.6-DEST`<br>licence required, presumption of denial",
		"line one<br>line two \\| &lt;b&gt;bold&lt;/b&gt; 100%",
		"| `bad.yaml:3` | items.0.quantity | must be a whole number, got 1.5 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	// Every table row has the same number of cells as its header.
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| SO-") {
			if n := strings.Count(strings.ReplaceAll(l, "\\|", ""), "|"); n != 6 {
				t.Errorf("row with %d separators: %q", n, l)
			}
		}
	}
}

// TestCIFormatsRefuseOtherResults: the CI formats write decisions and
// problems; anything else is an error, never a silent gap.
func TestCIFormatsRefuseOtherResults(t *testing.T) {
	for _, f := range []string{CSV, JUnit, SARIF, GitHub, Markdown} {
		out, err := Open(f, &bytes.Buffer{}, Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if err := out.Put(Hit{Name: "x"}); err == nil {
			t.Errorf("%s accepts a list hit", f)
		}
	}
	if _, err := Open("xml", &bytes.Buffer{}, Meta{}); err == nil {
		t.Error("Open accepts an unknown format")
	}
}

// TestMarkdownCap: a large run stays a comment GitHub accepts: each table
// stops at markdownRows rows and counts the rest, and the tally counts
// everything.
func TestMarkdownCap(t *testing.T) {
	var vs []any
	for i := range 250 {
		d := decision.Decision{ID: fmt.Sprintf("SO-%d", i), Source: decision.Source{File: "o.yaml", Line: i + 1},
			Reasons: []decision.Reason{{Rule: "R-DENY", Outcome: "deny", Message: "m", Citation: "c"}}}
		d.Finish()
		vs = append(vs, d, Problem{ProblemDetail{File: "bad.yaml", Line: i + 1, Message: "bad"}})
	}
	out := renderCI(t, Markdown, ciMeta, vs)
	if n := strings.Count(out, "| SO-"); n != markdownRows {
		t.Errorf("%d finding rows, want %d", n, markdownRows)
	}
	for _, want := range []string{"## chipcheck: 250 deny, 0 review, 0 allow, 250 input problem(s)", "… and 150 more finding(s)", "… and 150 more input problem(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if len(out) > 65536 {
		t.Errorf("markdown of %d bytes: too long for a comment", len(out))
	}
}

// A waived finding is still reported, marked with its waiver, and never
// as an error: a SARIF suppression, a GitHub notice, a table note.
func TestWaivedFindings(t *testing.T) {
	d := decision.Decision{ID: "SO-w", Kind: "order", Source: decision.Source{File: "orders.yaml", Line: 4},
		Reasons: []decision.Reason{
			{Rule: "SCREEN-POSSIBLE-MATCH", Outcome: "review", Message: "possible match", Citation: "15 CFR 744.11", Waived: "W-1"},
			{Rule: "EAR-732-RED-FLAG", Outcome: "review", Message: "red flag", Citation: "15 CFR 732"},
		}}
	d.Finish()
	if d.Decision != decision.Review {
		t.Fatalf("decision %s, want review from the reason that is not waived", d.Decision)
	}
	out := renderCI(t, SARIF, ciMeta, []any{d})
	if err := validateSARIF(t, loadSARIFSchema(t), out); err != nil {
		t.Fatalf("SARIF with a suppression does not validate: %v\n%s", err, out)
	}
	var log SARIFLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) == 2 && res[0].RuleID != "SCREEN-POSSIBLE-MATCH" {
		res[0], res[1] = res[1], res[0]
	}
	if len(res) != 2 || res[0].Level != "note" || len(res[0].Suppressions) != 1 || res[0].Suppressions[0].Justification != "waiver W-1" ||
		res[1].Level != "warning" || len(res[1].Suppressions) != 0 {
		t.Errorf("results = %+v, want the waived one a suppressed note and the other a warning", res)
	}
	gh := renderCI(t, GitHub, ciMeta, []any{d})
	if !strings.Contains(gh, "::notice file=orders.yaml,line=4,title=SCREEN-POSSIBLE-MATCH (waived W-1)::") ||
		!strings.Contains(gh, "::warning file=orders.yaml,line=4,title=EAR-732-RED-FLAG::") {
		t.Errorf("github annotations:\n%s", gh)
	}
	for f, mark := range map[string]string{Table: "[waived: W-1]", CSV: "[waived: W-1]", Markdown: "<br>waived W-1"} {
		if out := renderCI(t, f, ciMeta, []any{d}); !strings.Contains(out, mark) {
			t.Errorf("%s does not mark the waived reason:\n%s", f, out)
		}
	}
}
