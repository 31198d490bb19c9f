package record

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestCSVLayout: rows become records as each kind's CSV layout says
// (testKinds: orders gathered by id, a row per item; chips a row each).
func TestCSVLayout(t *testing.T) {
	const head = "id,kind,date,items.sku,items.n\n"
	tests := []struct {
		name, text, kind string
		want             []string // problems
		recs             []string // "file:line kind id: value"
	}{
		{name: "rows of a record need not be adjacent",
			text: head + "A,order,2026-11-20,a1,1\nB,order,2026-11-20,b1,1\nA,,,a2,2\n",
			recs: []string{
				"<stdin>:2 order A: map[date:2026-11-20 id:A items:[map[n:1 sku:a1] map[n:2 sku:a2]] kind:order]",
				"<stdin>:3 order B: map[date:2026-11-20 id:B items:[map[n:1 sku:b1]] kind:order]",
			}},
		{name: "values outside the rows must agree",
			text: head + "A,order,2026-11-20,a1,1\nA,order,2026-11-21,a2,1\n",
			want: []string{`<stdin>:3: date: "2026-11-21" conflicts with "2026-11-20" on line 2 for the same order`},
			recs: []string{"<stdin>:2 order A: map[date:2026-11-20 id:A items:[map[n:1 sku:a1] map[n:1 sku:a2]] kind:order]"}},
		{name: "cells that do not parse name their row and element",
			text: head + "A,order,2026-11-20,a1,1\nA,,,a2,many\n",
			want: []string{`<stdin>:3: items.1.n: expected a number, got string "many"`}},
		{name: "a row without the group column is a record of its own",
			text: head + ",order,2026-11-20,a1,1\n,order,2026-11-20,a2,1\n",
			want: []string{"<stdin>:2: id: required", "<stdin>:3: id: required"}},
		{name: "a row with no cell of the rows adds no element",
			text: head + "A,order,2026-11-20,,\n",
			recs: []string{"<stdin>:2 order A: map[date:2026-11-20 id:A kind:order]"}},
		{name: "chips are a row each, rows columns at their path",
			text: head + "c1,chip,,s,1\nc1,chip,,t,2\n",
			recs: []string{
				"<stdin>:2 chip c1: map[id:c1 items:map[n:1 sku:s] kind:chip]",
				"<stdin>:3 chip c1: map[id:c1 items:map[n:2 sku:t] kind:chip]",
			}},
		{name: "kind from options",
			text: "id,items.sku\nA,a1\nA,a2\n", kind: "order",
			recs: []string{"<stdin>:2 order A: map[id:A items:[map[sku:a1] map[sku:a2]]]"}},
		{name: "rows of no known kind are laid out as the first kind's",
			text: "id,kind,items.sku\nA,invoice,a1\nA,invoice,a2\nB,,b1\n",
			want: []string{
				`<stdin>:2: kind: unknown kind "invoice" (want order or chip)`,
				"<stdin>:4: kind: required: give kind: order or kind: chip (or --kind for the whole input)",
			}},
		{name: "list columns, shorthands and indexes",
			text: "kind,name,tags,ns.1.n,ns.0.n,n_kg,n_lb\nchip,X, a ;; b ,20,10,5,6\n",
			recs: []string{"<stdin>:2 chip X: map[kind:chip name:X ns:[map[n:10] map[n:20] map[len:2 n:5 unit:kg] map[len:2 n:6 unit:lb]] tags:[a b]]"}},
		{name: "a shorthand's cell is checked like any other",
			text: "kind,name,parts.n_kg\nchip,X,-1\n",
			want: []string{"<stdin>:2: parts.ns.0.n: must be greater than 0, got -1"}},
		{name: "header problems",
			text: "id,kind,n_,,id,a..b,0.x,items,items.0.sku,b,b.c,x.0,x.a,ns,n_kg\nA,order,1,2,3,4,5,6,7,8,9,10,11,12,13\n",
			want: []string{
				"<stdin>:1: n_: name the unit, e.g. n_kg",
				"<stdin>:1: column 4 has no name",
				"<stdin>:1: id: column given twice",
				"<stdin>:1: a..b: empty segment in column name",
				"<stdin>:1: 0.x: a column must start with a field name",
				"<stdin>:1: items: item columns take no index",
				"<stdin>:1: items.0.sku: item columns take no index",
				`<stdin>:1: b.c: conflicts with column "b"`,
				`<stdin>:1: x.a: conflicts with column "x.0"`,
				`<stdin>:1: n_kg: conflicts with column "ns"`,
			},
			recs: []string{"<stdin>:2 order A: map[b:8 id:A kind:order ns:12 x:[10]]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readText(t, "csv", tt.kind, tt.text)
			equalStrings(t, "problems", probs, tt.want)
			var got []string
			for _, r := range recs {
				got = append(got, fmt.Sprintf("%s:%d %s %s: %v", r.Source.File, r.Source.Line, r.Kind, r.ID, r.Value))
			}
			equalStrings(t, "records", got, tt.recs)
		})
	}
}

func TestCSVManyColumnsIsLinear(t *testing.T) {
	// Placing cells once walked sibling lists; 10,000 columns then took
	// seconds per row. The bound is loose to stay clear of a busy machine.
	var sb strings.Builder
	sb.WriteString("kind,id,items.sku")
	for i := range 10000 {
		fmt.Fprintf(&sb, ",notes.%d,x_extra%d", 10000-i, i)
	}
	sb.WriteString("\n")
	for r := range 5 {
		fmt.Fprintf(&sb, "order,A,s%d%s\n", r, strings.Repeat(",x", 20000))
	}
	start := time.Now()
	recs, probs := readText(t, "csv", "", sb.String())
	if len(probs) > 0 || len(recs) != 1 || len(value(recs[0], "items").([]any)) != 5 {
		t.Fatalf("%d records, problems %v", len(recs), probs)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}
