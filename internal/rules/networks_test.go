package rules

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A threshold or identifier in networks.yaml that is wrong must be
// refused, never decide silently with it.
func TestNetworksProblems(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown identifier", "strong: [payment_fingerprint, device_id, phone]", "strong: [payment_fingerprint, device, phone]",
			`networks.linkage.strong.1: unknown identifier "device"`},
		{"strong and weak", "weak: [ip_prefix, asn, email_domain]", "weak: [ip_prefix, asn, phone]",
			"networks.linkage.weak.2: phone is already a strong identifier"},
		{"jaccard above 1", "min_jaccard: 0.5", "min_jaccard: 5", "networks.linkage.minhash.min_jaccard: must be in (0, 1], got 5"},
		{"no bands", "bands: 8", "bands: 0", "networks.linkage.minhash.bands: must be greater than 0, got 0"},
		{"hub as text", "weak_hub: 50", `weak_hub: "50"`, "networks.linkage.weak_hub: expected"},
		{"deny on a weak identifier", "denied_link_deny: [payment_fingerprint]", "denied_link_deny: [asn]",
			`networks.judgment.denied_link_deny.0: "asn" is not a strong identifier`},
		{"unknown usage share", "single_turn_share: {above: 0.9, score: 15}", "single_turns: {above: 0.9, score: 15}",
			`networks.judgment.account_behaviour.signals.single_turns: unknown usage share "single_turns"`},
		{"share threshold", "cot_elicitation_share: 0.2, template", "cot_elicitation_share: 20, template",
			"networks.judgment.cluster_behaviour.cot_elicitation_share: must be in (0, 1], got 20"},
		{"missing citation", `  clear: "chipcheck network rules`, `  other: "chipcheck network rules`,
			"networks.citations.clear: required: the network policies cite it"},
		{"unknown key", "strong_hub: 1000", "strong_hub: 1000\n  strong_hubs: 3", "networks.linkage.strong_hubs: unknown key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadFS(files(t, map[string]string{"networks.yaml": edit(t, "networks.yaml", tc.old, tc.new)}))
			if err == nil {
				t.Fatal("Load accepted the rules")
			}
			ps := problemsOf(t, err)
			if !slices.ContainsFunc(ps, func(p Problem) bool {
				return strings.HasPrefix(p.Error(), filepath.Join("rules", "networks.yaml")+":") && strings.Contains(p.Error(), tc.want)
			}) {
				t.Errorf("problems:\n%v\nwant one with %q", ps, tc.want)
			}
		})
	}
}

func TestNetworksShipped(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	l := s.Networks().Linkage
	if l.MinHash.Bands*l.MinHash.Rows != 32 || l.WeakHub != 50 || !slices.Contains(l.Strong, "payment_fingerprint") {
		t.Errorf("linkage = %+v", l)
	}
}
