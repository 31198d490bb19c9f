// Package decision holds the outcome of judging one record: the decision
// itself, the reasons behind it, and the severity order that combines them.
// It is a leaf package: every later step of the pipeline imports it, it
// imports none of them.
package decision

import (
	"fmt"
	"slices"
	"strings"
)

// Outcome values, in rising severity.
const (
	Allow  = "allow"
	Review = "review"
	Deny   = "deny"
)

// Severity orders outcomes: deny > review > allow. An unknown outcome counts
// as review so that a policy typo can never produce an allow.
func Severity(outcome string) int {
	switch outcome {
	case Allow:
		return 0
	case Deny:
		return 2
	default:
		return 1
	}
}

// Reason is one rule that fired. Rule and Citation come from the rule's
// METADATA block; Facts carries the figures the rule looked at.
type Reason struct {
	Rule     string         `json:"rule"`
	Outcome  string         `json:"outcome"`
	Message  string         `json:"message"`
	Citation string         `json:"citation"`
	Facts    map[string]any `json:"facts,omitempty"`
	// Waived is the id of the waiver that exempts this reason
	// (internal/waivers); a waived reason does not count towards the
	// decision.
	Waived string `json:"waived,omitempty"`
}

// Item is the per-line classification shown on an order decision.
type Item struct {
	SKU       string   `json:"sku"`
	Name      string   `json:"name,omitempty"`
	ECCN      string   `json:"eccn"`
	Paragraph string   `json:"paragraph,omitempty"`
	TPP       *float64 `json:"tpp"`
	PD        *float64 `json:"pd"`
}

// Hit is one restricted-party match shown on a decision.
type Hit struct {
	Party              string   `json:"party"`      // role on the record: buyer, consignee, ...
	PartyName          string   `json:"party_name"` // the name as written on the record
	List               string   `json:"list"`       // short list code: EL, SDN, DPL, ...
	ListName           string   `json:"list_name"`  // the source list as published
	EntryID            string   `json:"entry_id"`   // the list's own id for the entry
	Entry              string   `json:"entry"`      // the entry's primary name as published
	Matched            string   `json:"matched"`    // the name or alias that matched
	Score              float64  `json:"score"`      // 0..1
	Countries          []string `json:"countries,omitempty"`
	Explanation        string   `json:"explanation,omitempty"`
	LicenseRequirement string   `json:"license_requirement,omitempty"`
	LicensePolicy      string   `json:"license_policy,omitempty"`
	FederalRegister    string   `json:"federal_register,omitempty"`
}

// Source locates the record in its input.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Policy identifies the rule set that decided: the revision hashes the
// policies and the rule data; Policies and Rules say where they were read
// from ("built-in", or a directory).
type Policy struct {
	Revision string `json:"revision"`
	Policies string `json:"policies,omitempty"`
	Rules    string `json:"rules,omitempty"`
}

// Provenance is what a decision needs to be traced and replayed: which
// input it judged, when, with which lists, settings and tool.
type Provenance struct {
	DecisionID  string         `json:"decision_id"`  // unique per decision (UUIDv7, time-ordered)
	EvaluatedAt string         `json:"evaluated_at"` // RFC 3339, UTC
	InputSHA256 string         `json:"input_sha256"` // the record's content (record.Record.Digest)
	Exporter    string         `json:"exporter,omitempty"`
	Lists       []ListSnapshot `json:"lists"`     // empty when screening did not run
	Chipcheck   string         `json:"chipcheck"` // the tool's version and VCS revision
}

// ListSnapshot is one restricted-party list a decision was screened against.
type ListSnapshot struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Snapshot string `json:"snapshot"`
	SHA256   string `json:"sha256"`
}

// Decision is the one result every record yields.
type Decision struct {
	ID         string      `json:"id"`
	Kind       string      `json:"kind"`
	Decision   string      `json:"decision"`
	Reasons    []Reason    `json:"reasons"`
	Items      []Item      `json:"items,omitempty"`
	Screening  []Hit       `json:"screening"`
	Source     Source      `json:"source"`
	Policy     Policy      `json:"policy"`
	AsOf       string      `json:"as_of,omitempty"` // the date whose rules applied
	Provenance *Provenance `json:"provenance,omitempty"`
}

// Finish sorts reasons most severe first, then by rule id, and sets
// Decision to the most severe outcome among the reasons not waived. With
// no reason at all the decision is allow; callers are expected to have
// added a reason saying why.
func (d *Decision) Finish() {
	slices.SortStableFunc(d.Reasons, func(a, b Reason) int {
		if c := Severity(b.Outcome) - Severity(a.Outcome); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	d.Decision = Allow
	for _, r := range d.Reasons {
		if r.Waived == "" && Severity(r.Outcome) > Severity(d.Decision) {
			d.Decision = normalize(r.Outcome)
		}
	}
	if d.Screening == nil {
		d.Screening = []Hit{}
	}
}

func normalize(outcome string) string {
	switch outcome {
	case Allow, Review, Deny:
		return outcome
	}
	return Review
}

// EvalErrorRule is the rule id of a record that could not be judged.
const EvalErrorRule = "CHIPCHECK-EVAL-ERROR"

// EvalError is the reason recorded when a record could not be judged: it
// fails closed to review, and the run exits 3 (Counts.ExitCode). citation
// is the METADATA citation the policy declares for EvalErrorRule.
func EvalError(err error, citation string) Reason {
	return Reason{
		Rule:     EvalErrorRule,
		Outcome:  Review,
		Message:  "the record could not be fully judged: " + err.Error(),
		Citation: citation,
	}
}

// FailOn levels accepted by ExitCode.
var FailOnLevels = []string{Deny, Review, "none"}

// Exit codes of every command that judges records (docs/exit-codes.md).
const (
	ExitOK     = 0
	ExitDeny   = 1
	ExitReview = 2
	ExitError  = 3
)

// CheckFailOn reports whether failOn is an accepted --fail-on level.
func CheckFailOn(failOn string) error {
	if !slices.Contains(FailOnLevels, failOn) {
		return fmt.Errorf("--fail-on %q: want one of %s", failOn, strings.Join(FailOnLevels, ", "))
	}
	return nil
}

// Counts tallies decisions by outcome, and the records that could not be
// judged (counted as review too).
type Counts struct{ Allow, Review, Deny, Errors int }

// Failed reports whether d records an evaluation error.
func (d *Decision) Failed() bool {
	for _, r := range d.Reasons {
		if r.Rule == EvalErrorRule {
			return true
		}
	}
	return false
}

// Add tallies one decision.
func (c *Counts) Add(d Decision) {
	if d.Failed() {
		c.Errors++
	}
	switch d.Decision {
	case Allow:
		c.Allow++
	case Deny:
		c.Deny++
	default:
		c.Review++
	}
}

// ExitCode maps the tally to the process exit code for a --fail-on level
// (one of FailOnLevels; see CheckFailOn). A record that could not be
// judged means chipcheck could not do its job: 3, whatever the level.
func (c Counts) ExitCode(failOn string) int {
	switch {
	case c.Errors > 0:
		return ExitError
	case failOn == "none":
		return ExitOK
	case c.Deny > 0:
		return ExitDeny
	case c.Review > 0 && failOn == Review:
		return ExitReview
	}
	return ExitOK
}
