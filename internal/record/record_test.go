package record

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The format tests read records of two tiny kinds rather than a real
// domain's (internal/orders tests its own with every format):
//
//   - "order": needs an id, unique among orders, and may give a date. In
//     CSV, rows with the same id form one order, each row adding an
//     element to items; tags holds several values; a column n_<unit>
//     stands for an element {unit, len, n} of the list ns.
//   - "chip": named by its id, else its name, else its catalog.
//
// Any member named n, at any depth, must be a number above 0, so that a
// problem deep in a record shows its line and path. A record's value is
// its tree as plain Go values (toAny).
var testKinds = []Kind{
	{Name: "order", UniqueIDs: true, Build: buildTestOrder, CSV: CSV{
		GroupBy: "id", Rows: "items", RowsHint: "item columns take no index",
		Lists: []string{"tags"}, Shorthands: []Shorthand{nShorthand},
	}},
	{Name: "chip", Build: buildTestChip, CSV: CSV{Shorthands: []Shorthand{nShorthand}}},
}

var nShorthand = Shorthand{Prefix: "n_", List: "ns", Key: "n", Members: func(unit string) ([]Member, error) {
	if unit == "" {
		return nil, errors.New("name the unit, e.g. n_kg")
	}
	return []Member{{Key: "unit", Text: unit}, {Key: "len", Text: strconv.Itoa(len(unit)), Number: true}}, nil
}}

func buildTestOrder(d *Decoder, n *Node) (any, string) {
	id := d.ReqStr(n, nil, "id")
	d.Date(n, nil, "date", false)
	checkNs(d, n, nil)
	return toAny(n), id
}

func buildTestChip(d *Decoder, n *Node) (any, string) {
	id := d.Str(n, nil, "id")
	for _, k := range []string{"name", "catalog"} {
		if id == "" {
			id = d.Str(n, nil, k)
		}
	}
	checkNs(d, n, nil)
	return toAny(n), id
}

// checkNs checks every member n under node at p.
func checkNs(d *Decoder, node *Node, p *Path) {
	switch node.Kind() {
	case MapNode:
		if node.Given("n") {
			d.Number(node, p, "n", Positive)
		}
		for c := node.First(); c != nil; c = c.Next() {
			f := p.Key(c.Key())
			checkNs(d, c, &f)
		}
	case ListNode:
		for i, c := 0, node.First(); c != nil; i, c = i+1, c.Next() {
			f := p.At(i)
			checkNs(d, c, &f)
		}
	}
}

// value is the member key of a record's value (toAny).
func value(r Record, key string) any {
	m, _ := r.Value.(map[string]any)
	return m[key]
}

// readText reads text as stdin in the given format ("" = sniffed).
func readText(t *testing.T, format, kind, text string) ([]Record, []string) {
	t.Helper()
	recs, probs := Read(context.Background(), Options{Kinds: testKinds, Format: format, Kind: kind, Stdin: strings.NewReader(text)}, "-")
	return recs, strs(probs)
}

// pkgDir is the package directory, where go test starts.
var pkgDir, _ = os.Getwd()

// readFiles reads paths relative to dir, so problems name them briefly.
func readFiles(t *testing.T, opts Options, dir string, paths ...string) ([]Record, []string) {
	t.Helper()
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(pkgDir, dir)
	}
	t.Chdir(dir)
	if opts.Kinds == nil {
		opts.Kinds = testKinds
	}
	recs, probs := Read(context.Background(), opts, paths...)
	return recs, strs(probs)
}

