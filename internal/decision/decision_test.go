package decision

import (
	"errors"
	"strings"
	"testing"
)

func TestSeverity(t *testing.T) {
	tests := []struct {
		outcome string
		want    int
	}{
		{Allow, 0},
		{Review, 1},
		{Deny, 2},
		{"", 1},       // missing outcome: never allow
		{"warn", 1},   // policy typo: review
		{"DENY", 1},   // outcomes are case-sensitive; unknown counts as review
		{"allow ", 1}, // not exactly "allow"
	}
	for _, tt := range tests {
		if got := Severity(tt.outcome); got != tt.want {
			t.Errorf("Severity(%q) = %d, want %d", tt.outcome, got, tt.want)
		}
	}
}

func rules(rs []Reason) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.Rule + "=" + r.Outcome
	}
	return strings.Join(ids, " ")
}

func TestFinish(t *testing.T) {
	tests := []struct {
		name      string
		reasons   []Reason
		want      string // decision
		wantOrder string // rule=outcome after Finish
	}{
		{
			name:      "no reasons is allow",
			reasons:   nil,
			want:      Allow,
			wantOrder: "",
		},
		{
			name:      "allow only",
			reasons:   []Reason{{Rule: "B", Outcome: Allow}, {Rule: "A", Outcome: Allow}},
			want:      Allow,
			wantOrder: "A=allow B=allow",
		},
		{
			name: "most severe first, then rule id",
			reasons: []Reason{
				{Rule: "Z-ALLOW", Outcome: Allow},
				{Rule: "B-REVIEW", Outcome: Review},
				{Rule: "C-DENY", Outcome: Deny},
				{Rule: "A-ALLOW", Outcome: Allow},
				{Rule: "A-DENY", Outcome: Deny},
				{Rule: "A-REVIEW", Outcome: Review},
			},
			want:      Deny,
			wantOrder: "A-DENY=deny C-DENY=deny A-REVIEW=review B-REVIEW=review A-ALLOW=allow Z-ALLOW=allow",
		},
		{
			name:      "review beats allow",
			reasons:   []Reason{{Rule: "NO-LICENSE-REQUIRED", Outcome: Allow}, {Rule: "EAR-732-RED-FLAG", Outcome: Review}},
			want:      Review,
			wantOrder: "EAR-732-RED-FLAG=review NO-LICENSE-REQUIRED=allow",
		},
		{
			name:      "unknown outcome counts as review",
			reasons:   []Reason{{Rule: "A", Outcome: Allow}, {Rule: "TYPO", Outcome: "alow"}},
			want:      Review,
			wantOrder: "TYPO=alow A=allow",
		},
		{
			name:      "empty outcome counts as review",
			reasons:   []Reason{{Rule: "A", Outcome: Allow}, {Rule: "B", Outcome: ""}},
			want:      Review,
			wantOrder: "B= A=allow",
		},
		{
			name:      "unknown outcome does not outrank deny",
			reasons:   []Reason{{Rule: "TYPO", Outcome: "block"}, {Rule: "Z", Outcome: Deny}},
			want:      Deny,
			wantOrder: "Z=deny TYPO=block",
		},
		{
			name:      "same rule id keeps input order (stable)",
			reasons:   []Reason{{Rule: "R", Outcome: Deny, Message: "first"}, {Rule: "R", Outcome: Deny, Message: "second"}},
			want:      Deny,
			wantOrder: "R=deny R=deny",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decision{Decision: "stale", Reasons: tt.reasons}
			d.Finish()
			if d.Decision != tt.want {
				t.Errorf("Decision = %q, want %q", d.Decision, tt.want)
			}
			if got := rules(d.Reasons); got != tt.wantOrder {
				t.Errorf("reasons = %q, want %q", got, tt.wantOrder)
			}
			if d.Screening == nil {
				t.Error("Screening is nil after Finish: JSON would print null, want []")
			}
		})
	}
}

func TestFinishStable(t *testing.T) {
	d := Decision{Reasons: []Reason{{Rule: "R", Outcome: Deny, Message: "first"}, {Rule: "R", Outcome: Deny, Message: "second"}}}
	d.Finish()
	if d.Reasons[0].Message != "first" || d.Reasons[1].Message != "second" {
		t.Errorf("equal reasons reordered: %+v", d.Reasons)
	}
}

