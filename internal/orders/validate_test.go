package orders

import (
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/record"
)

// baseOrder is a valid order; each validation case edits it. The line
// numbers in the expectations refer to these lines.
const baseOrder = `kind: order
id: SO-1
date: 2026-11-20
ship_from: US
destination: SG
exporter: {name: Example Chips Inc., country: US}
parties:
  buyer:
    name: Lion City Compute
    country: SG
    headquarters: SG
    ultimate_parent: {name: Parent Co, headquarters: CN}
  consignee: {name: SG Logistics, country: SG}
  intermediates:
    - {name: Gulf Freight, country: AE, role: freight_forwarder}
end_use: {codes: [ai_training], description: training}
items:
  - sku: H100
    quantity: 8
    unit_value_usd: 25000
    chip:
      name: H100
      datacenter: true
      die_area_mm2: 814
      performance:
        - {format: fp8, bits: 8, tops: 1978.9}
license: {type: license, number: L-1, notified_on: 2026-10-01}
red_flags: [cash_payment]
`

// edit applies old->new replacements to baseOrder, failing if one misses.
func edit(t *testing.T, base string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(base, pairs[i]) {
			t.Fatalf("edit: %q not in the base record", pairs[i])
		}
		base = strings.Replace(base, pairs[i], pairs[i+1], 1)
	}
	return base
}

