package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/networks"
)

func networkFixture(t *testing.T) string {
	return filepath.Join(repoRoot(t), "fixtures", "accounts", "network.yaml")
}

// Account records carry no names: they need no --lists and are never
// told that screening did not run.
func TestCheckActivityWithoutLists(t *testing.T) {
	res := cliRun(t, "", "check", "-o", "json", "--fail-on", "none", networkFixture(t))
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	ds := cliDecisions(t, res.stdout)
	if len(ds) != 18 {
		t.Fatalf("%d decisions, want one per account (18)", len(ds))
	}
	for _, d := range ds {
		if d.Kind != networks.KindActivity || len(d.Reasons) == 0 {
			t.Errorf("%s: %+v", d.ID, d)
		}
		for _, r := range d.Reasons {
			if strings.HasPrefix(r.Rule, "SCREEN-") {
				t.Errorf("%s: %s on an account record", d.ID, r.Rule)
			}
		}
	}
	// The deny on h1 names the denied account it shares a card with.
	h1 := ds[slices.IndexFunc(ds, func(d decision.Decision) bool { return d.ID == "h1" })]
	var facts string
	for _, r := range h1.Reasons {
		if r.Rule == "NETWORK-DENIED-LINK" {
			b, _ := json.Marshal(r.Facts)
			facts = string(b)
		}
	}
	if !strings.Contains(facts, `"accounts":["d1"]`) || !strings.Contains(facts, `"value":"card-A"`) {
		t.Errorf("NETWORK-DENIED-LINK facts of h1 = %s", facts)
	}
	// Exit codes hold: a deny is 1.
	if res := cliRun(t, "", "check", "-q", networkFixture(t)); res.code != 1 {
		t.Errorf("exit %d, want 1 (denies)", res.code)
	}
}

func TestNetworksCommand(t *testing.T) {
	res := cliRun(t, "", "networks", "-o", "json", "-q", networkFixture(t))
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var cs []networks.Cluster
	if err := json.Unmarshal([]byte(res.stdout), &cs); err != nil {
		t.Fatalf("%v\n%s", err, res.stdout)
	}
	// The hydra (7), the company (6), the household is not linked, x1 with d2 (2).
	if len(cs) != 3 || cs[0].ID != "net-d1" || cs[0].Size != 7 || cs[0].DistinctOrgs != 7 || cs[1].Size != 6 || cs[1].DistinctOrgs != 1 || cs[2].ID != "net-d2" {
		t.Fatalf("clusters = %+v", cs)
	}
	h := cs[0]
	if !slices.Equal(h.DeniedMembers, []string{"d1"}) || h.RequestsPerDay != 182 || h.EvidenceValues != 5 || h.Evidence[0].Value != "card-A" || h.Evidence[0].Accounts != 3 {
		t.Errorf("hydra = %+v", h)
	}
	if res := cliRun(t, "", "networks", "--min-size", "7", "-o", "jsonl", "-q", networkFixture(t)); strings.Count(res.stdout, "\n") != 1 {
		t.Errorf("--min-size 7: %s", res.stdout)
	}
	// Only account records; anything else is an input problem (exit 3).
	order := filepath.Join(repoRoot(t), "fixtures", "orders", "destination.yaml")
	if res := cliRun(t, "", "networks", order); res.code != 3 || !strings.Contains(res.stderr, "not an account_activity record") {
		t.Errorf("networks on orders: exit %d, %s", res.code, res.stderr)
	}
	if res := cliRun(t, "", "networks", "-o", "xml", networkFixture(t)); res.code != 3 {
		t.Errorf("-o xml: exit %d", res.code)
	}
}
