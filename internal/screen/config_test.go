package screen

import (
	"strings"
	"testing"
)

// The shipped rule file parses and covers the lists the brief names, with
// the restricting ones denying.
func TestShippedScreeningRules(t *testing.T) {
	c, err := LoadConfig(screeningRules)
	if err != nil {
		t.Fatal(err)
	}
	for code, cite := range map[string]string{
		"EL": "744.11", "SDN": "31 CFR Chapter V", "DPL": "764.3(a)(2)", "UVL": "744.15", "MEU": "744.21",
	} {
		r, ok := c.Lists[code]
		if !ok || !r.Restricts || r.Outcome != "deny" || !strings.Contains(r.Citation, cite) {
			t.Errorf("lists.%s = %+v", code, r)
		}
	}
	for _, code := range []string{"CMIC", "SSI", "ISN", "DTC"} {
		if r := c.Lists[code]; r.Restricts || r.Outcome != "review" {
			t.Errorf("lists.%s = %+v, want shown for review only", code, r)
		}
	}
}

func TestParseConfigRejects(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"zero review", "review_threshold: 0\ndeny_threshold: 0.9\nlists: {EL: {restricts: true, outcome: deny, citation: x}}", "review_threshold"},
		{"deny below review", "review_threshold: 0.9\ndeny_threshold: 0.8\nlists: {EL: {restricts: true, outcome: deny, citation: x}}", "deny_threshold"},
		{"no lists", "review_threshold: 0.8\ndeny_threshold: 0.9", "lists"},
		{"no citation", "review_threshold: 0.8\ndeny_threshold: 0.9\nlists: {EL: {restricts: true, outcome: deny}}", "citation"},
		{"deny without restriction", "review_threshold: 0.8\ndeny_threshold: 0.9\nlists: {CMIC: {restricts: false, outcome: deny, citation: x}}", "does not restrict"},
		{"unknown field", "review_threshold: 0.8\ndeny_threshold: 0.9\nthreshold: 1\nlists: {EL: {restricts: true, outcome: deny, citation: x}}", "threshold"},
	} {
		if _, err := ParseConfig([]byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
