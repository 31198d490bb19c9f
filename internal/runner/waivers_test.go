package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
)

const redFlagOrder = `kind: order
id: SO-rf-w
date: 2026-11-20
ship_from: US
destination: DE
exporter: {name: Lakeshore Silicon Inc., country: US}
parties:
  buyer: {name: Rheinwerk Rechenzentrum GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100-SXM5-80G, quantity: 8, unit_value_usd: 25000, catalog: nvidia-h100-sxm5-80gb}
red_flags: [new_customer_large_volume]
`

// TestWaiverExpiryFollowsClock: the runner applies the waivers of
// rules/waivers.yaml when it stamps each decision, and judges expiry on
// its clock (UTC): a record waiver for the red flag applies through its
// expiry day and not a second after.
func TestWaiverExpiryFollowsClock(t *testing.T) {
	pdir, rdir := copies(t)
	decide := func(now time.Time) decision.Decision {
		t.Helper()
		r := load(t, Options{PoliciesDir: pdir, RulesDir: rdir, ListsDir: fixtureLists(t), Now: func() time.Time { return now }})
		var got []decision.Decision
		if _, err := r.Decide(context.Background(), readYAML(t, r, redFlagOrder), collect(&got)); err != nil {
			t.Fatal(err)
		}
		return got[0]
	}
	before := decide(fixedNow)
	if before.Decision != decision.Review || before.Reasons[0].Rule != "EAR-732-RED-FLAG" {
		t.Fatalf("without a waiver: %s %+v", before.Decision, before.Reasons)
	}
	file := filepath.Join(rdir, "waivers.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	w := fmt.Sprintf("waivers:\n  - {id: W-RF, rule: EAR-732-RED-FLAG, record: SO-rf-w, sha256: %s, justification: j, approver: a, ticket: t, expires: 2026-11-20}\n", before.Provenance.InputSHA256)
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), "waivers: []\n", w, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		now    time.Time
		want   string
		waived string
	}{
		{time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), decision.Allow, "W-RF"},
		// 00:30 on the 21st in CET is still the 20th in UTC.
		{time.Date(2026, 11, 21, 0, 30, 0, 0, time.FixedZone("CET", 3600)), decision.Allow, "W-RF"},
		{time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), decision.Review, ""},
	} {
		d := decide(c.now)
		if d.Decision != c.want || d.Reasons[0].Rule != "EAR-732-RED-FLAG" || d.Reasons[0].Waived != c.waived {
			t.Errorf("at %s: %s, %+v; want %s, waived %q", c.now, d.Decision, d.Reasons[0], c.want, c.waived)
		}
	}
}
