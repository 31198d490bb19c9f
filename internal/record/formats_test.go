package record

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func sources(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("%s:%d %s %s", r.Source.File, r.Source.Line, r.Kind, r.ID))
	}
	return out
}

func TestReadFormats(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  []string // file:line kind id of each record
	}{
		{"yaml multi-document", []string{"orders.yaml"}, []string{
			"orders.yaml:4 order Y-1", "orders.yaml:12 chip Example NPU",
			"orders.yaml:20 order Y-2", "orders.yaml:26 order Y-3",
		}},
		{"json object", []string{"order.json"}, []string{"order.json:1 order J-1"}},
		{"json array", []string{"orders.json"}, []string{"orders.json:2 order J-2", "orders.json:4 chip Example é NPU"}},
		{"jsonl", []string{"orders.jsonl"}, []string{"orders.jsonl:1 order L-1", "orders.jsonl:3 order L-2"}},
		{"csv orders", []string{"roundtrip.csv"}, []string{"roundtrip.csv:2 order SO-2026-1001", "roundtrip.csv:3 order SO-2026-1002"}},
		{"csv chips", []string{"chips.csv"}, []string{"chips.csv:2 chip h100-sxm", "chips.csv:3 chip Example NPU", "chips.csv:4 chip b200"}},
		{"several paths in order", []string{"orders.jsonl", "order.json"}, []string{"orders.jsonl:1 order L-1", "orders.jsonl:3 order L-2", "order.json:1 order J-1"}},
		{"directory, sorted, hidden and other files skipped", []string{"tree"}, []string{
			"tree/a/order.json:1 order J-1",
			"tree/b/orders.JSON:2 order J-2", "tree/b/orders.JSON:4 chip Example é NPU",
			"tree/b/z.jsonl:1 order L-1", "tree/b/z.jsonl:3 order L-2",
			"tree/top.yml:1 chip Top",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readFiles(t, Options{}, "testdata", tt.paths...)
			equalStrings(t, "problems", probs, nil)
			equalStrings(t, "records", sources(recs), tt.want)
		})
	}
}

func TestReadStdin(t *testing.T) {
	yaml := "kind: chip\nname: A\n---\nkind: chip\nname: B\n"
	json := "[\n{\"kind\": \"chip\", \"name\": \"A\"},\n{\"kind\": \"chip\", \"name\": \"B\"}\n]"
	pretty := "{\n  \"kind\": \"chip\",\n  \"name\": \"A\"\n}\n{\"kind\": \"chip\", \"name\": \"B\"}\n"
	jsonl := "{\"kind\": \"chip\", \"name\": \"A\"}\n{\"kind\": \"chip\", \"name\": ]}\n{\"kind\": \"chip\", \"name\": \"B\"}\n"
	csv := "kind,name\nchip,A\nchip,B\n"
	tests := []struct {
		name, format, text string
		want               []string
		probs              []string
	}{
		{"yaml sniffed", "", yaml, []string{"<stdin>:1 chip A", "<stdin>:4 chip B"}, nil},
		{"json sniffed", "", json, []string{"<stdin>:2 chip A", "<stdin>:3 chip B"}, nil},
		{"pretty json objects sniffed", "", pretty, []string{"<stdin>:1 chip A", "<stdin>:5 chip B"}, nil},
		{"jsonl sniffed, a bad line does not hide the rest", "", jsonl,
			[]string{"<stdin>:1 chip A", "<stdin>:3 chip B"},
			[]string{`<stdin>:2: invalid JSON: unexpected ']', want a value`}},
		{"csv forced", "csv", csv, []string{"<stdin>:2 chip A", "<stdin>:3 chip B"}, nil},
		{"jsonl forced", "ndjson", jsonl, []string{"<stdin>:1 chip A", "<stdin>:3 chip B"},
			[]string{`<stdin>:2: invalid JSON: unexpected ']', want a value`}},
		{"json forced stops at a syntax error", "JSON", jsonl, []string{"<stdin>:1 chip A"},
			[]string{`<stdin>:2: invalid JSON: unexpected ']', want a value`}},
		{"yaml forced", "yml", yaml, []string{"<stdin>:1 chip A", "<stdin>:4 chip B"}, nil},
		{"byte order mark", "", "\ufeff" + json, []string{"<stdin>:2 chip A", "<stdin>:3 chip B"}, nil},
		{"empty", "", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readText(t, tt.format, "", tt.text)
			equalStrings(t, "problems", probs, tt.probs)
			equalStrings(t, "records", sources(recs), tt.want)
		})
	}
}

