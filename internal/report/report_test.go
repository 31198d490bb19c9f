package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

func fp(f float64) *float64 { return &f }

// sample is a few decisions that exercise every part of the output:
// several outcomes, characters HTML escaping would mangle, hits, nil
// figures.
func sample() []decision.Decision {
	ds := []decision.Decision{
		{
			ID: "SO-1 <deny>", Kind: "order",
			Reasons: []decision.Reason{
				{Rule: "EAR-AI-DIFFUSION-NOT-ENFORCED", Outcome: "allow", Message: "informational only", Citation: "90 FR 4544"},
				{Rule: "EAR-742.6-HQ", Outcome: "deny", Message: "buyer's ultimate parent is headquartered in CN & TPP >= 4800", Citation: "15 CFR 742.6(a)(6)(iii)(A)",
					Facts: map[string]any{"party": map[string]any{"role": "buyer"}}},
				{Rule: "EAR-742.6-DEST", Outcome: "deny", Message: "destination CN is in scope", Citation: "15 CFR 742.6(a)(6)(i)"},
				{Rule: "EAR-732-RED-FLAG", Outcome: "review", Message: "red flag cash_payment", Citation: "15 CFR Part 732, Supp. 3"},
			},
			Items:     []decision.Item{{SKU: "H100-SXM5-80G", ECCN: "3A090.a", TPP: fp(15831.2), PD: fp(19.45)}, {SKU: "MI308X", ECCN: "unknown"}},
			Screening: []decision.Hit{{Party: "buyer", PartyName: "Hangzhou <Lanting>", List: "EL", Entry: "Hangzhou Lanting", Score: 0.97}},
			Source:    decision.Source{File: "orders.yaml", Line: 12},
			Policy:    decision.Policy{Revision: "sha256:abc"},
			AsOf:      "2026-11-20",
		},
		{
			ID: "SO-2", Kind: "order",
			Reasons: []decision.Reason{{Rule: "NO-LICENSE-REQUIRED", Outcome: "allow", Message: "no license required: ECCN none, destination DE", Citation: "15 CFR 742.6(a)(6)"}},
			Items:   []decision.Item{{SKU: "T4", ECCN: "none", TPP: fp(2080), PD: fp(3.82)}},
			Source:  decision.Source{File: "orders.yaml", Line: 40},
			Policy:  decision.Policy{Revision: "sha256:abc"},
		},
		{
			ID: "chip-x", Kind: "chip",
			Reasons: []decision.Reason{{Rule: "ECCN-UNKNOWN", Outcome: "review", Message: "no performance figures", Citation: "15 CFR 774"}},
			Source:  decision.Source{File: "<stdin>", Line: 3},
			Policy:  decision.Policy{Revision: "sha256:abc"},
		},
	}
	for i := range ds {
		ds[i].Finish()
	}
	return ds
}

func render(t *testing.T, format string, ds []decision.Decision) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if err := w.Put(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestNew(t *testing.T) {
	for _, f := range Formats {
		if _, err := New(f, &bytes.Buffer{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	for _, f := range []string{"", "yaml", "JSON", "csv", "sarif"} {
		_, err := New(f, &bytes.Buffer{})
		if err == nil {
			t.Errorf("New(%q) succeeded", f)
			continue
		}
		if !strings.Contains(err.Error(), "table, json, jsonl") {
			t.Errorf("New(%q) error %q does not list the formats", f, err)
		}
	}
}

// roundTrip decodes what the writer printed back into decisions, so the
// output can be compared with the input.
func roundTrip(t *testing.T, ds []decision.Decision) []decision.Decision {
	t.Helper()
	b, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	var out []decision.Decision
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		in   []decision.Decision
	}{
		{"empty", nil},
		{"one", sample()[:1]},
		{"three", sample()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "json", tt.in)
			var got []decision.Decision
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not a JSON array: %v\n%s", err, out)
			}
			if len(tt.in) == 0 {
				if strings.TrimSpace(out) != "[]" {
					t.Errorf("empty batch printed %q, want []", out)
				}
				return
			}
			if want := roundTrip(t, tt.in); !reflect.DeepEqual(got, want) {
				t.Errorf("decoded output differs from the decisions written:\n got %+v\nwant %+v", got, want)
			}
			if !strings.HasSuffix(out, "\n") {
				t.Error("output does not end in a newline")
			}
		})
	}
}

