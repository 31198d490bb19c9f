package orders

import (
	"testing"
)

// The judging date and the NAC notice: ship_date is the date of export.
func TestShipDateJudgingAndNotice(t *testing.T) {
	rs, _ := shared(t)
	const base = `kind: order
id: SO-SHIP
date: 2026-11-20
#SHIPDATE
ship_from: US
destination: CN
parties:
  buyer: {name: Wuxi Compute Park, country: CN, headquarters: CN}
end_use: {codes: [ai_inference]}
items:
  - {sku: L40, quantity: 1, catalog: nvidia-l40}
license: {type: NAC, number: A1, notified_on: 2026-10-30}
`
	tests := []struct {
		name, ship, asOf string
		wantDate         string
		wantNotice       int
	}{
		{"no ship_date", "", "", "2026-11-20", 21},
		{"ship_date", "ship_date: 2026-11-24", "", "2026-11-24", 25},
		// --as-of picks the rules; the notice still runs to the shipment.
		{"as-of and ship_date", "ship_date: 2026-11-24", "2026-12-01", "2026-12-01", 25},
		{"as-of alone", "", "2026-12-01", "2026-12-01", 32},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := readYAML(t, rs, edit(t, base, "#SHIPDATE\n", tc.ship+"\n"))
			f, err := ForOrder(&recs[0], FactOptions{Catalog: NewCatalog(rs), AsOf: tc.asOf})
			if err != nil {
				t.Fatal(err)
			}
			if f.Date != tc.wantDate {
				t.Errorf("judging date %s, want %s", f.Date, tc.wantDate)
			}
			n, ok := noticeDays(f, f.Order.License.NotifiedOn)
			if !ok || n != tc.wantNotice {
				t.Errorf("notice %d (%v), want %d", n, ok, tc.wantNotice)
			}
		})
	}
}
