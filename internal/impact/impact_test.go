package impact

import (
	"slices"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

func TestDiff(t *testing.T) {
	cases := []struct{ a, b, onlyA, onlyB []string }{
		{nil, nil, nil, nil},
		{[]string{"A deny", "B allow"}, []string{"A deny"}, []string{"B allow"}, nil},
		{[]string{"A deny", "A deny"}, []string{"A deny"}, []string{"A deny"}, nil}, // multisets: a second hit counts
		{[]string{"A review"}, []string{"A deny"}, []string{"A review"}, []string{"A deny"}},
		{[]string{"A deny waived"}, []string{"A deny"}, []string{"A deny waived"}, []string{"A deny"}},
	}
	for _, c := range cases {
		a, b := diff(c.a, c.b)
		if !slices.Equal(a, c.onlyA) || !slices.Equal(b, c.onlyB) {
			t.Errorf("diff(%q, %q) = %q, %q; want %q, %q", c.a, c.b, a, b, c.onlyA, c.onlyB)
		}
	}
}

func TestReasonKeysIgnoreWording(t *testing.T) {
	d1 := decision.Decision{Reasons: []decision.Reason{{Rule: "B", Outcome: "deny", Message: "x"}, {Rule: "A", Outcome: "allow"}}}
	d2 := decision.Decision{Reasons: []decision.Reason{{Rule: "A", Outcome: "allow", Message: "reworded"}, {Rule: "B", Outcome: "deny", Message: "y"}}}
	if !slices.Equal(reasonKeys(d1), reasonKeys(d2)) {
		t.Errorf("%q != %q", reasonKeys(d1), reasonKeys(d2))
	}
	d2.Reasons[1].Waived = "W1"
	if slices.Equal(reasonKeys(d1), reasonKeys(d2)) {
		t.Error("a waiver is a change")
	}
}

func TestLoosening(t *testing.T) {
	cases := map[[2]string]bool{
		{"deny", "allow"}: true, {"deny", "review"}: true, {"review", "allow"}: true, {Invalid, "deny"}: true,
		{"allow", "deny"}: false, {"review", "deny"}: false, {"deny", "deny"}: false, {"allow", "allow"}: false,
	}
	for c, want := range cases {
		if got := (Change{From: c[0], To: c[1]}).Loosening(); got != want {
			t.Errorf("%s→%s: loosening %v, want %v", c[0], c[1], got, want)
		}
	}
}

// TestGroups: transitions come loosening first; a rule counts once per
// record however many of its reasons changed; examples are capped.
func TestGroups(t *testing.T) {
	b := newBuilder(1)
	b.add(Change{ID: "1", From: "allow", To: "deny", Added: []string{"X deny", "X deny"}})
	b.add(Change{ID: "2", From: "allow", To: "deny", Added: []string{"X deny"}})
	b.add(Change{ID: "3", From: "deny", To: "allow", Removed: []string{"X deny"}, Added: []string{"Y allow"}})
	var rep Report
	b.fill(&rep)
	if rep.Changed != 3 || rep.Loosened != 1 || rep.Tightened != 2 {
		t.Errorf("counts %+v", rep)
	}
	if rep.Transitions[0].Name() != "deny→allow" || rep.Transitions[1].Count != 2 || len(rep.Transitions[1].Examples) != 1 {
		t.Errorf("transitions %+v", rep.Transitions)
	}
	if rep.Rules[0].Rule != "X" || rep.Rules[0].Added != 2 || rep.Rules[0].Removed != 1 {
		t.Errorf("rules %+v", rep.Rules)
	}
}