func TestValidateOrder(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  []string                     // problems, as "file:line: field: msg"
		check func(t *testing.T, o *Order) // for valid records
	}{
		{name: "valid", check: func(t *testing.T, o *Order) {
			if o.ID != "SO-1" || o.Date != "2026-11-20" || len(o.Items) != 1 || o.Items[0].Chip.Performance[0].TOPS != 1978.9 {
				t.Errorf("order = %+v", o)
			}
		}},
		// kind
		{name: "kind missing", edits: []string{"kind: order\n", "\n"},
			want: []string{"<stdin>:2: kind: required: give kind: order or kind: chip (or --kind for the whole input)"}},
		{name: "kind unknown", edits: []string{"kind: order", "kind: invoice"},
			want: []string{`<stdin>:1: kind: unknown kind "invoice" (want order or chip)`}},
		{name: "kind a list", edits: []string{"kind: order", "kind: [order]"},
			want: []string{"<stdin>:1: kind: expected a string, got list"}},
		{name: "kind upper case", edits: []string{"kind: order", "kind: Order"}},
		// id
		{name: "id missing", edits: []string{"id: SO-1", ""}, want: []string{"<stdin>:1: id: required"}},
		{name: "id empty", edits: []string{"id: SO-1", `id: ""`}, want: []string{"<stdin>:2: id: must not be empty"}},
		{name: "id blank", edits: []string{"id: SO-1", `id: "  "`}, want: []string{"<stdin>:2: id: must not be empty"}},
		{name: "id a mapping", edits: []string{"id: SO-1", "id: {a: 1}"},
			want: []string{"<stdin>:2: id: expected a string, got mapping"}},
		{name: "id a number", edits: []string{"id: SO-1", "id: 1001"}, check: func(t *testing.T, o *Order) {
			if o.ID != "1001" {
				t.Errorf("id = %q", o.ID)
			}
		}},
		{name: "key given twice", edits: []string{"date: 2026-11-20\n", "date: 2026-11-20\nid: SO-2\n"},
			want: []string{"<stdin>:4: id: given twice (first on line 2)"}},
		// date
		{name: "date missing", edits: []string{"date: 2026-11-20", ""}, want: []string{"<stdin>:1: date: required"}},
		{name: "date not in calendar", edits: []string{"date: 2026-11-20", "date: 2026-02-30"},
			want: []string{`<stdin>:3: date: expected a date YYYY-MM-DD, got "2026-02-30"`}},
		{name: "date with time", edits: []string{"date: 2026-11-20", "date: 2026-11-20T10:00:00Z"},
			want: []string{`<stdin>:3: date: expected a date YYYY-MM-DD, got "2026-11-20T10:00:00Z"`}},
		{name: "date short", edits: []string{"date: 2026-11-20", "date: 2026-1-5"},
			want: []string{`<stdin>:3: date: expected a date YYYY-MM-DD, got "2026-1-5"`}},
		{name: "date quoted", edits: []string{"date: 2026-11-20", `date: "2026-11-20"`}},
		// ship_date: the date of export, on or after the order date
		{name: "ship_date", edits: []string{"date: 2026-11-20\n", "date: 2026-11-20\nship_date: 2026-12-01\n"}, check: func(t *testing.T, o *Order) {
			if o.ShipDate != "2026-12-01" || JudgingDate(o, "") != "2026-12-01" || JudgingDate(o, "2025-01-01") != "2025-01-01" {
				t.Errorf("ship_date = %q, judging date %q", o.ShipDate, JudgingDate(o, ""))
			}
		}},
		{name: "ship_date same day", edits: []string{"date: 2026-11-20\n", "date: 2026-11-20\nship_date: 2026-11-20\n"}},
		{name: "ship_date before date", edits: []string{"date: 2026-11-20\n", "date: 2026-11-20\nship_date: 2026-11-19\n"},
			want: []string{"<stdin>:4: ship_date: 2026-11-19 is before the order date 2026-11-20"}},
		{name: "ship_date not a date", edits: []string{"date: 2026-11-20\n", "date: 2026-11-20\nship_date: soon\n"},
			want: []string{`<stdin>:4: ship_date: expected a date YYYY-MM-DD, got "soon"`}},
		{name: "no ship_date", check: func(t *testing.T, o *Order) {
			if JudgingDate(o, "") != "2026-11-20" {
				t.Errorf("judging date %q, want the order date", JudgingDate(o, ""))
			}
		}},
		// destination_region: a region rules/embargoes.yaml gives the destination
		{name: "destination_region", edits: []string{"destination: SG", "destination: UA\ndestination_region: crimea"}, check: func(t *testing.T, o *Order) {
			if o.DestinationRegion != "crimea" {
				t.Errorf("destination_region = %q", o.DestinationRegion)
			}
		}},
		{name: "destination_region unknown", edits: []string{"destination: SG", "destination: UA\ndestination_region: kyiv"},
			want: []string{`<stdin>:6: destination_region: unknown region "kyiv" of destination UA (rules/embargoes.yaml regions)`}},
		{name: "destination_region of another country", edits: []string{"destination: SG", "destination: SG\ndestination_region: crimea"},
			want: []string{`<stdin>:6: destination_region: unknown region "crimea" of destination SG (rules/embargoes.yaml regions)`}},
		{name: "destination_region misspelt key", edits: []string{"destination: SG", "destination: UA\ndestination_regoin: crimea"},
			want: []string{`<stdin>:6: destination_regoin: unknown field "destination_regoin"; did you mean "destination_region"?`}},
		// countries
		{name: "ship_from missing", edits: []string{"ship_from: US", ""}, want: []string{"<stdin>:1: ship_from: required"}},
		{name: "ship_from unknown", edits: []string{"ship_from: US", "ship_from: XX"},
			want: []string{`<stdin>:4: ship_from: unknown country code "XX"`}},
		{name: "destination missing", edits: []string{"destination: SG", "destination: "},
			want: []string{"<stdin>:1: destination: required"}},
		{name: "destination lower case", edits: []string{"destination: SG", "destination: sg"}, check: func(t *testing.T, o *Order) {
			if o.Destination != "SG" {
				t.Errorf("destination = %q", o.Destination)
			}
		}},
		{name: "destination unquoted NO", edits: []string{"destination: SG", "destination: NO"}, check: func(t *testing.T, o *Order) {
			if o.Destination != "NO" {
				t.Errorf("destination = %q", o.Destination)
			}
		}},
		{name: "destination a list", edits: []string{"destination: SG", "destination: [SG]"},
			want: []string{"<stdin>:5: destination: expected a string, got list"}},
		{name: "exporter country unknown", edits: []string{"country: US}", "country: ZZ}"},
			want: []string{`<stdin>:6: exporter.country: unknown country code "ZZ"`}},
		{name: "buyer country unknown", edits: []string{"    country: SG", "    country: QQ"},
			want: []string{`<stdin>:10: parties.buyer.country: unknown country code "QQ"`}},
		{name: "buyer headquarters unknown", edits: []string{"headquarters: SG", "headquarters: QQ"},
			want: []string{`<stdin>:11: parties.buyer.headquarters: unknown country code "QQ"`}},
		{name: "ultimate parent headquarters unknown", edits: []string{"headquarters: CN}", "headquarters: QQ, country: RR}"},
			want: []string{
				`<stdin>:12: parties.buyer.ultimate_parent.country: unknown country code "RR"`,
				`<stdin>:12: parties.buyer.ultimate_parent.headquarters: unknown country code "QQ"`,
			}},
		{name: "intermediate country unknown", edits: []string{"country: AE", "country: QQ"},
			want: []string{`<stdin>:15: parties.intermediates.0.country: unknown country code "QQ"`}},
		{name: "parties a list", edits: []string{"parties:\n", "parties: [a]\nx_old_parties:\n"},
			want: []string{"<stdin>:7: parties: expected a mapping, got list"}},
		{name: "intermediates a mapping", edits: []string{"  intermediates:\n    - {", "  intermediates: {a: 1}\n  x_intermediate: {"},
			want: []string{"<stdin>:14: parties.intermediates: expected a list, got mapping"}},
		// end use and red flags
		{name: "end use unknown", edits: []string{"codes: [ai_training]", "codes: [ai_training, baking]"},
			want: []string{`<stdin>:16: end_use.codes.1: unknown end-use code "baking"`}},
		{name: "end use codes a string", edits: []string{"codes: [ai_training]", "codes: ai_training"},
			want: []string{`<stdin>:16: end_use.codes: expected a list, got string "ai_training"`}},
		{name: "end use absent", edits: []string{"end_use: {codes: [ai_training], description: training}", ""}, check: func(t *testing.T, o *Order) {
			if o.EndUse.Codes == nil || len(o.EndUse.Codes) != 0 {
				t.Errorf("codes = %#v, want empty", o.EndUse.Codes)
			}
		}},
		{name: "red flag unknown", edits: []string{"red_flags: [cash_payment]", "red_flags: [cash_payment, full_moon]"},
			want: []string{`<stdin>:28: red_flags.1: unknown red-flag code "full_moon"`}},
		{name: "red flag empty", edits: []string{"red_flags: [cash_payment]", `red_flags: [""]`},
			want: []string{`<stdin>:28: red_flags.0: empty red-flag code`}},
		// items
		{name: "items missing", edits: []string{"items:\n", "x_old_items:\n"},
			want: []string{"<stdin>:1: items: required: at least one item"}},
		{name: "items empty", edits: []string{"items:\n", "items: []\nx_old_items:\n"},
			want: []string{"<stdin>:17: items: at least one item required"}},
		{name: "items a mapping", edits: []string{"items:\n", "items: {sku: x}\nx_old_items:\n"},
			want: []string{"<stdin>:17: items: expected a list, got mapping"}},
		{name: "item a string", edits: []string{"license:", "  - just a string\nlicense:"},
			want: []string{`<stdin>:27: items.1: expected a mapping, got string "just a string"`}},
		{name: "sku missing", edits: []string{"  - sku: H100\n    quantity: 8", "  - quantity: 8"},
			want: []string{"<stdin>:18: items.0.sku: required"}},
		{name: "sku a mapping", edits: []string{"sku: H100", "sku: {a: b}"},
			want: []string{"<stdin>:18: items.0.sku: expected a string, got mapping"}},
		{name: "quantity missing", edits: []string{"    quantity: 8\n", ""}, want: []string{"<stdin>:18: items.0.quantity: required"}},
		{name: "quantity negative", edits: []string{"quantity: 8", "quantity: -1"},
			want: []string{"<stdin>:19: items.0.quantity: must be greater than 0, got -1"}},
		{name: "quantity zero", edits: []string{"quantity: 8", "quantity: 0"},
			want: []string{"<stdin>:19: items.0.quantity: must be greater than 0, got 0"}},
		{name: "quantity text", edits: []string{"quantity: 8", "quantity: abc"},
			want: []string{`<stdin>:19: items.0.quantity: expected a number, got string "abc"`}},
		{name: "quantity quoted", edits: []string{"quantity: 8", `quantity: "8"`},
			want: []string{`<stdin>:19: items.0.quantity: expected a number, got string "8"`}},
		{name: "quantity a boolean", edits: []string{"quantity: 8", `quantity: true`},
			want: []string{`<stdin>:19: items.0.quantity: expected a number, got boolean "true"`}},
		{name: "quantity infinite", edits: []string{"quantity: 8", "quantity: .inf"},
			want: []string{`<stdin>:19: items.0.quantity: expected a finite number, got ".inf"`}},
		{name: "quantity with separators", edits: []string{"quantity: 8", "quantity: 1_000"}, check: func(t *testing.T, o *Order) {
			if o.Items[0].Quantity != 1000 {
				t.Errorf("quantity = %v", o.Items[0].Quantity)
			}
		}},
		{name: "unit value negative", edits: []string{"unit_value_usd: 25000", "unit_value_usd: -5"},
			want: []string{"<stdin>:20: items.0.unit_value_usd: must not be negative, got -5"}},
		{name: "unit value zero", edits: []string{"unit_value_usd: 25000", "unit_value_usd: 0"}},
		{name: "unit value absent", edits: []string{"    unit_value_usd: 25000\n", ""}, check: func(t *testing.T, o *Order) {
			if o.Items[0].UnitValueUSD != nil {
				t.Errorf("unit value = %v, want nil", *o.Items[0].UnitValueUSD)
			}
		}},
		{name: "chip and catalog", edits: []string{"    chip:\n", "    catalog: h20\n    chip:\n"},
			want: []string{"<stdin>:18: items.0: give only one of chip, catalog or contains, not chip and catalog"}},
		{name: "neither chip nor catalog", edits: []string{"license:", "  - {sku: X, quantity: 1}\nlicense:"},
			want: []string{"<stdin>:27: items.1: needs one of chip, catalog or contains"}},
		{name: "catalog known", edits: []string{"license:", "  - {sku: X, quantity: 1, catalog: h20}\nlicense:"}},
		{name: "catalog unknown", edits: []string{"license:", "  - {sku: X, quantity: 1, catalog: tpu-v9}\nlicense:"},
			want: []string{`<stdin>:27: items.1.catalog: unknown catalog entry "tpu-v9"`}},
		{name: "contains valid", edits: []string{"license:", "  - {sku: X, quantity: 1, contains: [{count: 8, catalog: b200}, {count: 2, chip: {name: Y}}]}\nlicense:"},
			check: func(t *testing.T, o *Order) {
				c := o.Items[1].Contains
				if len(c) != 2 || c[0].Count != 8 || c[0].Catalog != "b200" || c[1].Chip == nil || c[1].Chip.Name != "Y" {
					t.Errorf("contains = %+v", c)
				}
			}},
		{name: "contains bad", edits: []string{"license:", "  - sku: X\n    quantity: 1\n    contains:\n      - {count: 0, catalog: b200}\n      - {count: 1}\n      - {chip: {name: Y}, catalog: b200}\n      - {count: 1, catalog: nope}\nlicense:"},
			want: []string{
				"<stdin>:30: items.1.contains.0.count: must be greater than 0, got 0",
				"<stdin>:31: items.1.contains.1: needs one of chip or catalog",
				"<stdin>:32: items.1.contains.2.count: required",
				"<stdin>:32: items.1.contains.2: give only one of chip or catalog, not both",
				`<stdin>:33: items.1.contains.3.catalog: unknown catalog entry "nope"`,
			}},
		{name: "contains empty", edits: []string{"license:", "  - {sku: X, quantity: 1, contains: []}\nlicense:"},
			want: []string{"<stdin>:27: items.1.contains: at least one entry required"}},
		// chip spec
		{name: "chip without performance", edits: []string{"      performance:\n        - {format: fp8, bits: 8, tops: 1978.9}\n", ""}, check: func(t *testing.T, o *Order) {
			if o.Items[0].Chip.Performance != nil {
				t.Errorf("performance = %v", o.Items[0].Chip.Performance)
			}
		}},
		{name: "performance bits zero", edits: []string{"bits: 8", "bits: 0"},
			want: []string{"<stdin>:26: items.0.chip.performance.0.bits: must be greater than 0, got 0"}},
		{name: "performance incomplete", edits: []string{"{format: fp8, bits: 8, tops: 1978.9}", "{tops: -1}"},
			want: []string{
				"<stdin>:26: items.0.chip.performance.0.format: required",
				"<stdin>:26: items.0.chip.performance.0.bits: required",
				"<stdin>:26: items.0.chip.performance.0.tops: must be greater than 0, got -1",
			}},
		{name: "performance format a list", edits: []string{"format: fp8", "format: [fp8]"},
			want: []string{
				"<stdin>:26: items.0.chip.performance.0.format: expected a string, got list",
			}},
		{name: "performance tops zero", edits: []string{"tops: 1978.9", "tops: 0"},
			want: []string{"<stdin>:26: items.0.chip.performance.0.tops: must be greater than 0, got 0"}},
		{name: "die area zero", edits: []string{"die_area_mm2: 814", "die_area_mm2: 0"},
			want: []string{"<stdin>:24: items.0.chip.die_area_mm2: must be greater than 0, got 0"}},
		{name: "datacenter not a boolean", edits: []string{"datacenter: true", "datacenter: maybe"},
			want: []string{`<stdin>:23: items.0.chip.datacenter: expected a boolean (true or false), got string "maybe"`}},
		{name: "datacenter quoted", edits: []string{"datacenter: true", `datacenter: "true"`},
			want: []string{`<stdin>:23: items.0.chip.datacenter: expected a boolean (true or false), got string "true"`}},
		{name: "datacenter no", edits: []string{"datacenter: true", "datacenter: no"}, check: func(t *testing.T, o *Order) {
			if d := o.Items[0].Chip.Datacenter; d == nil || *d {
				t.Errorf("datacenter = %v", d)
			}
		}},
		{name: "bandwidths and designer", edits: []string{"      datacenter: true\n", "      datacenter: true\n      memory_bandwidth_gbs: -1\n      interconnect_gbs: -1\n      designer_country: XX\n"},
			want: []string{
				"<stdin>:24: items.0.chip.memory_bandwidth_gbs: must be greater than 0, got -1",
				"<stdin>:25: items.0.chip.interconnect_gbs: must not be negative, got -1",
				`<stdin>:26: items.0.chip.designer_country: unknown country code "XX"`,
			}},
		// A chip with no chip-to-chip interconnect is written with 0.
		{name: "interconnect zero", edits: []string{"      datacenter: true\n", "      datacenter: true\n      interconnect_gbs: 0\n"}, check: func(t *testing.T, o *Order) {
			if ic := o.Items[0].Chip.InterconnectGBs; ic == nil || *ic != 0 {
				t.Errorf("interconnect_gbs = %v, want 0", ic)
			}
		}},
		{name: "dies", edits: []string{"      datacenter: true\n", "      datacenter: true\n      dies:\n        - {name: a, die_area_mm2: 400, performance: [{format: fp8, bits: 8, tops: 900}]}\n        - {count: 0, die_area_mm2: -1, performance: [{format: fp8, bits: 0, tops: 1}]}\n"},
			want: []string{
				"<stdin>:26: items.0.chip.dies.1.count: must be greater than 0, got 0",
				"<stdin>:26: items.0.chip.dies.1.die_area_mm2: must be greater than 0, got -1",
				"<stdin>:26: items.0.chip.dies.1.performance.0.bits: must be greater than 0, got 0",
			}},
		{name: "dies valid", edits: []string{"      datacenter: true\n", "      datacenter: true\n      dies:\n        - {die_area_mm2: 400}\n        - {count: 2, die_area_mm2: 300}\n"},
			check: func(t *testing.T, o *Order) {
				d := o.Items[0].Chip.Dies
				if len(d) != 2 || d[0].Count != 1 || *d[0].DieAreaMM2 != 400 || d[1].Count != 2 {
					t.Errorf("dies = %+v", d)
				}
			}},
		{name: "hbm incomplete", edits: []string{"      datacenter: true\n", "      datacenter: true\n      hbm: {bandwidth_gbs: 0}\n"},
			want: []string{
				"<stdin>:24: items.0.chip.hbm.bandwidth_gbs: must be greater than 0, got 0",
				"<stdin>:24: items.0.chip.hbm.package_area_mm2: required",
			}},
		{name: "hbm valid", edits: []string{"      datacenter: true\n", "      datacenter: true\n      hbm: {bandwidth_gbs: 819, package_area_mm2: 110}\n"},
			check: func(t *testing.T, o *Order) {
				if h := o.Items[0].Chip.HBM; h == nil || h.BandwidthGBs != 819 || h.PackageAreaMM2 != 110 {
					t.Errorf("hbm = %+v", h)
				}
			}},
		{name: "chip a string", edits: []string{"    chip:\n", "    chip: H100\n    x_old_chip:\n"},
			want: []string{`<stdin>:21: items.0.chip: expected a mapping, got string "H100"`}},
		// license
		{name: "license type unknown", edits: []string{"type: license", "type: permit"},
			want: []string{`<stdin>:27: license.type: must be one of license, NAC, ACA; got "permit"`}},
		{name: "license type missing", edits: []string{"type: license, ", ""},
			want: []string{"<stdin>:27: license.type: required"}},
		{name: "license type normalised", edits: []string{"type: license", "type: nac"}, check: func(t *testing.T, o *Order) {
			if o.License.Type != "NAC" {
				t.Errorf("type = %q", o.License.Type)
			}
		}},
		{name: "license number a number", edits: []string{"number: L-1", "number: 123"}, check: func(t *testing.T, o *Order) {
			if o.License.Number != "123" {
				t.Errorf("number = %q", o.License.Number)
			}
		}},
		{name: "license notified_on invalid", edits: []string{"notified_on: 2026-10-01", "notified_on: 2026-13-01"},
			want: []string{`<stdin>:27: license.notified_on: expected a date YYYY-MM-DD, got "2026-13-01"`}},
		{name: "license absent", edits: []string{"license: {type: license, number: L-1, notified_on: 2026-10-01}", ""}, check: func(t *testing.T, o *Order) {
			if o.License != nil {
				t.Errorf("license = %+v", o.License)
			}
		}},
		{name: "notes and x_ fields ignored", edits: []string{"kind: order", "kind: order\nnotes: {anything: [1, 2]}\nx_incoterms: FOB"}},
		{name: "unknown field", edits: []string{"kind: order", "kind: order\nincoterms: FOB"},
			want: []string{`<stdin>:2: incoterms: unknown field "incoterms"`}},
		{name: "misspelt field", edits: []string{"ultimate_parent:", "ultimate_parnet:"},
			want: []string{`<stdin>:12: parties.buyer.ultimate_parnet: unknown field "ultimate_parnet"; did you mean "ultimate_parent"?`}},
		{name: "null optional fields", edits: []string{"license: {type: license, number: L-1, notified_on: 2026-10-01}", "license: ~", "exporter: {name: Example Chips Inc., country: US}", "exporter: null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readText(t, "yaml", "", edit(t, baseOrder, tt.edits...))
			equalStrings(t, "problems", probs, tt.want)
			if len(tt.want) > 0 {
				if len(recs) != 0 {
					t.Errorf("an invalid record was returned: %+v", recs[0])
				}
				return
			}
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1", len(recs))
			}
			if r := recs[0]; r.Kind != KindOrder || OrderOf(&r) == nil || r.ID != OrderOf(&r).ID || r.Source != (record.Source{File: record.StdinName, Line: r.Source.Line}) {
				t.Errorf("record = %+v", r)
			}
			if tt.check != nil {
				tt.check(t, OrderOf(&recs[0]))
			}
		})
	}
}

