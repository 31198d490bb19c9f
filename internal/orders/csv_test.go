package orders

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chipcheck/chipcheck/internal/record"
)

func TestCSVRoundTrip(t *testing.T) {
	// The CSV fixture starts with a byte order mark and ends lines with CRLF,
	// as spreadsheet exports do.
	raw, err := os.ReadFile(filepath.Join(testdata, "roundtrip.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("\ufeff")) || !bytes.Contains(raw, []byte("\r\n")) {
		t.Fatal("testdata/roundtrip.csv lost its BOM or CRLF line ends")
	}
	for _, pair := range [][2]string{{"roundtrip.yaml", "roundtrip.csv"}, {"chips.yaml", "chips.csv"}} {
		t.Run(pair[1], func(t *testing.T) {
			yrecs, yprobs := readFiles(t, testdata, pair[0])
			crecs, cprobs := readFiles(t, testdata, pair[1])
			equalStrings(t, "yaml problems", yprobs, nil)
			equalStrings(t, "csv problems", cprobs, nil)
			if len(yrecs) == 0 {
				t.Fatal("no records")
			}
			if d := cmp.Diff(yrecs, crecs, cmpopts.IgnoreFields(record.Record{}, "Source", "Digest"), cmpopts.IgnoreUnexported(Order{})); d != "" {
				t.Errorf("YAML and CSV differ (-yaml +csv):\n%s", d)
			}
		})
	}
}

func TestCSVProblems(t *testing.T) {
	const head = "id,kind,date,ship_from,destination,items.sku,items.quantity,items.catalog\n"
	tests := []struct {
		name, text string
		kind       string
		want       []string
		recs       []string
	}{
		{name: "rows of an order need not be adjacent",
			text: head + "A,order,2026-11-20,US,SG,a1,1,h20\nB,order,2026-11-20,US,SG,b1,1,h20\nA,,,,,a2,2,b200\n",
			recs: []string{"<stdin>:2 order A", "<stdin>:3 order B"}},
		{name: "conflicting order-level values",
			text: head + "A,order,2026-11-20,US,SG,a1,1,h20\nA,order,2026-11-21,US,sg,a2,1,h20\n",
			want: []string{
				`<stdin>:3: date: "2026-11-21" conflicts with "2026-11-20" on line 2 for the same order`,
				`<stdin>:3: destination: "sg" conflicts with "SG" on line 2 for the same order`,
			},
			recs: []string{"<stdin>:2 order A"}},
		{name: "cells that do not parse name their row",
			text: head + "A,order,2026-11-20,US,SG,a1,1,h20\nA,,,,,a2,many,h20\nA,,,,,a3,-3,nope\n",
			want: []string{
				`<stdin>:3: items.1.quantity: expected a number, got string "many"`,
				"<stdin>:4: items.2.quantity: must be greater than 0, got -3",
				`<stdin>:4: items.2.catalog: unknown catalog entry "nope"`,
			}},
		{name: "row without id",
			text: head + ",order,2026-11-20,US,SG,a1,1,h20\n",
			want: []string{"<stdin>:2: id: required"}},
		{name: "kind from options",
			text: "id,date,ship_from,destination,items.sku,items.quantity,items.catalog\nA,2026-11-20,US,SG,a1,1,h20\n",
			kind: "order", recs: []string{"<stdin>:2 order A"}},
		{name: "kind missing",
			text: "id,date,ship_from,destination,items.sku,items.quantity,items.catalog\nA,2026-11-20,US,SG,a1,1,h20\n",
			want: []string{"<stdin>:2: kind: required: give kind: order or kind: chip (or --kind for the whole input)"}},
		{name: "order-only rows add no item",
			text: head + "A,order,2026-11-20,US,SG,,,\n",
			want: []string{"<stdin>:2: items: required: at least one item"}},
		{name: "blank rows are skipped",
			text: head + ",,,,,,,\n\nA,order,2026-11-20,US,SG,a1,1,h20\n",
			recs: []string{"<stdin>:4 order A"}},
		{name: "wrong number of fields",
			text: head + "A,order,2026-11-20,US,SG,a1,1\nB,order,2026-11-20,US,SG,b1,1,h20\n",
			want: []string{"<stdin>:2: row has 7 fields, the header 8"},
			recs: []string{"<stdin>:3 order B"}},
		{name: "syntax error drops the file",
			text: head + "A,order,2026-11-20,US,SG,a1,1,h20\nB,order,2026-11-20,US,SG,\"b\"1,1,h20\n",
			want: []string{`<stdin>:3: invalid CSV: extraneous or missing " in quoted-field`}},
		{name: "header problems",
			text: "id,kind,date,ship_from,destination,items.sku,items.quantity,items.catalog,items.chip.tops_fp,,id,a..b,0.x,items,items.0.sku,parties.buyer,parties.buyer.name,items.chip.performance,items.chip.tops_fp8,tops_int8,tops_int8,x.0,x.a\n" +
				"A,order,2026-11-20,US,SG,a1,1,h20,1,,,,,,,,Buyer,,,,,,\n",
			want: []string{
				`<stdin>:1: items.chip.tops_fp: cannot tell the bit width of number format "fp": name it with its width, e.g. tops_fp8`,
				"<stdin>:1: column 10 has no name",
				"<stdin>:1: id: column given twice",
				"<stdin>:1: a..b: empty segment in column name",
				"<stdin>:1: 0.x: a column must start with a field name",
				"<stdin>:1: items: item columns name the item's field (items.sku, items.chip.name) and take no index: one row per item",
				"<stdin>:1: items.0.sku: item columns name the item's field (items.sku, items.chip.name) and take no index: one row per item",
				`<stdin>:1: parties.buyer.name: conflicts with column "parties.buyer"`,
				`<stdin>:1: items.chip.tops_fp8: conflicts with column "items.chip.performance"`,
				"<stdin>:1: tops_int8: column given twice",
				`<stdin>:1: x.a: conflicts with column "x.0"`,
			},
			recs: []string{"<stdin>:2 order A"}},
		{name: "list indexes and code lists",
			text: "id,kind,date,ship_from,destination,items.sku,items.quantity,items.catalog,parties.intermediates.2.name,parties.intermediates.0.name,red_flags,end_use.codes\n" +
				"A,order,2026-11-20,US,SG,a1,1,h20,Second,First,cash_payment;;bogus,ai_training\n",
			want: []string{`<stdin>:2: red_flags.1: unknown red-flag code "bogus"`}},
		{name: "chip and order rows mixed",
			text: "kind,id,name,tops_int8,date,ship_from,destination,items.sku,items.quantity,items.catalog\n" +
				"chip,c1,Chip One,100,,,,,,\norder,A,,,2026-11-20,US,SG,a1,1,h20\nchip,,Chip Two,abc,,,,,,\n",
			want: []string{`<stdin>:4: performance.0.tops: expected a number, got string "abc"`},
			recs: []string{"<stdin>:2 chip c1", "<stdin>:3 order A"}},
		{name: "explicit performance columns",
			text: "kind,name,performance.0.format,performance.0.bits,performance.0.tops,tops_fp16\nchip,X,fp8,8,1000,500\n",
			kind: "", recs: []string{"<stdin>:2 chip X"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readText(t, "csv", tt.kind, tt.text)
			equalStrings(t, "problems", probs, tt.want)
			equalStrings(t, "records", sources(recs), tt.recs)
		})
	}
}

func TestCSVValues(t *testing.T) {
	text := "id,kind,date,ship_from,destination,items.sku,items.quantity,items.catalog,parties.intermediates.2.name,parties.intermediates.0.name,red_flags,end_use.codes,items.contains.1.count,items.contains.1.catalog,items.contains.0.count,items.contains.0.chip.name,items.contains.0.chip.tops_tf32\n" +
		"A,order,2026-11-20,US,SG,a1,1,h20,Second,First, cash_payment ;; new_customer_large_volume,ai_training,,,,,\n" +
		"A,,,,,a2,1,,,,,,2,b200,4,Inner,250\n"
	recs, probs := readText(t, "csv", "", text)
	equalStrings(t, "problems", probs, nil)
	o := OrderOf(&recs[0])
	want := &Order{
		ID: "A", Date: "2026-11-20", ShipFrom: "US", Destination: "SG",
		Parties:  Parties{Intermediates: []Party{{Name: "First"}, {Name: "Second"}}},
		EndUse:   EndUse{Codes: []string{"ai_training"}},
		RedFlags: []string{"cash_payment", "new_customer_large_volume"},
		Items: []Item{
			{SKU: "a1", Quantity: 1, Catalog: "h20"},
			{SKU: "a2", Quantity: 1, Contains: []Contained{
				{Count: 4, Chip: &Chip{Name: "Inner", Performance: []Perf{{Format: "tf32", Bits: 32, TOPS: 250}}}},
				{Count: 2, Catalog: "b200"},
			}},
		},
	}
	if d := cmp.Diff(want, o, cmpopts.IgnoreUnexported(Order{})); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}

func TestCSVPerformanceOrder(t *testing.T) {
	text := "kind,name,tops_fp16,performance.1.format,performance.1.bits,performance.1.tops,performance.0.format,performance.0.bits,performance.0.tops,tops_int4\n" +
		"chip,X,500,fp8,8,1000,tf32,32,250,4000\n"
	recs, probs := readText(t, "csv", "", text)
	equalStrings(t, "problems", probs, nil)
	want := []Perf{{"tf32", 32, 250}, {"fp8", 8, 1000}, {"fp16", 16, 500}, {"int4", 4, 4000}}
	if d := cmp.Diff(want, ChipOf(&recs[0]).Performance); d != "" {
		t.Errorf("performance (-want +got):\n%s", d)
	}
}

func TestTrailingDigits(t *testing.T) {
	for in, want := range map[string]int{"fp8": 8, "int8": 8, "bf16": 16, "tf32": 32, "fp4": 4, "fp": 0, "": 0, "8": 8, "fp08": 8} {
		if got := trailingDigits(in); got != want {
			t.Errorf("trailingDigits(%q) = %d, want %d", in, got, want)
		}
	}
}