func TestReadFileProblems(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"orders.txt":  "kind: chip\nname: A\n",
		"empty.yaml":  "",
		"bad.json":    "{\"kind\": \"chip\", \"name\": \"A\"}\n[{\"kind\": \"chip\", \"name\": \"B\"},\n {\"kind\": \"chip\" \"name\": \"C\"}]\n",
		"latin1.json": "{\"kind\": \"chip\",\n\"name\": \"caf\xe9\"}",
		"latin1.csv":  "kind,name\nchip,caf\xe9\n",
	})
	tests := []struct {
		name  string
		opts  Options
		paths []string
		want  []string
		recs  []string
	}{
		{"missing file", Options{}, []string{"nope.yaml"}, []string{"nope.yaml: cannot read: no such file or directory"}, nil},
		{"unknown extension", Options{}, []string{"orders.txt"},
			[]string{"orders.txt: unknown file type (want .yaml, .yml, .json, .jsonl, .ndjson or .csv, or set the format)"}, nil},
		{"unknown extension with a format", Options{Format: "yaml"}, []string{"orders.txt"}, nil, []string{"orders.txt:1 chip A"}},
		{"empty file", Options{}, []string{"empty.yaml"}, nil, nil},
		{"json syntax error keeps earlier records", Options{}, []string{"bad.json"},
			[]string{`bad.json:3: invalid JSON: unexpected '"', want ',' or '}'`}, []string{"bad.json:1 chip A", "bad.json:2 chip B"}},
		{"invalid UTF-8 in JSON", Options{}, []string{"latin1.json"}, []string{"latin1.json:2: not valid UTF-8"}, nil},
		{"invalid UTF-8 in CSV", Options{}, []string{"latin1.csv"}, []string{"latin1.csv:2: not valid UTF-8"}, nil},
		{"unknown format option", Options{Format: "xml"}, []string{"orders.txt"}, []string{`unknown format "xml" (want yaml, json, jsonl or csv)`}, nil},
		{"no stdin", Options{}, []string{"-"}, []string{"<stdin>: no standard input to read"}, nil},
		{"stdin read error", Options{Stdin: iotest.ErrReader(errors.New("broken pipe"))}, []string{"-"}, []string{"<stdin>: cannot read: broken pipe"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readFiles(t, tt.opts, dir, tt.paths...)
			equalStrings(t, "problems", probs, tt.want)
			equalStrings(t, "records", sources(recs), tt.recs)
		})
	}
}

func TestReadNoKinds(t *testing.T) {
	_, probs := Read(context.Background(), Options{}, "x.yaml")
	equalStrings(t, "problems", strs(probs), []string{"record.Read: Options.Kinds is empty"})
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	recs, probs := Read(ctx, Options{Kinds: testKinds, Stdin: strings.NewReader("kind: chip\nname: A\n")}, "-")
	equalStrings(t, "problems", strs(probs), []string{"reading stopped: context canceled"})
	if len(recs) != 0 {
		t.Errorf("records = %v", recs)
	}
}

