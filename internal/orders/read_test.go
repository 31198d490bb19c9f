package orders

// Reading records of this domain from every format: the problems, lines
// and values users see, with a small fixed vocabulary.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/record"
)

// testVocab is a small fixed vocabulary; the real one comes from rules/.
type testVocab struct{}

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

var (
	testCountries = set("US", "SG", "CN", "AE", "DE", "NO", "NL", "JP", "MY", "UA")
	testEndUses   = set("ai_training", "supercomputer", "military")
	testRedFlags  = set("new_customer_large_volume", "freight_forwarder_destination", "cash_payment")
	testCatalog   = set("b200", "h20", "h100-sxm")
)

func (testVocab) Country(c string) bool { return testCountries[c] }
func (testVocab) EndUse(c string) bool  { return testEndUses[c] }
func (testVocab) RedFlag(c string) bool { return testRedFlags[c] }
func (testVocab) Catalog(c string) bool { return testCatalog[c] }
func (testVocab) Region(country, code string) bool {
	return country == "UA" && (code == "crimea" || code == "other")
}

var (
	// pkgDir is the package directory, where go test starts.
	pkgDir, _ = os.Getwd()
	// testdata holds the record files shared with package record's format
	// tests (docs/records.md points at them).
	testdata = filepath.Join(pkgDir, "..", "record", "testdata")
)

// readText reads text as stdin in the given format ("" = sniffed).
func readText(t *testing.T, format, kind, text string) ([]record.Record, []string) {
	t.Helper()
	recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(testVocab{}), Format: format, Kind: kind, Stdin: strings.NewReader(text)}, "-")
	return recs, strs(probs)
}

// readFiles reads paths relative to dir (absolute), so problems name them
// briefly.
func readFiles(t *testing.T, dir string, paths ...string) ([]record.Record, []string) {
	t.Helper()
	t.Chdir(dir)
	recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(testVocab{})}, paths...)
	return recs, strs(probs)
}

func strs(ps record.Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}

// writeFiles creates files (name -> content) in a new temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ids(recs []record.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func sources(recs []record.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("%s:%d %s %s", r.Source.File, r.Source.Line, r.Kind, r.ID))
	}
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestKinds: the kinds, in the order messages name them.
func TestKinds(t *testing.T) {
	ks := Kinds(testVocab{})
	if len(ks) != 2 || ks[0].Name != KindOrder || !ks[0].UniqueIDs || ks[1].Name != KindChip || ks[1].UniqueIDs {
		t.Errorf("kinds = %+v, want order (unique ids), then chip", ks)
	}
}

func TestReadYAMLValues(t *testing.T) {
	recs, probs := readFiles(t, testdata, "orders.yaml")
	equalStrings(t, "problems", probs, nil)
	if o := OrderOf(&recs[0]); o.Destination != "NO" || o.Date != "2026-11-20" {
		t.Errorf("unquoted NO and a YAML timestamp must come through as text: %+v", o)
	}
	if c := ChipOf(&recs[1]); c.DesignerCountry != "CN" || c.Datacenter == nil || *c.Datacenter {
		t.Errorf("chip = %+v", c)
	}
}

func TestYAMLLines(t *testing.T) {
	text := `# leading comment
kind: order
id: A-1
date: 2026-11-20
ship_from: US
destination: SG
items:
  - sku: X
    quantity: 1
    chip:
      name: X
      performance:
        - format: fp8
          bits: eight
          tops: 10
---
kind: order
id: A-2
date: 2026-11-20
ship_from: US
destination: SG
items: [{sku: Y, quantity: 1, catalog: h20}
---
kind: order
id: A-3
date: 2026-11-20
ship_from: US
destination: [SG
items: [{sku: Y, quantity: 1, catalog: h20}]
---
kind: chip
name: after the errors
`
	recs, probs := readText(t, "yaml", "", text)
	equalStrings(t, "problems", probs, []string{
		`<stdin>:14: items.0.chip.performance.0.bits: expected a number, got string "eight"`,
		"<stdin>:22: invalid YAML: did not find expected ',' or ']'",
		"<stdin>:28: invalid YAML: did not find expected ',' or ']'",
	})
	equalStrings(t, "records", sources(recs), []string{"<stdin>:31 chip after the errors"})
}

func TestYAMLAliasesAndMerges(t *testing.T) {
	text := `kind: order
id: M-1
date: 2026-11-20
ship_from: US
destination: SG
parties:
  buyer: &acme {name: Acme, country: SG}
  end_user: *acme
  consignee:
    <<: *acme
    name: Acme Logistics
items:
  - &line {sku: X, quantity: 1, chip: &h100 {name: H100, performance: [{format: fp8, bits: 8, tops: 1978.9}]}}
  - {<<: *line, sku: Y}
  - {sku: Z, quantity: 2, contains: [{count: 8, chip: *h100}]}
`
	recs, probs := readText(t, "yaml", "", text)
	equalStrings(t, "problems", probs, nil)
	o := OrderOf(&recs[0])
	if o.Parties.EndUser.Name != "Acme" || o.Parties.Consignee.Name != "Acme Logistics" || o.Parties.Consignee.Country != "SG" {
		t.Errorf("parties = %+v %+v", o.Parties.EndUser, o.Parties.Consignee)
	}
	if len(o.Items) != 3 || o.Items[1].SKU != "Y" || o.Items[1].Chip.Name != "H100" || o.Items[2].Contains[0].Chip.Performance[0].TOPS != 1978.9 {
		t.Errorf("items = %+v", o.Items)
	}
	if o.Items[0].Chip == o.Items[1].Chip {
		t.Error("aliased chips share one struct; a later step editing one would edit both")
	}
	// A problem inside an alias names the line of its definition.
	_, probs = readText(t, "yaml", "", strings.Replace(text, "tops: 1978.9", "tops: -1", 1))
	equalStrings(t, "problems", probs, []string{
		"<stdin>:13: items.0.chip.performance.0.tops: must be greater than 0, got -1",
		"<stdin>:13: items.1.chip.performance.0.tops: must be greater than 0, got -1",
		"<stdin>:13: items.2.contains.0.chip.performance.0.tops: must be greater than 0, got -1",
	})
}

