package rules

import (
	"strings"
	"testing"
)

// TestOnboardingChecks: each broken onboarding.yaml value is refused with
// its file, line and field.
func TestOnboardingChecks(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"restricted_deny_above_pct: 50", "restricted_deny_above_pct: 150",
			"ownership.restricted_deny_above_pct: must be in (0, 100], got 150"},
		{"restricted_review_from_pct: 25", "restricted_review_from_pct: 60",
			"ownership.restricted_review_from_pct: must be at most restricted_deny_above_pct (50), got 60"},
		{"unestablished_review_above_pct: 0", "unestablished_review_above_pct: -1",
			"ownership.unestablished_review_above_pct: must be in [0, 100), got -1"},
		{"restricted_countries: [CN,", "restricted_countries: [XX,",
			"restricted_countries.0: unknown country code \"XX\" (not in countries.yaml)"},
		{"  lists: [SDN]", "  lists: [SDNX]", "sanctions.lists.0: unknown list code \"SDNX\""},
		{"until: 2026-11-10", "until: 2025-11-01", "affiliates_rule.suspended.0.until: must be after from (2025-11-10), got 2025-11-01"},
		{"  enabled: true", "  enabled: yes please", "affiliates_rule.enabled"},
		{"    trusted_from: 2026-06-26\n", "", "models.frontier-a.trusted_from: required: trusted_partners are exempt only from a date"},
		{"review_ip_types: [tor, proxy]", "review_ip_types: [tor, darknet]", "geography.review_ip_types.1: unknown IP type \"darknet\""},
		{"reuse_window_days: 90", "reuse_window_days: 0", "id_documents.reuse_window_days: must be at least 1, got 0"},
		{"  max_steps: 100000", "  max_step: 100000", "ownership.max_step"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := loadFS(files(t, map[string]string{"onboarding.yaml": edit(t, "onboarding.yaml", tt.old, tt.new)}))
			if err == nil {
				t.Fatal("loaded")
			}
			ps := problemsOf(t, err)
			if !strings.Contains(ps.Error(), "rules/onboarding.yaml:") || !strings.Contains(ps.Error(), tt.want) {
				t.Errorf("got:\n%v\nwant a problem containing %q", ps, tt.want)
			}
		})
	}
}

func TestOnboardingAccessors(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	o := s.Onboarding()
	if !s.Model("frontier-a") || s.Model("frontier-z") || o.AffiliatesRule.From != "2025-09-29" || o.Models["frontier-a"].LicenceForForeignPersons == nil {
		t.Errorf("onboarding = %+v", o)
	}
	o.Models["x"] = OnboardingModel{}
	if s.Model("x") {
		t.Error("Onboarding().Models is not a copy")
	}
}