func TestFinishKeepsScreening(t *testing.T) {
	hits := []Hit{{Party: "buyer", List: "EL"}}
	d := Decision{Screening: hits}
	d.Finish()
	if len(d.Screening) != 1 || d.Screening[0].List != "EL" {
		t.Errorf("Screening = %+v, want the hits given", d.Screening)
	}
}

func TestEvalError(t *testing.T) {
	r := EvalError(errors.New("classify: boom"), "the citation")
	if r.Rule != "CHIPCHECK-EVAL-ERROR" {
		t.Errorf("Rule = %q", r.Rule)
	}
	if r.Outcome != Review {
		t.Errorf("Outcome = %q, want review (fail closed)", r.Outcome)
	}
	if !strings.Contains(r.Message, "classify: boom") {
		t.Errorf("Message %q does not carry the error", r.Message)
	}
	if r.Citation == "" {
		t.Error("Citation is empty")
	}
	// A decision holding only the eval error is review, never allow.
	d := Decision{Reasons: []Reason{{Rule: "NO-LICENSE-REQUIRED", Outcome: Allow}, r}}
	d.Finish()
	if d.Decision != Review {
		t.Errorf("decision with an eval error = %q, want review", d.Decision)
	}
	if d.Reasons[0].Rule != "CHIPCHECK-EVAL-ERROR" {
		t.Errorf("eval error not first: %s", rules(d.Reasons))
	}
}

func TestCheckFailOn(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"deny", true},
		{"review", true},
		{"none", true},
		{"allow", false},
		{"", false},
		{"Deny", false},
		{"all", false},
	}
	for _, tt := range tests {
		err := CheckFailOn(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("CheckFailOn(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "--fail-on") {
			t.Errorf("CheckFailOn(%q) error %q does not name the flag", tt.in, err)
		}
		if err != nil && !strings.Contains(err.Error(), "deny, review, none") {
			t.Errorf("CheckFailOn(%q) error %q does not list the accepted levels", tt.in, err)
		}
	}
}

func TestCountsAdd(t *testing.T) {
	var c Counts
	for _, d := range []string{Allow, Allow, Review, Deny, "", "weird"} {
		c.Add(Decision{Decision: d})
	}
	if want := (Counts{Allow: 2, Review: 3, Deny: 1}); c != want {
		t.Errorf("Counts = %+v, want %+v (unknown decisions count as review)", c, want)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name   string
		counts Counts
		failOn string
		want   int
	}{
		{"empty batch review", Counts{}, Review, ExitOK},
		{"empty batch deny", Counts{}, Deny, ExitOK},
		{"empty batch none", Counts{}, "none", ExitOK},

		{"allow only, review", Counts{Allow: 5}, Review, ExitOK},
		{"allow only, deny", Counts{Allow: 5}, Deny, ExitOK},
		{"allow only, none", Counts{Allow: 5}, "none", ExitOK},

		{"review only, review", Counts{Review: 1}, Review, ExitReview},
		{"review only, deny", Counts{Review: 1}, Deny, ExitOK},
		{"review only, none", Counts{Review: 1}, "none", ExitOK},
		{"review and allow, review", Counts{Allow: 9, Review: 1}, Review, ExitReview},

		{"deny only, review", Counts{Deny: 1}, Review, ExitDeny},
		{"deny only, deny", Counts{Deny: 1}, Deny, ExitDeny},
		{"deny only, none", Counts{Deny: 1}, "none", ExitOK},

		{"deny and review, review", Counts{Deny: 1, Review: 3}, Review, ExitDeny},
		{"deny and review, deny", Counts{Deny: 1, Review: 3}, Deny, ExitDeny},
		{"deny and review, none", Counts{Deny: 1, Review: 3}, "none", ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.counts.ExitCode(tt.failOn); got != tt.want {
				t.Errorf("%+v.ExitCode(%q) = %d, want %d", tt.counts, tt.failOn, got, tt.want)
			}
		})
	}
}

func TestExitCodeValues(t *testing.T) {
	// docs/exit-codes.md fixes these numbers; scripts depend on them.
	if ExitOK != 0 || ExitDeny != 1 || ExitReview != 2 || ExitError != 3 {
		t.Errorf("exit codes = %d %d %d %d, want 0 1 2 3", ExitOK, ExitDeny, ExitReview, ExitError)
	}
}