func TestYAMLAliasBomb(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("kind: chip\nname: X\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&sb, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	_, probs := readText(t, "yaml", "", sb.String())
	equalStrings(t, "problems", probs, []string{"<stdin>:1: document expands to too many values (through aliases?)"})

	// Many small records each aliasing a big anchor share one budget.
	sb.Reset()
	sb.WriteString("- &big {kind: chip, name: X, notes: [")
	for i := range 2000 {
		fmt.Fprintf(&sb, "%d, ", i)
	}
	sb.WriteString("]}\n")
	for range 1000 {
		sb.WriteString("- *big\n")
	}
	start := time.Now()
	recs, probs := readText(t, "yaml", "", sb.String())
	if len(probs) != 1 || !strings.HasSuffix(probs[0], ": document expands to too many values (through aliases?)") {
		t.Errorf("problems = %v", probs)
	}
	if len(recs) > 600 || time.Since(start) > 5*time.Second {
		t.Errorf("%d records in %v", len(recs), time.Since(start))
	}
}

func TestLimits(t *testing.T) {
	big := strings.Repeat("x", maxRecord)
	t.Run("jsonl record", func(t *testing.T) {
		text := `{"kind":"chip","name":"` + big + `"}` + "\n" + `{"kind":"chip","name":"ok"}`
		recs, probs := readText(t, "jsonl", "", text)
		equalStrings(t, "problems", probs, []string{"<stdin>:1: record is larger than the 1 MiB limit"})
		equalStrings(t, "records", sources(recs), []string{"<stdin>:2 chip ok"})
	})
	t.Run("json array element", func(t *testing.T) {
		text := "[\n{\"kind\":\"chip\",\"name\":\"a\",\"notes\":[\"" + big + "\",\n{\"x\": \"}\"}]},\n{\"kind\":\"chip\",\"name\":\"ok\"}]"
		recs, probs := readText(t, "json", "", text)
		equalStrings(t, "problems", probs, []string{"<stdin>:2: record is larger than the 1 MiB limit"})
		equalStrings(t, "records", sources(recs), []string{"<stdin>:4 chip ok"})
	})
	t.Run("yaml document", func(t *testing.T) {
		text := "kind: chip\nname: ok\n---\n# big\nkind: chip\nname: " + big + "\n---\nkind: chip\nname: ok2\n"
		recs, probs := readText(t, "yaml", "", text)
		equalStrings(t, "problems", probs, []string{"<stdin>:5: record is larger than the 1 MiB limit"})
		equalStrings(t, "records", sources(recs), []string{"<stdin>:1 chip ok", "<stdin>:8 chip ok2"})
	})
	t.Run("yaml list of records may exceed the record limit", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString("# many chips\n")
		for i := range 25000 {
			fmt.Fprintf(&sb, "- {kind: chip, name: chip-%05d, notes: %s}\n", i, strings.Repeat("n", 40))
		}
		fmt.Fprintf(&sb, "- {kind: chip, name: huge, notes: %s}\n- {kind: chip, name: last}\n", big)
		recs, probs := readText(t, "yaml", "", sb.String())
		equalStrings(t, "problems", probs, []string{"<stdin>:25002: record is larger than the 1 MiB limit"})
		if len(recs) != 25001 || recs[25000].ID != "last" || recs[25000].Source.Line != 25003 {
			t.Errorf("got %d records", len(recs))
		}
	})
	t.Run("csv order", func(t *testing.T) {
		text := "kind,id,date,ship_from,destination,items.sku,items.quantity,items.catalog\n" +
			"order,A,2026-11-20,US,SG,x,1,h20\norder,B,2026-11-20,US,SG," + big + ",1,h20\n"
		recs, probs := readText(t, "csv", "", text)
		equalStrings(t, "problems", probs, []string{"<stdin>:3: record is larger than the 1 MiB limit"})
		equalStrings(t, "records", sources(recs), []string{"<stdin>:2 order A"})
	})
	t.Run("file", func(t *testing.T) {
		// Every format is streamed, so only records (and lines) are
		// limited, not files. A sparse file holds zero bytes.
		for name, want := range map[string]string{
			"huge.json":  `huge.json:1: invalid JSON: unexpected '\x00', want a value`,
			"huge.csv":   "huge.csv:1: row is larger than the 2 MiB limit; the rest of the input is not read",
			"huge.jsonl": "huge.jsonl:1: record is larger than the 1 MiB limit",
			"huge.yaml":  "huge.yaml:1: line is larger than the 2 MiB limit",
		} {
			dir := t.TempDir()
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, maxFile+1); err != nil { // sparse: no disk used
				t.Skip("cannot make a sparse file:", err)
			}
			_, probs := readFiles(t, Options{}, dir, name)
			equalStrings(t, "problems", probs, []string{want})
		}
	})
	t.Run("jsonl line past a block", func(t *testing.T) {
		// A line longer than a whole block is skipped to its end and the
		// lines after it are read, with their own line numbers.
		text := `{"kind":"chip","name":"a"}` + "\n" + `{"kind":"chip","name":"` + strings.Repeat("x", 3*blockSize) + `"}` + "\n" + `{"kind":"chip","name":"b"}` + "\n"
		recs, probs := readText(t, "jsonl", "", text)
		equalStrings(t, "problems", probs, []string{"<stdin>:2: record is larger than the 1 MiB limit"})
		equalStrings(t, "records", sources(recs), []string{"<stdin>:1 chip a", "<stdin>:3 chip b"})
	})
}

