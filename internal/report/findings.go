package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/policy"
)

// Output formats of check beyond the generic three (docs/reports.md).
const (
	CSV      = "csv"
	JUnit    = "junit"
	SARIF    = "sarif"
	GitHub   = "github"
	Markdown = "markdown"
)

// CheckFormats lists the formats of decisions: every format New and Open
// accept. The CI formats take decisions and problems only.
var CheckFormats = []string{Table, JSON, JSONL, CSV, JUnit, SARIF, GitHub, Markdown}

// Meta is what the formats that describe a whole run need besides the
// decisions: the rules' METADATA (SARIF rules[]), the --fail-on level
// (which JUnit test cases fail) and the tool's version.
type Meta struct {
	Rules   []policy.Rule
	FailOn  string // deny, review or none; "" means review
	Version string
}

// Open returns the Outputter of format writing to w, with m for the
// formats that need it.
func Open(format string, w io.Writer, m Meta) (Outputter, error) {
	bw := newWriter(w)
	switch format {
	case CSV:
		return &csvOutput{w: bw}, nil
	case JUnit:
		return &junitOutput{w: bw, meta: m}, nil
	case SARIF:
		return &sarifOutput{w: bw, meta: m}, nil
	case GitHub:
		return &githubOutput{w: bw}, nil
	case Markdown:
		return &markdownOutput{w: bw, meta: m}, nil
	}
	return New(format, w)
}

// newWriter buffers w for one output.
func newWriter(w io.Writer) *writer { return &writer{w: bufio.NewWriterSize(w, 64<<10)} }

// Problem is one input problem (a file that cannot be read, a record that
// fails validation) as every machine format reports it: a finding at the
// file and line, beside the decisions. JSON writes {"problem": {...}}.
type Problem struct {
	Problem ProblemDetail `json:"problem"`
}

// ProblemDetail locates an input problem; Line is 0 for a whole file.
type ProblemDetail struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ProblemRule is the rule id findings of input problems carry (SARIF
// ruleId, JUnit and GitHub titles): it is the tool's, not a policy's.
const ProblemRule = "CHIPCHECK-INPUT"

// problemDescription describes ProblemRule where a format lists rules.
const problemDescription = "The input could not be read or validated: the record it belongs to was not judged (exit code 3)."

// Text is the problem as "field: message".
func (p ProblemDetail) Text() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// asDecision reads v as a decision or a problem; exactly one is non-nil
// when ok.
func asDecision(v any) (d *decision.Decision, p *ProblemDetail, ok bool) {
	switch x := v.(type) {
	case decision.Decision:
		return &x, nil, true
	case *decision.Decision:
		return x, nil, true
	case Problem:
		return nil, &x.Problem, true
	case *Problem:
		return nil, &x.Problem, true
	}
	return nil, nil, false
}

// notDecision is the error of a CI format given a result of another
// command.
func notDecision(format string, v any) error {
	return fmt.Errorf("report: %s writes decisions, not %T", format, v)
}

// findings are the reasons of d a report lists: every one that is not
// allow, most severe first (as Finish sorted them). An outcome other than
// allow, review or deny counts as review.
func findings(d *decision.Decision) []decision.Reason {
	var out []decision.Reason
	for _, r := range d.Reasons {
		if decision.Severity(r.Outcome) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// outcomeOf is r's outcome as allow, review or deny.
func outcomeOf(r decision.Reason) string {
	switch decision.Severity(r.Outcome) {
	case 0:
		return decision.Allow
	case 2:
		return decision.Deny
	}
	return decision.Review
}

// licencePolicy is "licence required, presumption of denial" for a reason
// that requires a licence and says how an application would be reviewed
// (the review_policy fact the policy sets), "" otherwise: sales ops must
// tell a presumption of approval from one of denial at a glance.
func licencePolicy(r decision.Reason) string {
	p, _ := r.Facts["review_policy"].(string)
	if p == "" {
		return ""
	}
	return "licence required, " + p
}

// reasonLine is "RULE (licence required, ...): message [citation]".
func reasonLine(r decision.Reason) string {
	var sb strings.Builder
	sb.WriteString(r.Rule)
	if lp := licencePolicy(r); lp != "" {
		sb.WriteString(" (" + lp + ")")
	}
	if r.Waived != "" {
		sb.WriteString(" [waived: " + r.Waived + "]")
	}
	sb.WriteString(": " + r.Message)
	if r.Citation != "" {
		sb.WriteString(" [" + r.Citation + "]")
	}
	return sb.String()
}

// hitLine is one screening hit of a decision, as the text formats show it.
func hitLine(h decision.Hit) string {
	return fmt.Sprintf("hit %s %q ~ %s %q (%.2f)", h.Party, h.PartyName, h.List, h.Entry, h.Score)
}

// whyText is every finding of d, one line each, then its screening hits;
// an allow decision gives its allow reasons instead, which say why.
func whyText(d *decision.Decision) []string {
	rs := findings(d)
	if len(rs) == 0 {
		rs = d.Reasons
	}
	lines := make([]string, 0, len(rs)+len(d.Screening))
	for _, r := range rs {
		lines = append(lines, reasonLine(r))
	}
	for _, h := range d.Screening {
		if l := hitLine(h); !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// failOn is the lowest outcome that fails, "" for none.
func failOnLevel(m Meta) string {
	switch m.FailOn {
	case "none":
		return ""
	case decision.Deny:
		return decision.Deny
	}
	return decision.Review
}

// fails reports whether outcome reaches the fail-on level.
func fails(outcome string, level string) bool {
	return level != "" && decision.Severity(outcome) >= decision.Severity(level)
}

// String is the problem as "file:line: field: message".
func (p ProblemDetail) String() string {
	var sb strings.Builder
	if p.File != "" {
		sb.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&sb, ":%d", p.Line)
		}
		sb.WriteString(": ")
	}
	sb.WriteString(p.Text())
	return sb.String()
}

// level is a finding's severity in SARIF and GitHub terms: a deny, and a
// record that could not be judged (exit 3), are errors; a review a
// warning.
func level(r decision.Reason) string {
	if r.Waived != "" {
		return "note"
	}
	if outcomeOf(r) == decision.Deny || r.Rule == decision.EvalErrorRule {
		return "error"
	}
	return "warning"
}
