package licenses

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/record"
)

var countries = Options{Country: func(c string) bool {
	return map[string]bool{"AE": true, "SA": true, "CN": true, "US": true, "SG": true, "RU": true}[c]
}}

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFixtures(t *testing.T) {
	reg, err := Load(filepath.Join("..", "..", "fixtures", "licenses"), countries)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Len() != 5 {
		t.Fatalf("%d licenses, want 5", reg.Len())
	}
	l, ok := reg.Find(" d1100004 ")
	if !ok {
		t.Fatal("D1100004 (CSV) not found by a lower-case, spaced number")
	}
	if got := strings.Join(l.Destinations, ","); got != "AE,SA" || *l.Quantity != 200 || *l.ValueUSD != 800000 || l.Line != 2 {
		t.Errorf("D1100004 = %+v", l)
	}
	l, _ = reg.Find("D1100003")
	if l.UsedQuantity != 24 || l.Line != 23 {
		t.Errorf("D1100003 used %v line %d, want 24 at line 23", l.UsedQuantity, l.Line)
	}
}

func TestLoadProblems(t *testing.T) {
	const good = "licenses:\n  - number: D1\n    type: export\n    issued: 2026-01-01\n    expires: 2027-01-01\n    destinations: [AE]\n    consignee: Acme\n    eccns: [3A090]\n"
	cases := []struct {
		name, file, text string
		want             []string // "line: field: message" fragments
	}{
		{"unknown key", "r.yaml", good + "    quantitiy: 5\n", []string{"9: licenses.0.quantitiy: unknown key"}},
		{"placeholder", "r.yaml", strings.Replace(good, "D1", "N/A", 1), []string{`2: licenses.0.number: "N/A" is a placeholder`}},
		{"placeholder TBD", "r.yaml", strings.Replace(good, "D1", "tbd", 1), []string{"is a placeholder"}},
		{"bad type", "r.yaml", strings.Replace(good, "export", "permanent", 1), []string{"3: licenses.0.type: must be one of export, reexport, transfer"}},
		{"bad date", "r.yaml", strings.Replace(good, "2027-01-01", "2027-13-01", 1), []string{"5: licenses.0.expires: not a date"}},
		{"expires before issued", "r.yaml", strings.Replace(good, "2027-01-01", "2025-01-01", 1), []string{"licenses.0.expires: 2025-01-01 is not after issued"}},
		{"unknown country", "r.yaml", strings.Replace(good, "[AE]", "[XX]", 1), []string{`licenses.0.destinations: unknown country code "XX"`}},
		{"no items", "r.yaml", strings.Replace(good, "    eccns: [3A090]\n", "", 1), []string{"covers no item"}},
		{"bad eccn", "r.yaml", strings.Replace(good, "3A090]", "3a090]", 1), []string{"is not an ECCN"}},
		{"negative quantity", "r.yaml", good + "    quantity: -3\n", []string{"licenses.0.quantity: must not be negative"}},
		{"fractional quantity", "r.yaml", good + "    quantity: 2.5\n", []string{"whole number"}},
		{"text quantity", "r.yaml", good + "    value_usd: lots\n", []string{`expected a number, got "lots"`}},
		{"used unknown key", "r.yaml", good + "    used: {units: 3}\n", []string{"licenses.0.used.units: unknown key"}},
		{"duplicate", "r.yaml", good + strings.TrimPrefix(good, "licenses:\n"), []string{`9: licenses.1.number: license "D1" is also at`}},
		{"top key", "r.yaml", "licences: []\n", []string{"licences: unknown key", "licenses: required"}},
		{"missing consignee", "r.yaml", strings.Replace(good, "    consignee: Acme\n", "", 1), []string{"licenses.0.consignee: required"}},
		{"csv column", "r.csv", "number,type,kind\n", []string{"1: kind: unknown column"}},
		{"csv row", "r.csv", "number,type,issued,expires,destinations,consignee,eccns\nD1,export,2026-01-01,2027-01-01,AE;XX,Acme,3A090\n", []string{`2: destinations: unknown country code "XX"`}},
		{"csv placeholder", "r.csv", "number,type,issued,expires,destinations,consignee,eccns\npending,export,2026-01-01,2027-01-01,AE,Acme,3A090\n", []string{`2: number: "pending" is a placeholder`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, tc.file, tc.text)
			reg, err := Load(p, countries)
			var probs record.Problems
			if !errors.As(err, &probs) || reg != nil {
				t.Fatalf("Load = %v, %v; want problems", reg, err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("problems %q lack %q", msg, w)
				}
			}
			if !strings.HasPrefix(msg, p+":") {
				t.Errorf("problems %q do not start with the file", msg)
			}
		})
	}
}

