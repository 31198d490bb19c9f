package record

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestDecoder: each Decoder method on member v of a one-field record
// (line 2 holds v): the value it reads and the problems it reports.
func TestDecoder(t *testing.T) {
	known := func(s string) bool { return s == "ok" || s == "US" }
	str := func(d *Decoder, n *Node) any { return d.Str(n, nil, "v") }
	reqStr := func(d *Decoder, n *Node) any { return d.ReqStr(n, nil, "v") }
	number := func(rule NumberRule) func(d *Decoder, n *Node) any {
		return func(d *Decoder, n *Node) any {
			if v := d.Number(n, nil, "v", rule); v != nil {
				return *v
			}
			return nil
		}
	}
	boolean := func(d *Decoder, n *Node) any {
		if v := d.Bool(n, nil, "v"); v != nil {
			return *v
		}
		return nil
	}
	country := func(required bool) func(d *Decoder, n *Node) any {
		return func(d *Decoder, n *Node) any { return d.Country(n, nil, "v", required, known) }
	}
	date := func(required bool) func(d *Decoder, n *Node) any {
		return func(d *Decoder, n *Node) any { return d.Date(n, nil, "v", required) }
	}
	codes := func(d *Decoder, n *Node) any { return d.Codes(n, nil, "v", known, "test") }
	list := func(d *Decoder, n *Node) any { return d.List(n, nil, "v") != nil }
	isMap := func(d *Decoder, n *Node) any {
		f := Path{key: "v"}
		return d.IsMap(d.Field(n, nil, "v"), &f)
	}
	only := func(d *Decoder, n *Node) any {
		f := Path{key: "v"}
		d.Only(d.Field(n, nil, "v"), &f, []string{"alpha", "beta", "gamma_ray"})
		return d.Reported()
	}
	const nan = "<nil>"
	tests := []struct {
		name  string
		read  func(d *Decoder, n *Node) any
		v     string // the YAML of v ("" leaves it out)
		want  any
		probs []string
	}{
		{"str", str, "v: hello", "hello", nil},
		{"str of a number keeps its text", str, "v: 0123", "0123", nil},
		{"str trimmed", str, `v: " a "`, "a", nil},
		{"str absent", str, "", "", nil},
		{"str null", str, "v: ~", "", nil},
		{"str of a list", str, "v: [1]", "", []string{"<stdin>:2: v: expected a string, got list"}},
		{"str given twice", str, "v: a\nv: b", "a", []string{"<stdin>:3: v: given twice (first on line 2)"}},
		{"reqStr absent", reqStr, "", "", []string{"<stdin>:1: v: required"}},
		{"reqStr empty", reqStr, `v: " "`, "", []string{"<stdin>:2: v: must not be empty"}},
		{"number", number(Positive), "v: 1978.9", 1978.9, nil},
		{"number with separators and a prefix", number(Positive), "v: 0x1_0", 16.0, nil},
		{"number quoted", number(Positive), `v: "8"`, nan, []string{`<stdin>:2: v: expected a number, got string "8"`}},
		{"number a boolean", number(Positive), "v: true", nan, []string{`<stdin>:2: v: expected a number, got boolean "true"`}},
		{"number infinite", number(Positive), "v: .inf", nan, []string{`<stdin>:2: v: expected a finite number, got ".inf"`}},
		{"number not positive", number(Positive), "v: 0", nan, []string{"<stdin>:2: v: must be greater than 0, got 0"}},
		{"number not whole", number(PositiveWhole), "v: 1.5", nan, []string{"<stdin>:2: v: must be a whole number, got 1.5"}},
		{"number negative", number(NonNegative), "v: -1", nan, []string{"<stdin>:2: v: must not be negative, got -1"}},
		{"number zero allowed", number(NonNegative), "v: 0", 0.0, nil},
		{"number beyond any figure", number(NonNegative), "v: 2e12", nan, []string{"<stdin>:2: v: 2e+12 is beyond any real figure (at most 1e+12)"}},
		{"bool", boolean, "v: true", true, nil},
		{"bool unquoted no", boolean, "v: no", false, nil},
		{"bool quoted", boolean, `v: "yes"`, nan, []string{`<stdin>:2: v: expected a boolean (true or false), got string "yes"`}},
		{"bool other", boolean, "v: maybe", nan, []string{`<stdin>:2: v: expected a boolean (true or false), got string "maybe"`}},
		{"country upper-cased", country(true), "v: us", "US", nil},
		{"country unknown", country(false), "v: xx", "XX", []string{`<stdin>:2: v: unknown country code "XX"`}},
		{"country required, absent", country(true), "", "", []string{"<stdin>:1: v: required"}},
		{"country required, empty", country(true), `v: ""`, "", []string{"<stdin>:2: v: required"}},
		{"country optional, empty", country(false), `v: ""`, "", nil},
		{"date", date(true), "v: 2026-11-20", "2026-11-20", nil},
		{"date not in the calendar", date(true), "v: 2026-02-30", "", []string{`<stdin>:2: v: expected a date YYYY-MM-DD, got "2026-02-30"`}},
		{"date outside the bounds", date(true), "v: 2206-11-20", "", []string{"<stdin>:2: v: 2206-11-20 is outside 2000-01-01 to 2100-12-31, the dates the rules can judge (give --as-of to judge it under the rules of another date)"}},
		{"date required, absent", date(true), "", "", []string{"<stdin>:1: v: required"}},
		{"date a mapping", date(false), "v: {a: 1}", "", []string{"<stdin>:2: v: expected a string, got mapping"}},
		{"codes", codes, `v: [ok, "", nope, [1], US]`, []string{"ok", "US"}, []string{
			"<stdin>:2: v.1: empty test code",
			`<stdin>:2: v.2: unknown test code "nope"`,
			"<stdin>:2: v.3: expected a string, got list",
		}},
		{"list", list, "v: []", true, nil},
		{"list a mapping", list, "v: {a: 1}", false, []string{"<stdin>:2: v: expected a list, got mapping"}},
		{"isMap", isMap, "v: 1", false, []string{`<stdin>:2: v: expected a mapping, got number "1"`}},
		{"only", only, "v:\n  alpah: 1\n  beta: 2\n  x_own: 3\n  x-own: 4\n  gamma: 5\n  delta: 6", 3, []string{
			`<stdin>:3: v.alpah: unknown field "alpah"; did you mean "alpha"?`,
			`<stdin>:7: v.gamma: unknown field "gamma"`, // 4 edits from gamma_ray: no guess
			`<stdin>:8: v.delta: unknown field "delta"; did you mean "beta"?`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			kinds := []Kind{{Name: "t", Build: func(d *Decoder, n *Node) (any, string) {
				got = tt.read(d, n)
				return got, "x"
			}}}
			text := "kind: t\n" + tt.v + "\n"
			_, probs := Read(context.Background(), Options{Kinds: kinds, Stdin: strings.NewReader(text), Dates: [2]string{"2000-01-01", "2100-12-31"}}, "-")
			equalStrings(t, "problems", strs(probs), tt.probs)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("value %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	var rec *Path
	items := rec.Key("items")
	item := items.At(2)
	chip := item.Key("chip")
	if got := chip.String(); got != "items.2.chip" {
		t.Errorf("path %q", got)
	}
	if rec.String() != "" {
		t.Errorf("the record's path %q, want empty", rec.String())
	}
}