func TestJSONNoHTMLEscaping(t *testing.T) {
	for _, format := range []string{"json", "jsonl"} {
		out := render(t, format, sample())
		for _, s := range []string{`"SO-1 <deny>"`, `CN & TPP >= 4800`, `Hangzhou <Lanting>`} {
			if !strings.Contains(out, s) {
				t.Errorf("-o %s: %q not printed as is", format, s)
			}
		}
		if strings.Contains(out, `\u003c`) || strings.Contains(out, `\u0026`) || strings.Contains(out, `\u003e`) {
			t.Errorf("-o %s escapes HTML characters", format)
		}
	}
}

func TestJSONLines(t *testing.T) {
	tests := []struct {
		name string
		in   []decision.Decision
	}{
		{"empty", nil},
		{"three", sample()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "jsonl", tt.in)
			if len(tt.in) == 0 {
				if out != "" {
					t.Errorf("empty batch printed %q, want nothing", out)
				}
				return
			}
			if !strings.HasSuffix(out, "\n") {
				t.Error("last line not terminated")
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(tt.in) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(tt.in), out)
			}
			want := roundTrip(t, tt.in)
			for i, l := range lines {
				var d decision.Decision
				if err := json.Unmarshal([]byte(l), &d); err != nil {
					t.Fatalf("line %d is not one JSON object: %v", i+1, err)
				}
				if !reflect.DeepEqual(d, want[i]) {
					t.Errorf("line %d = %+v, want %+v", i+1, d, want[i])
				}
			}
		})
	}
}

// TestDecisionShape checks the decision JSON against docs/decisions.md: field
// names, screening an array (never null), reasons an array.
func TestDecisionShape(t *testing.T) {
	out := render(t, "jsonl", sample())
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "kind", "decision", "reasons", "screening", "source", "policy"} {
			if _, ok := m[k]; !ok {
				t.Errorf("decision %d has no %q: %s", i, k, l)
			}
		}
		if _, ok := m["screening"].([]any); !ok {
			t.Errorf("decision %d: screening = %#v, want an array", i, m["screening"])
		}
		if _, ok := m["reasons"].([]any); !ok {
			t.Errorf("decision %d: reasons = %#v, want an array", i, m["reasons"])
		}
		src, _ := m["source"].(map[string]any)
		if _, ok := src["file"].(string); !ok {
			t.Errorf("decision %d: source.file missing", i)
		}
		if _, ok := src["line"].(float64); !ok {
			t.Errorf("decision %d: source.line missing", i)
		}
		pol, _ := m["policy"].(map[string]any)
		if r, _ := pol["revision"].(string); !strings.HasPrefix(r, "sha256:") {
			t.Errorf("decision %d: policy.revision = %v", i, pol["revision"])
		}
		for _, r := range m["reasons"].([]any) {
			rm := r.(map[string]any)
			for _, k := range []string{"rule", "outcome", "message", "citation"} {
				if _, ok := rm[k].(string); !ok {
					t.Errorf("decision %d: reason without %s: %v", i, k, rm)
				}
			}
		}
		if items, ok := m["items"].([]any); ok {
			for _, it := range items {
				im := it.(map[string]any)
				for _, k := range []string{"sku", "eccn", "tpp", "pd"} {
					if _, ok := im[k]; !ok {
						t.Errorf("decision %d: item without %s: %v", i, k, im)
					}
				}
			}
		}
	}
	first := map[string]any{}
	_ = json.Unmarshal([]byte(lines[0]), &first)
	if first["decision"] != "deny" {
		t.Errorf("decision = %v", first["decision"])
	}
	reasons := first["reasons"].([]any)
	if got := reasons[0].(map[string]any)["rule"]; got != "EAR-742.6-DEST" {
		t.Errorf("first reason %v, want the most severe, then by rule id (EAR-742.6-DEST)", got)
	}
}