func TestProblemsError(t *testing.T) {
	ps := Problems{
		{File: "b.yaml", Line: 3, Field: "id", Msg: "required"},
		{File: "a.yaml", Line: 10, Field: "items.0.sku", Msg: "required"},
		{File: "a.yaml", Line: 2, Msg: "invalid YAML: x"},
		{File: "a.yaml", Msg: "cannot read"},
		{Msg: "reading stopped"},
		{Line: 4, Field: "kind", Msg: "unknown"},
	}
	want := "reading stopped\nline 4: kind: unknown\na.yaml: cannot read\na.yaml:2: invalid YAML: x\na.yaml:10: items.0.sku: required\nb.yaml:3: id: required"
	if got := ps.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if ps[0].File != "b.yaml" {
		t.Error("Error() must not reorder the problems in place")
	}
	if Problems(nil).Err() != nil || (Problems{}).Err() != nil {
		t.Error("no problems must give a nil error")
	}
	var err error = ps
	if err.Error() != want || ps.Err() == nil {
		t.Error("Problems is an error")
	}
}

func TestYAMLSyntaxErrorLines(t *testing.T) {
	tests := []struct{ text, want string }{
		{"kind: chip\nname: a\n b: 2\n", "<stdin>:3: invalid YAML: mapping values are not allowed in this context"},
		{"kind: chip\nname: [a, b\n", "<stdin>:2: invalid YAML: did not find expected ',' or ']'"},
		{"kind: chip\nname: {a: b\nc: d\n", "<stdin>:2: invalid YAML: did not find expected ',' or '}'"},
		{"- a\n- b\nc: d\n", "<stdin>:3: invalid YAML: did not find expected '-' indicator"},
		{"kind: chip\nname: x\n---\n# comment\nkind: chip\nname: a\n b: 2\n", "<stdin>:7: invalid YAML: mapping values are not allowed in this context"},
		{"# c\n---\nkind: chip\nname: *nope\n", "<stdin>:3: invalid YAML: unknown anchor 'nope' referenced"},
		{"kind: chip\nname: @x\n", "<stdin>:2: invalid YAML: found character that cannot start any token"},
		{"just text\n", `<stdin>:1: expected a mapping (one record), got scalar "just text"`},
		{"- 1\n- {kind: chip, name: a}\n", `<stdin>:1: expected a mapping (one record), got scalar "1"`},
	}
	for _, tt := range tests {
		_, probs := readText(t, "yaml", "", tt.text)
		equalStrings(t, fmt.Sprintf("problems of %q", tt.text), probs, []string{tt.want})
	}
}

// FuzzRead checks that no input makes Read panic, that every problem names
// the input and says what is wrong, that records come whole and in input
// order, that a record with a problem is never returned (in JSONL, where a
// line is one record: no record on a line with a problem), and that JSON
// and CSV read a byte at a time give what they give read at once.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"orders.yaml", "order.json", "orders.json", "orders.jsonl", "roundtrip.csv", "chips.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.TrimPrefix(filepath.Ext(name), "."), string(data))
	}
	f.Add("yaml", linesYAML)
	for _, text := range jsonCuts {
		f.Add("json", text)
	}
	f.Add("csv", "kind,id,items.sku\norder,A,x\nchip,,\"q\"\"\norder,A,y\n")
	f.Fuzz(func(t *testing.T, format, text string) {
		if _, ok := normFormat(format); !ok {
			return
		}
		recs, probs := Read(context.Background(), Options{Kinds: testKinds, Format: format, Stdin: strings.NewReader(text)}, "-")
		bad := map[int]bool{}
		for _, p := range probs {
			if p.File != StdinName || p.Msg == "" {
				t.Fatalf("malformed problem %+v", p)
			}
			bad[p.Line] = true
		}
		last := 0
		for _, r := range recs {
			if r.Source.File != StdinName || r.Source.Line < 1 || r.Value == nil || len(r.Digest) != 64 {
				t.Fatalf("malformed record %+v", r)
			}
			if r.Source.Line < last {
				t.Fatalf("record at line %d after one at line %d: not in input order", r.Source.Line, last)
			}
			last = r.Source.Line
			if r.Kind == "order" && r.ID == "" {
				t.Fatalf("an order without id was returned: %+v", r)
			}
			if format == "jsonl" && bad[r.Source.Line] {
				t.Fatalf("line %d holds both a record and a problem", r.Source.Line)
			}
		}
		if f, _ := normFormat(format); f == "json" || f == "csv" {
			// Streamed: reads cut anywhere give the same records and problems.
			cut, cutProbs := Read(context.Background(), Options{Kinds: testKinds, Format: format, Stdin: iotest.OneByteReader(strings.NewReader(text))}, "-")
			if a, b := strings.Join(strs(probs), "\n"), strings.Join(strs(cutProbs), "\n"); a != b {
				t.Fatalf("problems read at once:\n%s\nread a byte at a time:\n%s", a, b)
			}
			if len(cut) != len(recs) {
				t.Fatalf("%d records read at once, %d a byte at a time", len(recs), len(cut))
			}
			for i := range cut {
				if cut[i].Digest != recs[i].Digest || cut[i].Source != recs[i].Source {
					t.Fatalf("record %d differs read a byte at a time", i)
				}
			}
		}
	})
}

