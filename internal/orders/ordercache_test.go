package orders

import (
	"context"
	"strings"
	"testing"
)

// cacheBase is an order with something for every stage to read: a
// license claim, an end use, red flags, an exporter, an ultimate parent, an
// intermediate, two lines and a listed party.
const cacheBase = `
kind: order
id: SO-1
date: 2026-11-20
ship_from: US
destination: SG
exporter: {name: Example Exporter Inc., country: US}
license: {type: license, number: D1234567}
parties:
  buyer: {name: Lionstar Compute Pte Ltd, country: SG, headquarters: SG, ultimate_parent: {name: Lionstar Holdings, country: SG, headquarters: SG}}
  consignee: {name: Lionstar Compute Pte Ltd, country: SG, headquarters: SG}
  end_user: {name: Lionstar Compute Pte Ltd, country: SG, headquarters: SG}
  intermediates: [{name: Hangzhou Lanting Logistics, country: SG, role: freight_forwarder}]
end_use: {codes: [ai_training]}
red_flags: []
items:
  - {sku: H100-A, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
  - {sku: L4-A, quantity: 2, catalog: nvidia-l4}
`

// TestOrderCache: an order that differs from a cached one only in names,
// SKUs, quantities and numbers is a hit and gets its own names; one that
// differs in anything a stage reads gets the decision it gets alone (and,
// with VerifyCache, a hit whose findings differ would be an evaluation
// error).
func TestOrderCache(t *testing.T) {
	rs, pol := shared(t)
	tests := []struct {
		name     string
		old, new string
		hit      bool
	}{
		{"a party's name", "consignee: {name: Lionstar Compute Pte Ltd", "consignee: {name: Merlion AI Pte Ltd", true},
		{"a parent's name", "name: Lionstar Holdings", "name: Lionstar Group", true},
		{"SKU and quantity", "sku: H100-A, quantity: 8", "sku: H100-Z, quantity: 64", true},
		{"license number", "number: D1234567", "number: D7654321", true},
		{"destination", "destination: SG", "destination: MY", false},
		{"ship_from", "ship_from: US", "ship_from: SG", false},
		{"buyer headquarters", "country: SG, headquarters: SG, ultimate_parent", "country: SG, headquarters: CN, ultimate_parent", false},
		{"parent headquarters", "Lionstar Holdings, country: SG, headquarters: SG", "Lionstar Holdings, country: SG, headquarters: MO", false},
		{"consignee country", "consignee: {name: Lionstar Compute Pte Ltd, country: SG", "consignee: {name: Lionstar Compute Pte Ltd, country: VN", false},
		{"intermediate country", "Logistics, country: SG", "Logistics, country: AE", false},
		{"exporter country", "country: US}\nlicense", "country: CN}\nlicense", false},
		{"exporter named by a letter", "Example Exporter Inc.", "NVIDIA Corporation", false},
		{"license type", "type: license,", "type: NAC,", false},
		{"no license number", "number: D1234567", "number: ''", false},
		{"end use", "codes: [ai_training]", "codes: [supercomputer]", false},
		{"red flag", "red_flags: []", "red_flags: [evasive_end_use]", false},
		{"date", "date: 2026-11-20", "date: 2023-06-01", false},
		{"item", "catalog: nvidia-l4", "catalog: nvidia-h20", false},
		{"lines swapped", "  - {sku: H100-A, quantity: 8, catalog: nvidia-h100-sxm5-80gb}\n  - {sku: L4-A, quantity: 2, catalog: nvidia-l4}", "  - {sku: L4-A, quantity: 2, catalog: nvidia-l4}\n  - {sku: H100-A, quantity: 8, catalog: nvidia-h100-sxm5-80gb}", false},
		{"no listed party", "Hangzhou Lanting Logistics", "Harbour Logistics", false},
		{"unscreenable name", "Hangzhou Lanting Logistics", "Ltd.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := strings.Replace(cacheBase, tt.old, tt.new, 1)
			if changed == cacheBase {
				t.Fatalf("%q is not in the base order", tt.old)
			}
			changed = strings.Replace(changed, "id: SO-1", "id: SO-2", 1)
			recs := readYAML(t, rs, cacheBase+"---"+changed)
			facts := FactOptions{Catalog: NewCatalog(rs), Screener: lantingScreener{}, Letters: LettersOf(rs)}
			for _, verify := range []bool{false, true} {
				warm, _ := decider(t, pol, facts, verify)
				warm.Decide(context.Background(), &recs[0])
				got := warm.Decide(context.Background(), &recs[1])
				if r, bad := reasonOf(got, evalError); bad {
					t.Fatalf("verify %v: %s", verify, r.Message)
				}
				if hits := warm.Stats()[0].Hits; !verify && (hits == 1) != tt.hit {
					t.Errorf("order cache hits %d, want hit %v", hits, tt.hit)
				}
				cold, _ := decider(t, pol, facts, false)
				if want := cold.Decide(context.Background(), &recs[1]); encode(t, got) != encode(t, want) {
					t.Errorf("verify %v: after the base order\n%s\nalone\n%s", verify, encode(t, got), encode(t, want))
				}
			}
		})
	}
}

// TestOrderCacheNamesItsOwn: a hit's reasons name the order's own parties
// and SKUs, never the cached order's.
func TestOrderCacheNamesItsOwn(t *testing.T) {
	rs, pol := shared(t)
	second := strings.NewReplacer("Hangzhou Lanting Logistics", "Hangzhou Lanting Shipping", "H100-A", "H100-Z", "SO-1", "SO-2").Replace(cacheBase)
	recs := readYAML(t, rs, cacheBase+"---"+second)
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: lantingScreener{}}, false)
	first := d.Decide(context.Background(), &recs[0])
	dec := d.Decide(context.Background(), &recs[1])
	if d.Stats()[0].Hits != 1 {
		t.Fatalf("the second order was not a cache hit: %+v", d.Stats())
	}
	enc := encode(t, dec)
	if dec.ID != "SO-2" || !strings.Contains(enc, "Hangzhou Lanting Shipping") || !strings.Contains(enc, "H100-Z") ||
		strings.Contains(enc, "Lanting Logistics") || strings.Contains(enc, "H100-A") {
		t.Errorf("second decision names the first order's values: %s", enc)
	}
	if dec.Decision != first.Decision || len(dec.Reasons) != len(first.Reasons) || !hasRule(dec, "SCREEN-EL") {
		t.Errorf("second decision %s %v, want the first's %s %v (with SCREEN-EL)", dec.Decision, outcomes(dec), first.Decision, outcomes(first))
	}
}