// cells parses a rendered table into rows of cells, each cell the list of
// its lines (trimmed), header row first.
func cells(t *testing.T, out string) [][][]string {
	t.Helper()
	var rows [][][]string
	var cur [][]string
	flush := func() {
		if cur != nil {
			rows = append(rows, cur)
			cur = nil
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "│") {
			flush()
			continue
		}
		parts := strings.Split(l, "│")
		parts = parts[1 : len(parts)-1]
		if cur == nil {
			cur = make([][]string, len(parts))
		}
		if len(parts) != len(cur) {
			t.Fatalf("row line with %d cells, want %d: %q", len(parts), len(cur), l)
		}
		for i, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				cur[i] = append(cur[i], p)
			}
		}
	}
	flush()
	return rows
}

// cellText is a cell's lines joined by single spaces.
func cellText(lines []string) string {
	return strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
}

// rowOf finds the table row of a record id.
func rowOf(t *testing.T, rows [][][]string, id string) [][]string {
	t.Helper()
	for _, r := range rows {
		if len(r[0]) > 0 && r[0][0] == id {
			return r
		}
	}
	t.Fatalf("no row for %s in %v", id, rows)
	return nil
}

func TestTable(t *testing.T) {
	ds := sample()
	out := render(t, "table", ds)
	rows := cells(t, out)
	if len(rows) != len(ds)+1 {
		t.Fatalf("%d rows, want header + %d:\n%s", len(rows), len(ds), out)
	}
	var header []string
	for _, c := range rows[0] {
		header = append(header, cellText(c))
	}
	if want := []string{"RECORD", "WHY"}; !reflect.DeepEqual(header, want) {
		t.Errorf("header = %q, want %q", header, want)
	}
	const (
		colRecord = 0
		colWhy    = 1
	)
	tests := []struct {
		name, id string
		col      int
		want     string
	}{
		{"deny decision", "SO-1 <deny>", colRecord, "SO-1 <deny> DENY"},
		{"allow decision", "SO-2", colRecord, "SO-2 ALLOW"},
		{"review decision", "chip-x", colRecord, "chip-x REVIEW"},
		{"deciding reason DEST", "SO-1 <deny>", colWhy, "EAR-742.6-DEST: destination CN is in scope [15 CFR 742.6(a)(6)(i)]"},
		{"deciding reason HQ, wrapped not cut", "SO-1 <deny>", colWhy, "EAR-742.6-HQ: buyer's ultimate parent is headquartered in CN & TPP >= 4800 [15 CFR 742.6(a)(6)(iii)(A)]"},
		{"review reason of a deny decision", "SO-1 <deny>", colWhy, "EAR-732-RED-FLAG: red flag cash_payment [15 CFR Part 732, Supp. 3]"},
		{"screening hit", "SO-1 <deny>", colWhy, `hit buyer "Hangzhou <Lanting>" ~ EL "Hangzhou Lanting" (0.97)`},
		{"allow reason says why", "SO-2", colWhy, "NO-LICENSE-REQUIRED: no license required: ECCN none, destination DE [15 CFR 742.6(a)(6)]"},
		{"review reason", "chip-x", colWhy, "ECCN-UNKNOWN: no performance figures [15 CFR 774]"},
		{"first item", "SO-1 <deny>", colRecord, "H100-SXM5-80G 3A090.a"},
		{"unknown item", "SO-1 <deny>", colRecord, "MI308X unknown"},
		{"source", "SO-1 <deny>", colRecord, "orders.yaml:12"},
		{"stdin source", "chip-x", colRecord, "<stdin>:3"},
	}
	for _, tt := range tests {
		got := cellText(rowOf(t, rows, tt.id)[tt.col])
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: %s column %d = %q, want it to contain %q", tt.name, tt.id, tt.col, got, tt.want)
		}
	}
	// An informational allow reason of a deny decision is not a finding.
	if got := cellText(rowOf(t, rows, "SO-1 <deny>")[colWhy]); strings.Contains(got, "EAR-AI-DIFFUSION-NOT-ENFORCED") {
		t.Errorf("deny row shows an allow reason: %q", got)
	}
}