func TestPlaceholder(t *testing.T) {
	for n, want := range map[string]bool{
		"N/A": true, "n/a": true, " pending ": true, "TBD": true, "0": true, "-": true, "000": true, "none": true,
		"D123456": false, "A000123": false, "0A": false, "": false,
	} {
		if got := Placeholder(n); got != want {
			t.Errorf("Placeholder(%q) = %v, want %v", n, got, want)
		}
	}
}

func TestPartyKey(t *testing.T) {
	same := [][2]string{
		{"Falcon Ridge Data Centres LLC", "FALCON RIDGE DATA CENTRES L.L.C."},
		{"Najd Compute Company", "najd compute co."},
		{"Acme Compute Pte. Ltd.", "Acme  Compute"},
	}
	for _, p := range same {
		if PartyKey(p[0]) != PartyKey(p[1]) {
			t.Errorf("PartyKey(%q) = %q, PartyKey(%q) = %q: want equal", p[0], PartyKey(p[0]), p[1], PartyKey(p[1]))
		}
	}
	if PartyKey("Falcon Ridge Data Centres LLC") == PartyKey("Falcon Ridge Logistics LLC") {
		t.Error("different parties compare equal")
	}
}

func f(v float64) *float64 { return &v }

func TestLedger(t *testing.T) {
	reg, err := Load(filepath.Join("..", "..", "fixtures", "licenses"), countries)
	if err != nil {
		t.Fatal(err)
	}
	falcon := "Falcon Ridge Data Centres L.L.C."
	other := "Desert Relay Trading FZE"
	h100 := func(q float64) []Line {
		return []Line{{SKU: "H100-SXM5-80G", ECCN: "3A090.a", Paragraph: "3A090.a.1", Quantity: q, UnitValueUSD: f(25000)}}
	}
	claim := func(n, date string, lines []Line) Claim {
		return Claim{Number: n, Date: date, ShipFrom: "US", Destination: "AE", Consignee: &falcon, EndUser: &falcon, Lines: lines}
	}
	led := NewLedger(reg)
	type step struct {
		name  string
		claim Claim
		check func(Check) bool
	}
	steps := []step{
		{"unknown", claim("D999", "2026-06-01", h100(1)), func(c Check) bool { return !c.Found && !c.Drawn }},
		{"valid draws 60 of 100", claim("D1100001", "2026-06-01", h100(60)), func(c Check) bool {
			return c.Found && c.Drawn && c.Quantity.Left == 100 && c.Quantity.Needed == 60 && c.Value.Needed == 1500000
		}},
		{"50 more exceeds the 40 left, draws nothing", claim("D1100001", "2026-06-02", h100(50)), func(c Check) bool {
			return !c.Drawn && c.Quantity.over() && c.Quantity.Left == 40
		}},
		{"40 fits exactly", claim("D1100001", "2026-06-03", h100(40)), func(c Check) bool { return c.Drawn && c.Quantity.Left == 40 }},
		{"then none is left", claim("D1100001", "2026-06-04", h100(1)), func(c Check) bool { return !c.Drawn && c.Quantity.Left == 0 }},
		{"expired on its expiry date", claim("D1100002", "2026-01-02", h100(1)), func(c Check) bool { return c.Expired && !c.Drawn }},
		{"in force the day before", claim("D1100002", "2026-01-01", h100(1)), func(c Check) bool { return !c.Expired && c.Drawn }},
		{"not yet valid", claim("D1100001", "2026-01-14", h100(1)), func(c Check) bool { return c.NotYetValid && !c.Drawn }},
		{"other destination", func() Claim { c := claim("D1100004", "2026-06-01", nil); c.Destination = "CN"; return c }(), func(c Check) bool { return !c.Destination }},
		{"reexport under an export license", func() Claim { c := claim("D1100004", "2026-06-01", nil); c.ShipFrom = "SG"; return c }(), func(c Check) bool {
			return c.Movement == Reexport && c.Type == Export && !c.Drawn
		}},
		{"other consignee", func() Claim { c := claim("D1100004", "2026-06-01", nil); c.Consignee = &other; return c }(), func(c Check) bool {
			return len(c.Parties) == 1 && c.Parties[0].Given && !c.Parties[0].Named && !c.Drawn
		}},
		{"no consignee given: reviewed, drawn", func() Claim { c := claim("D1100004", "2026-06-01", nil); c.Consignee = nil; return c }(), func(c Check) bool {
			return !c.Parties[0].Given && c.Drawn
		}},
		{"ECCN not covered, none needs nothing", claim("D1100004", "2026-06-01", append(h100(1), Line{SKU: "CABLE", ECCN: "none", Quantity: 9})), func(c Check) bool {
			return strings.Join(c.Uncovered, ",") == "3A090.a" && !c.Drawn
		}},
		{"value unknown: reviewed, the units drawn", claim("D1100004", "2026-06-01", []Line{{SKU: "L40", ECCN: "3A090.b", Quantity: 2}}), func(c Check) bool {
			return c.Value.Unknown && c.Drawn && c.Quantity.Needed == 2
		}},
		{"unknown ECCN only: reviewed, drawn", claim("D1100004", "2026-06-01", []Line{{SKU: "X", ECCN: "unknown", Quantity: 1, UnitValueUSD: f(0)}}), func(c Check) bool {
			return strings.Join(c.Uncovered, ",") == "unknown" && c.Drawn && c.Quantity.Left == 198
		}},
		{"value over", claim("D1100004", "2026-06-01", []Line{{SKU: "L40", ECCN: "3A090.b", Quantity: 100, UnitValueUSD: f(8001)}}), func(c Check) bool {
			return c.Value.over() && !c.Quantity.over() && !c.Drawn
		}},
		{"value exactly", claim("D1100004", "2026-06-01", []Line{{SKU: "L40", ECCN: "3A090.b", Quantity: 100, UnitValueUSD: f(8000)}}), func(c Check) bool {
			return c.Drawn && c.Value.Left == 800000
		}},
		{"then quantity left, value not", claim("D1100004", "2026-06-01", []Line{{SKU: "L40", ECCN: "3A090.b", Quantity: 1, UnitValueUSD: f(1)}}), func(c Check) bool {
			return !c.Drawn && c.Value.Left == 0 && c.Quantity.Left == 98
		}},
	}
	for _, s := range steps {
		c, ok := led.Apply(s.claim)
		if !ok || !s.check(c) {
			t.Errorf("%s: %+v (quantity %+v, value %+v)", s.name, c, c.Quantity, c.Value)
		}
	}
	// SKU license: 40 less 24 used before the run.
	c, _ := led.Apply(Claim{Number: "D1100003", Date: "2026-06-01", ShipFrom: "DE", Destination: "SA", Consignee: ptr("Najd Compute Company"), EndUser: ptr("Najd Compute Co."), Lines: h100(16)})
	if !c.Drawn || c.Quantity.Left != 16 {
		t.Errorf("D1100003: %+v %+v", c, c.Quantity)
	}
	if _, ok := NewLedger(nil).Apply(claim("D1100001", "2026-06-01", nil)); ok {
		t.Error("a ledger without a register matched a claim")
	}
}

func ptr(s string) *string { return &s }