func TestValidateChipRecord(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		id         string
	}{
		{name: "full", text: "kind: chip\nid: h100-sxm\nname: NVIDIA H100\nperformance: [{format: fp8, bits: 8, tops: 1978.9}]\n", id: "h100-sxm"},
		{name: "id defaults to name", text: "kind: chip\nname: NVIDIA H100\n", id: "NVIDIA H100"},
		{name: "catalog alone", text: "kind: chip\ncatalog: b200\n", id: "b200"},
		{name: "catalog unknown", text: "kind: chip\ncatalog: nope\n", want: []string{`<stdin>:2: catalog: unknown catalog entry "nope"`}},
		{name: "name missing", text: "kind: chip\ndatacenter: true\n", want: []string{"<stdin>:1: name: required"}},
		{name: "no performance is valid", text: "kind: chip\nname: X\ndie_area_mm2: 100\n", id: "X"},
		{name: "bad spec", text: "kind: chip\nname: X\nperformance: [{format: fp8, bits: -8, tops: x}]\nhbm: [1]\n", want: []string{
			"<stdin>:3: performance.0.bits: must be greater than 0, got -8",
			`<stdin>:3: performance.0.tops: expected a number, got string "x"`,
			"<stdin>:4: hbm: expected a mapping, got list",
		}},
		{name: "default kind", text: "name: X\n", id: "X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readText(t, "yaml", KindChip, tt.text)
			equalStrings(t, "problems", probs, tt.want)
			if tt.want != nil {
				return
			}
			if len(recs) != 1 || recs[0].Kind != KindChip || ChipOf(&recs[0]) == nil || recs[0].ID != tt.id || ChipOf(&recs[0]).ID != tt.id {
				t.Fatalf("records = %+v, want one chip %q", recs, tt.id)
			}
		})
	}
}