// TestTableLicencePolicy: a licence requirement says how an application
// would be reviewed, so that a presumption of approval reads differently
// from one of denial.
func TestTableLicencePolicy(t *testing.T) {
	for _, policy := range []string{"presumption of approval", "presumption of denial", "case-by-case"} {
		d := decision.Decision{ID: "x", Source: decision.Source{File: "o.yaml", Line: 1}, Reasons: []decision.Reason{
			{Rule: "EAR-742.6-DEST", Outcome: "deny", Message: "destination VN is in scope", Citation: "15 CFR 742.6(a)(6)(i)", Facts: map[string]any{"review_policy": policy}},
		}}
		d.Finish()
		why := cellText(rowOf(t, cells(t, render(t, "table", []decision.Decision{d})), "x")[1])
		if want := "EAR-742.6-DEST (licence required, " + policy + "):"; !strings.Contains(why, want) {
			t.Errorf("why = %q, want it to contain %q", why, want)
		}
	}
}

// TestTableWidth: the table fits 80 columns whatever the length of the
// reasons, ids and paths.
func TestTableWidth(t *testing.T) {
	long := strings.Repeat("word ", 60) + strings.Repeat("x", 130)
	d := decision.Decision{ID: strings.Repeat("ID", 30), Source: decision.Source{File: strings.Repeat("dir/", 20) + "orders.yaml", Line: 123456},
		Reasons: []decision.Reason{{Rule: "R-1", Outcome: "deny", Message: long, Citation: "15 CFR 744.21"}},
		Items:   []decision.Item{{SKU: strings.Repeat("S", 40), ECCN: "3A090.a"}}}
	d.Finish()
	out := render(t, "table", append(sample(), d))
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("line of %d columns: %q", w, l)
		}
	}
}

// TestTableLayout: one reason, hit and item per line, and every line of the
// table the same width (no cell overflowing its column). go-pretty's own
// column wrapping (text.WrapSoft) drops single line breaks; table.go must
// wrap each line on its own.
func TestTableLayout(t *testing.T) {
	out := render(t, "table", sample())
	rows := cells(t, out)
	row := rowOf(t, rows, "SO-1 <deny>")
	row = [][]string{nil, nil, row[0], row[1]} // items in the record column, reasons in why
	starts := func(lines []string, prefix string) bool {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return true
			}
		}
		return false
	}
	for _, p := range []string{"EAR-742.6-DEST:", "EAR-742.6-HQ:", "hit buyer"} {
		if !starts(row[3], p) {
			t.Errorf("Why: no line starts with %q: %q", p, row[3])
		}
	}
	for _, p := range []string{"H100-SXM5-80G 3A090.a", "MI308X unknown"} {
		if !starts(row[2], p) {
			t.Errorf("Items: no line starts with %q: %q", p, row[2])
		}
	}
	width := -1
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		w := len([]rune(l))
		if width < 0 {
			width = w
		}
		if w != width {
			t.Errorf("line width %d, want %d: %q", w, width, l)
		}
	}
}

func TestTableEmpty(t *testing.T) {
	if out := render(t, "table", nil); out != "no records\n" {
		t.Errorf("empty table = %q, want %q", out, "no records\n")
	}
}