// TestReadEdgeCases, among them the lines problems name: that of the field
// (or of the syntax error), with the field's path, in every format.
func TestReadEdgeCases(t *testing.T) {
	long := strings.Repeat("é", 40)
	tests := []struct {
		name, format, text string
		want               []string
		recs               []string
	}{
		{name: "empty json array", format: "json", text: " [ ] "},
		{name: "json array then garbage", format: "json", text: `[{"kind":"chip","name":"A"}] x`,
			want: []string{`<stdin>:1: invalid JSON: unexpected 'x', want a value`}, recs: []string{"<stdin>:1 chip A"}},
		{name: "json array missing comma", format: "json", text: "[{\"kind\":\"chip\",\"name\":\"A\"}\n{\"kind\":\"chip\",\"name\":\"B\"}]",
			want: []string{`<stdin>:2: invalid JSON: unexpected '{', want ',' or ']'`}, recs: []string{"<stdin>:1 chip A"}},
		{name: "json array unterminated", format: "json", text: "[{\"kind\":\"chip\",\"name\":\"A\"},\n",
			want: []string{`<stdin>:2: invalid JSON: unexpected end of input`}, recs: []string{"<stdin>:1 chip A"}},
		{name: "json top-level scalar", format: "json", text: `42`,
			want: []string{`<stdin>:1: expected an object (one record), got number "42"`}},
		{name: "json big object", format: "json", text: "\n{\"kind\":\"chip\",\"name\":\"A\",\"x\":[\"" + strings.Repeat("y", maxRecord) + "\"]}\n{\"kind\":\"chip\",\"name\":\"B\"}",
			want: []string{"<stdin>:2: record is larger than the 1 MiB limit"}, recs: []string{"<stdin>:3 chip B"}},
		{name: "long values are cut short in messages", format: "yaml", text: "kind: chip\nname: X\nn: " + long + "\n",
			want: []string{`<stdin>:3: n: expected a number, got string "` + strings.Repeat("é", 30) + `"...`}},
		{name: "empty yaml documents", format: "yaml", text: "---\n---\n# nothing\n...\n---\nkind: chip\nname: A\n", recs: []string{"<stdin>:6 chip A"}},
		{name: "yaml null document", format: "yaml", text: "~\n---\nkind: chip\nname: A\n", recs: []string{"<stdin>:3 chip A"}},
		{name: "yaml unknown anchor", format: "yaml",
			text: "kind: chip\nname: A\n---\n- kind: chip\n  <<: [*x]\n",
			want: []string{"<stdin>:4: invalid YAML: unknown anchor 'x' referenced"}, recs: []string{"<stdin>:1 chip A"}},
		{name: "yaml merge of a scalar", format: "yaml", text: "kind: chip\nname: A\n<<: 5\n",
			want: []string{"<stdin>:1: line 3: a merge key (<<) needs a mapping, got number"}},
		{name: "yaml list element not a mapping", format: "yaml", text: "- [1]\n- {kind: chip, name: A}\n",
			want: []string{"<stdin>:1: expected a mapping (one record), got list"}, recs: []string{"<stdin>:2 chip A"}},
		{name: "crlf yaml", format: "yaml", text: "kind: chip\r\nname: A\r\n---\r\nkind: chip\r\nname: B\r\n", recs: []string{"<stdin>:1 chip A", "<stdin>:4 chip B"}},
		{name: "block scalar with a marker-like line inside", format: "yaml", text: "kind: chip\nname: |\n  --- not a marker\n  text\n", recs: []string{"<stdin>:1 chip --- not a marker\ntext"}},
		{name: "lines: yaml", format: "yaml", text: linesYAML, want: []string{
			`<stdin>:10: items.0.chip.performance.0.n: expected a number, got string "eight"`,
			"<stdin>:14: invalid YAML: did not find expected ',' or ']'",
			"<stdin>:18: invalid YAML: did not find expected ',' or ']'",
		}, recs: []string{"<stdin>:21 chip after the errors"}},
		{name: "lines: a problem inside an alias names its definition's", format: "yaml", text: strings.Replace(aliasesYAML, "n: 1978.9", "n: -1", 1), want: []string{
			"<stdin>:10: items.0.chip.performance.0.n: must be greater than 0, got -1",
			"<stdin>:10: items.1.chip.performance.0.n: must be greater than 0, got -1",
			"<stdin>:10: items.2.contains.0.chip.performance.0.n: must be greater than 0, got -1",
		}},
		{name: "lines: json", format: "json", text: `[
  {"kind": "order", "id": "A-1",
   "items": [{"sku": "X", "n": -1}]},
  {
    "kind": "order",
    "id": "A-2",
    "date": "2026-13-01",
    "items": [{"sku": "Y"}],
    "id": "A-3"
  },
  "not an object",
  {"kind": "chip", "name": "ok"}
]`, want: []string{
			"<stdin>:3: items.0.n: must be greater than 0, got -1",
			`<stdin>:7: date: expected a date YYYY-MM-DD, got "2026-13-01"`,
			"<stdin>:9: id: given twice (first on line 6)",
			`<stdin>:11: expected an object (one record), got string "not an object"`,
		}, recs: []string{"<stdin>:12 chip ok"}},
		{name: "lines: jsonl", format: "jsonl", text: "{\"kind\":\"chip\",\"name\":\"A\"}\r\n" +
			"\r\n" +
			"{\"kind\":\"chip\",\"name\":\"B\",\"n\":\"big\"}\n" +
			"[1]\n" +
			"{\"kind\":\"chip\",\"name\":\"C\"} {}\n" +
			"   \n" +
			"{\"kind\":\"chip\",\"name\":\"D\"}", want: []string{
			`<stdin>:3: n: expected a number, got string "big"`,
			"<stdin>:4: expected an object (one record), got list",
			"<stdin>:5: invalid JSON: unexpected '{' after the object (one object per line)",
		}, recs: []string{"<stdin>:1 chip A", "<stdin>:7 chip D"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, probs := readText(t, tt.format, "", tt.text)
			equalStrings(t, "problems", probs, tt.want)
			equalStrings(t, "records", sources(recs), tt.recs)
		})
	}
}

