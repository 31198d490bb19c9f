package policy

import (
	"slices"
	"strings"
	"testing"
)

// TestDataRefs: references into data.rules are found directly, through a
// package-level alias and through a local; a misspelt key is undefined;
// keys nothing reaches are unread, unless a reference hands their parent
// on whole.
func TestDataRefs(t *testing.T) {
	data := map[string]any{
		"gp10":      map[string]any{"items": []any{"3A090"}, "from": "2025-01-01", "citation": "c", "unused": 1},
		"screening": map[string]any{"deny_threshold": 0.95, "review_threshold": 0.81, "matcher": map[string]any{}},
		"groups":    map[string]any{"D:5": map[string]any{"members": []any{"CN"}}},
		"extra":     map[string]any{"a": 1},
	}
	p, err := mini(t, map[string]string{"p/p.rego": `package p

cfg := data.rules.screening

strong(s) if s >= cfg.deny_threshold

weak(s) if s >= cfg.review_treshold

gp(x) if {
	g := data.rules.gp10
	x in g.items
	g.citation != ""
}

late(d) if d >= data.rules.gp10.from

member(g, c) if c in data.rules.groups[g].members

whole := data.rules.extra

some_extra if count(whole) > 0
`}, data)
	if err != nil {
		t.Fatal(err)
	}
	refs := p.DataRefs()
	und := p.Undefined(refs)
	if len(und) != 1 || !strings.Contains(und[0], "mini/p/p.rego:7: data.rules.screening.review_treshold: rules/ defines no data.rules.screening.review_treshold") {
		t.Errorf("undefined: %q", und)
	}
	unread := p.Unread(refs, []string{"screening.matcher"})
	want := []string{
		"rules/gp10.yaml: unused: no policy reads data.rules.gp10.unused",
		"rules/screening.yaml: review_threshold: no policy reads data.rules.screening.review_threshold",
	}
	if !slices.Equal(unread, want) {
		t.Errorf("unread:\n got %q\nwant %q", unread, want)
	}
}

// TestDataRefsWholeValue: rule data handed whole to a function is read in
// full, so none of its keys is reported.
func TestDataRefsWholeValue(t *testing.T) {
	data := map[string]any{"gp10": map[string]any{"from": "2025-01-01", "until": "2026-01-01"}}
	p, err := mini(t, map[string]string{"p/p.rego": `package p

in_force(x, d) if {
	x.from <= d
	d < x.until
}

ok(d) if {
	g := data.rules.gp10
	in_force(g, d)
}
`}, data)
	if err != nil {
		t.Fatal(err)
	}
	if u := p.Unread(p.DataRefs(), nil); len(u) != 0 {
		t.Errorf("unread %q", u)
	}
}