// TestTableUnknownOutcome: a reason whose outcome is not one of
// allow/review/deny counts as review (decision.Severity), so on a review
// decision it is one of the reasons that decided and must be shown, wherever
// its rule id sorts.
func TestTableUnknownOutcome(t *testing.T) {
	for _, reasons := range [][]decision.Reason{
		{{Rule: "A-REVIEW", Outcome: "review", Message: "m1"}, {Rule: "B-TYPO", Outcome: "warn", Message: "m2"}},
		{{Rule: "A-TYPO", Outcome: "warn", Message: "m2"}, {Rule: "B-REVIEW", Outcome: "review", Message: "m1"}},
	} {
		d := decision.Decision{ID: "x", Reasons: reasons}
		d.Finish()
		why := cellText(rowOf(t, cells(t, render(t, "table", []decision.Decision{d})), "x")[1])
		for _, r := range reasons {
			if !strings.Contains(why, r.Rule+":") {
				t.Errorf("reasons %v: table hides %s", reasons, r.Rule)
			}
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		c       decision.Counts
		seconds float64
		want    string
	}{
		{decision.Counts{Allow: 1, Review: 1, Deny: 1}, 0.5, "3 records: 1 allow, 1 review, 1 deny in 0.50s (6 records/s)"},
		{decision.Counts{}, 0.01, "0 records: 0 allow, 0 review, 0 deny in 0.01s"},
		{decision.Counts{Deny: 1}, 2, "1 records: 0 allow, 0 review, 1 deny in 2.00s"},
		{decision.Counts{Allow: 1000, Review: 20, Deny: 3}, 0, "1023 records: 1000 allow, 20 review, 3 deny in 0.00s"},
		{decision.Counts{Allow: 250}, 0.1, "250 records: 250 allow, 0 review, 0 deny in 0.10s (2500 records/s)"},
	}
	for _, tt := range tests {
		if got := Summary(tt.c, tt.seconds); got != tt.want {
			t.Errorf("Summary(%+v, %v) = %q, want %q", tt.c, tt.seconds, got, tt.want)
		}
	}
}

// TestEncoderParallel: Encode from many goroutines, then WriteEncoded in
// order, gives the same bytes as Write one by one (what check -o json does).
func TestEncoderParallel(t *testing.T) {
	var ds []decision.Decision
	for i := range 200 {
		d := sample()[i%3]
		d.ID = fmt.Sprintf("%s-%03d", d.ID, i)
		ds = append(ds, d)
	}
	for _, format := range []string{"json", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			want := render(t, format, ds)

			var buf bytes.Buffer
			w, err := New(format, &buf)
			if err != nil {
				t.Fatal(err)
			}
			enc, ok := w.(Encoder)
			if !ok {
				t.Fatalf("-o %s writer is not an Encoder", format)
			}
			encoded := make([][]byte, len(ds))
			var wg sync.WaitGroup
			errs := make(chan error, len(ds))
			for i := range ds {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b, err := enc.Encode(ds[i])
					if err != nil {
						errs <- err
					}
					encoded[i] = b
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for _, b := range encoded {
				if err := enc.PutEncoded(b); err != nil {
					t.Fatal(err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if buf.String() != want {
				t.Errorf("parallel Encode + WriteEncoded differs from Write:\n got %.300q\nwant %.300q", buf.String(), want)
			}
		})
	}
}

func TestTableIsNotEncoder(t *testing.T) {
	// The table sizes its columns over all rows, so it must not claim to
	// encode records one at a time.
	w, _ := New("table", &bytes.Buffer{})
	if _, ok := w.(Encoder); ok {
		t.Error("table writer implements Encoder")
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, fmt.Errorf("disk full")
	}
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	for _, format := range []string{"json", "jsonl"} {
		w, _ := New(format, &failWriter{})
		var err error
		for _, d := range sample() {
			if err = w.Put(d); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("-o %s: error = %v, want the writer's error", format, err)
		}
	}
}

// TestTableWriteError: a table that cannot be written (disk full, closed
// pipe) must be an error, so that check exits 3 instead of 0.
func TestTableWriteError(t *testing.T) {
	w, _ := New("table", &failWriter{})
	for _, d := range sample() {
		if err := w.Put(d); err != nil {
			return
		}
	}
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close = %v, want the writer's error", err)
	}
}