func TestDuplicateOrderIDs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml":  edit(t, baseOrder) + "---\n" + edit(t, baseOrder, "id: SO-1", "id: SO-2"),
		"b.jsonl": `{"kind":"order","id":"SO-2","date":"2026-11-20","ship_from":"US","destination":"SG","items":[{"sku":"x","quantity":1,"catalog":"h20"}]}` + "\n",
		"c.yaml":  "kind: chip\nname: SO-1\n", // chips do not collide with orders
	})
	recs, probs := readFiles(t, dir, "a.yaml", "b.jsonl", "c.yaml")
	equalStrings(t, "problems", probs, []string{`b.jsonl:1: id: duplicate order id "SO-2" (first at a.yaml:30)`})
	equalStrings(t, "ids", ids(recs), []string{"SO-1", "SO-2", "SO-1"})
}

func TestManyBadRecords(t *testing.T) {
	// Every problem of every record is reported, not just the first.
	text := edit(t, baseOrder, "quantity: 8", "quantity: -8", "ship_from: US", "ship_from: XX") +
		"---\n" + edit(t, baseOrder, "id: SO-1", "id: SO-2") +
		"---\n" + edit(t, baseOrder, "id: SO-1", "id: SO-3", "date: 2026-11-20", "date: tomorrow", "codes: [ai_training]", "codes: [nope]") +
		"---\nkind: chip\nperformance: [{bits: 8}]\n"
	recs, probs := readText(t, "", "", text)
	equalStrings(t, "problems", probs, []string{
		`<stdin>:4: ship_from: unknown country code "XX"`,
		"<stdin>:19: items.0.quantity: must be greater than 0, got -8",
		`<stdin>:61: date: expected a date YYYY-MM-DD, got "tomorrow"`,
		`<stdin>:74: end_use.codes.0: unknown end-use code "nope"`,
		"<stdin>:88: name: required",
		"<stdin>:89: performance.0.format: required",
		"<stdin>:89: performance.0.tops: required",
	})
	equalStrings(t, "ids", ids(recs), []string{"SO-2"})
}