func TestJSONLines(t *testing.T) {
	text := `[
  {"kind": "order", "id": "A-1", "date": "2026-11-20", "ship_from": "US", "destination": "SG",
   "items": [{"sku": "X", "quantity": -1, "catalog": "h20"}]},
  {
    "kind": "order",
    "id": "A-2",
    "date": "2026-11-20",
    "ship_from": "US",
    "destination": "XX",
    "items": [{"sku": "Y", "quantity": 1, "catalog": "h20"}],
    "id": "A-3"
  },
  "not an object",
  {"kind": "chip", "name": "ok"}
]`
	recs, probs := readText(t, "json", "", text)
	equalStrings(t, "problems", probs, []string{
		"<stdin>:3: items.0.quantity: must be greater than 0, got -1",
		`<stdin>:9: destination: unknown country code "XX"`,
		"<stdin>:11: id: given twice (first on line 6)",
		`<stdin>:13: expected an object (one record), got string "not an object"`,
	})
	equalStrings(t, "records", sources(recs), []string{"<stdin>:14 chip ok"})
}

func TestJSONLLines(t *testing.T) {
	text := "{\"kind\":\"chip\",\"name\":\"A\"}\r\n" +
		"\r\n" +
		"{\"kind\":\"chip\",\"name\":\"B\",\"die_area_mm2\":\"big\"}\n" +
		"[1]\n" +
		"{\"kind\":\"chip\",\"name\":\"C\"} {}\n" +
		"   \n" +
		"{\"kind\":\"chip\",\"name\":\"D\"}"
	recs, probs := readText(t, "jsonl", "", text)
	equalStrings(t, "problems", probs, []string{
		`<stdin>:3: die_area_mm2: expected a number, got string "big"`,
		"<stdin>:4: expected an object (one record), got list",
		"<stdin>:5: invalid JSON: unexpected '{' after the object (one object per line)",
	})
	equalStrings(t, "records", sources(recs), []string{"<stdin>:1 chip A", "<stdin>:7 chip D"})
}

// FuzzRead checks that no input makes Read panic, that every problem names
// the input and says what is wrong, that records come whole and in input
// order, and that a record with a problem is never returned (in JSONL,
// where a line is one record: no record on a line with a problem).
func FuzzRead(f *testing.F) {
	for _, name := range []string{"orders.yaml", "order.json", "orders.json", "orders.jsonl", "roundtrip.csv", "chips.csv"} {
		data, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.TrimPrefix(filepath.Ext(name), "."), string(data))
	}
	f.Add("yaml", baseOrder)
	f.Fuzz(func(t *testing.T, format, text string) {
		switch format {
		case "", "yaml", "json", "jsonl", "csv":
		default:
			return
		}
		recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(testVocab{}), Format: format, Stdin: strings.NewReader(text)}, "-")
		bad := map[int]bool{}
		for _, p := range probs {
			if p.File != record.StdinName || p.Msg == "" {
				t.Fatalf("malformed problem %+v", p)
			}
			bad[p.Line] = true
		}
		last := 0
		for _, r := range recs {
			o, c := OrderOf(&r), ChipOf(&r)
			if r.Source.File != record.StdinName || r.Source.Line < 1 || (o == nil) == (c == nil) || len(r.Digest) != 64 {
				t.Fatalf("malformed record %+v", r)
			}
			if r.Source.Line < last {
				t.Fatalf("record at line %d after one at line %d: not in input order", r.Source.Line, last)
			}
			last = r.Source.Line
			if o != nil && (r.ID == "" || len(o.Items) == 0) {
				t.Fatalf("an order without id or items was returned: %+v", o)
			}
			if format == "jsonl" && bad[r.Source.Line] {
				t.Fatalf("line %d holds both a record and a problem", r.Source.Line)
			}
		}
	})
}

func TestYAMLMergeOrder(t *testing.T) {
	text := "x_a: &a {name: A, datacenter: true}\nx_b: &b {name: B, die_area_mm2: 5}\nkind: chip\n<<: [*a, *b]\n"
	recs, probs := readText(t, "yaml", "", text)
	equalStrings(t, "problems", probs, nil)
	c := ChipOf(&recs[0])
	if c.Name != "A" || c.Datacenter == nil || !*c.Datacenter || c.DieAreaMM2 == nil || *c.DieAreaMM2 != 5 {
		t.Errorf("chip = %+v: earlier merges win, all keys merged", c)
	}
}