// linesYAML has a problem deep in a record, two syntax errors in later
// documents and a valid record after them.
const linesYAML = `# leading comment
kind: order
id: A-1
items:
  - sku: X
    chip:
      name: X
      performance:
        - format: fp8
          n: eight
---
kind: order
id: A-2
items: [{sku: Y, n: 1}
---
kind: order
id: A-3
x: [SG
items: [{sku: Y}]
---
kind: chip
name: after the errors
`

// aliasesYAML shares values through anchors, aliases and merge keys.
const aliasesYAML = `kind: order
id: M-1
parties:
  buyer: &acme {name: Acme, n: 1}
  end_user: *acme
  consignee:
    <<: *acme
    name: Acme Logistics
items:
  - &line {sku: X, chip: &h100 {name: H100, performance: [{format: fp8, n: 1978.9}]}}
  - {<<: *line, sku: Y}
  - {sku: Z, contains: [{count: 8, chip: *h100}]}
`

// TestYAMLAliasesAndMerges: aliases and merge keys give the values they
// stand for; explicit keys win over merged ones, earlier merges over later.
func TestYAMLAliasesAndMerges(t *testing.T) {
	recs, probs := readText(t, "yaml", "", aliasesYAML)
	equalStrings(t, "problems", probs, nil)
	got := fmt.Sprint(value(recs[0], "parties"), value(recs[0], "items"))
	want := "map[buyer:map[n:1 name:Acme] consignee:map[n:1 name:Acme Logistics] end_user:map[n:1 name:Acme]] " +
		"[map[chip:map[name:H100 performance:[map[format:fp8 n:1978.9]]] sku:X] " +
		"map[chip:map[name:H100 performance:[map[format:fp8 n:1978.9]]] sku:Y] " +
		"map[contains:[map[chip:map[name:H100 performance:[map[format:fp8 n:1978.9]]] count:8]] sku:Z]]"
	if got != want {
		t.Errorf("values:\n got %s\nwant %s", got, want)
	}
	recs, probs = readText(t, "yaml", "", "x_a: &a {name: A, n: 1}\nx_b: &b {name: B, m: 5}\nkind: chip\n<<: [*a, *b]\n")
	equalStrings(t, "problems", probs, nil)
	if got := fmt.Sprint(recs[0].Value); got != "map[kind:chip m:5 n:1 name:A x_a:map[n:1 name:A] x_b:map[m:5 name:B]]" {
		t.Errorf("merged: %s", got)
	}
}