func strs(ps Problems) []string {
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
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ids(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestDigest: the digest names the record's content, whatever the member
// order or layout, and tells different content apart.
func TestDigest(t *testing.T) {
	read := func(format, text string) string {
		t.Helper()
		recs, probs := Read(context.Background(), Options{Kinds: testKinds, Format: format, Stdin: strings.NewReader(text)}, "-")
		if len(probs) > 0 || len(recs) != 1 {
			t.Fatalf("%s: %v", text, probs)
		}
		return recs[0].Digest
	}
	const order = `{"kind":"chip","name":"X","performance":[{"format":"int8","bits":8,"tops":100}]}`
	a := read("json", order)
	if len(a) != 64 {
		t.Fatalf("digest %q: want 64 hex digits", a)
	}
	for _, same := range []struct{ format, text string }{
		{"json", `{"performance":[{"tops":100,"bits":8,"format":"int8"}],"name":"X","kind":"chip"}`},
		{"yaml", "kind: chip\nname: X\nperformance:\n  - {format: int8, bits: 8, tops: 100}\n"},
	} {
		if got := read(same.format, same.text); got != a {
			t.Errorf("%s: digest %s, want %s (same content)", same.text, got, a)
		}
	}
	for _, other := range []string{
		`{"kind":"chip","name":"X","performance":[{"format":"int8","bits":8,"tops":101}]}`,
		`{"kind":"chip","name":"Y","performance":[{"format":"int8","bits":8,"tops":100}]}`,
		`{"kind":"chip","name":"X","performance":[{"format":"int8","bits":8,"tops":100},{"format":"fp16","bits":16,"tops":50}]}`,
	} {
		if read("json", other) == a {
			t.Errorf("%s: same digest as different content", other)
		}
	}
}

// TestKinds: a record is built by its kind, named by kind: or Options.Kind;
// a kind that is missing, unknown or not text is a problem naming the
// registered kinds; ids must be unique only where the kind says so.
func TestKinds(t *testing.T) {
	tests := []struct {
		name, kind, text string
		kinds            []Kind
		want             []string
		recs             []string
	}{
		{name: "kind given", text: "kind: chip\nname: A\n", recs: []string{"<stdin>:1 chip A"}},
		{name: "kind in any case", text: "kind: Chip\nname: A\n", recs: []string{"<stdin>:1 chip A"}},
		{name: "kind from options", kind: " CHIP ", text: "name: A\n", recs: []string{"<stdin>:1 chip A"}},
		{name: "the record's kind wins", kind: "chip", text: "kind: order\nid: O\n", recs: []string{"<stdin>:1 order O"}},
		{name: "kind missing", text: "name: A\n",
			want: []string{"<stdin>:1: kind: required: give kind: order or kind: chip (or --kind for the whole input)"}},
		{name: "kind unknown", text: "x: 1\nkind: invoice\n",
			want: []string{`<stdin>:2: kind: unknown kind "invoice" (want order or chip)`}},
		{name: "kind a list", text: "kind: [chip]\nname: A\n", want: []string{"<stdin>:1: kind: expected a string, got list"}},
		{name: "kind given twice", text: "kind: chip\nname: A\nkind: chip\n", want: []string{"<stdin>:3: kind: given twice (first on line 1)"}},
		{name: "three kinds listed", text: "kind: x\n", kinds: append(testKinds[:2:2], Kind{Name: "account", Build: buildTestChip}),
			want: []string{`<stdin>:1: kind: unknown kind "x" (want order, chip or account)`}},
		{name: "one kind listed", text: "name: A\n", kinds: testKinds[1:],
			want: []string{"<stdin>:1: kind: required: give kind: chip (or --kind for the whole input)"}},
		{name: "unique ids", text: "kind: order\nid: A\n---\nkind: order\nid: B\n---\nkind: order\nid: A\n",
			want: []string{`<stdin>:7: id: duplicate order id "A" (first at <stdin>:1)`}, recs: []string{"<stdin>:1 order A", "<stdin>:4 order B"}},
		{name: "ids unique per kind, and only where the kind says", text: "kind: order\nid: A\n---\nkind: chip\nid: A\n---\nkind: chip\nid: A\n",
			recs: []string{"<stdin>:1 order A", "<stdin>:4 chip A", "<stdin>:7 chip A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kinds := tt.kinds
			if kinds == nil {
				kinds = testKinds
			}
			recs, probs := Read(context.Background(), Options{Kinds: kinds, Format: "yaml", Kind: tt.kind, Stdin: strings.NewReader(tt.text)}, "-")
			equalStrings(t, "problems", strs(probs), tt.want)
			equalStrings(t, "records", sources(recs), tt.recs)
		})
	}
}
