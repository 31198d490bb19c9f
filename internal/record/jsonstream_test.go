package record

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// bigOrders is n orders of about 300 bytes, one per line, each as line(i)
// makes it: 20,000 of them are 6 MB, past the JSON window.
func bigOrders(n int, line func(i int) string) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString(line(i))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// TestStreamJSONAndCSV reads inputs larger than the JSON window, as a file
// and on stdin, with problems in the middle and at the end: the records
// come in input order, and each problem names its line.
func TestStreamJSONAndCSV(t *testing.T) {
	const n = 20000
	pad := strings.Repeat("p", 250)
	order := func(i int) string {
		return fmt.Sprintf(`{"kind":"order","id":"O-%05d","note":"%s"},`, i, pad)
	}
	// array is a JSON array of the n orders, from line 2, edited.
	array := func(edit func(i int, s string) string) string {
		body := bigOrders(n, func(i int) string { return edit(i, order(i)) })
		return "[\n" + strings.TrimSuffix(body, ",\n") + "\n]\n"
	}
	same := func(_ int, s string) string { return s }
	at := func(j int, f func(string) string) func(int, string) string {
		return func(i int, s string) string {
			if i == j {
				return f(s)
			}
			return s
		}
	}
	csvText := "kind,id,items.sku,note\n" + bigOrders(n, func(i int) string {
		return fmt.Sprintf("order,O-%05d,X,%s\norder,O-%05d,Y,%s", i, pad, i, pad)
	})
	tests := []struct {
		name, format, text string
		recs               int    // records read
		first, last        string // sources of the first and last of them
		probs              []string
	}{
		{name: "json array", format: "json", text: array(same), recs: n, first: "2 order O-00000", last: "20001 order O-19999"},
		{name: "json objects one after another", format: "json",
			text: bigOrders(n, func(i int) string { return strings.TrimSuffix(order(i), ",") }) + "{}\n",
			recs: n, first: "1 order O-00000", last: "20000 order O-19999",
			probs: []string{"20001: kind: required: give kind: order or kind: chip (or --kind for the whole input)"}},
		{name: "json bad field in the middle", format: "json", recs: n - 1, first: "2 order O-00000", last: "20001 order O-19999",
			text:  array(at(10000, func(s string) string { return strings.Replace(s, `"note"`, `"n":-1,"note"`, 1) })),
			probs: []string{"10002: n: must be greater than 0, got -1"}},
		{name: "json syntax error in the middle", format: "json", recs: 10000, first: "2 order O-00000", last: "10001 order O-09999",
			text:  array(at(10000, func(s string) string { return strings.Replace(s, `,"note"`, ` "note"`, 1) })),
			probs: []string{`10002: invalid JSON: unexpected '"', want ',' or '}'`}},
		{name: "json missing comma in the middle", format: "json", recs: 10001, first: "2 order O-00000", last: "10002 order O-10000",
			text:  array(at(10000, func(s string) string { return strings.TrimSuffix(s, ",") })),
			probs: []string{`10003: invalid JSON: unexpected '{', want ',' or ']'`}},
		{name: "json record past the limit in the middle", format: "json", recs: n - 1, first: "2 order O-00000", last: "20001 order O-19999",
			text:  array(at(10000, func(s string) string { return strings.Replace(s, pad, strings.Repeat("é", maxRecord), 1) })),
			probs: []string{"10002: record is larger than the 1 MiB limit"}},
		{name: "json record past the window in the middle", format: "json", recs: n - 1, first: "2 order O-00000", last: "20001 order O-19999",
			text:  array(at(10000, func(s string) string { return strings.Replace(s, pad, strings.Repeat(`\"{[`, jsonWindow), 1) })),
			probs: []string{"10002: record is larger than the 1 MiB limit"}},
		{name: "json bad escape in a record past the window", format: "json", recs: 10000, first: "2 order O-00000", last: "10001 order O-09999",
			text:  array(at(10000, func(s string) string { return strings.Replace(s, pad, strings.Repeat("x", jsonWindow)+`\q`, 1) })),
			probs: []string{`10002: invalid JSON: invalid escape "\\q" in string`}},
		{name: "json invalid UTF-8 in the middle", format: "json", recs: 10000, first: "2 order O-00000", last: "10001 order O-09999",
			text:  array(at(10000, func(s string) string { return strings.Replace(s, "pp", "p\xe9", 1) })),
			probs: []string{"10002: not valid UTF-8"}},
		{name: "json not an object in the middle", format: "json", recs: n - 1, first: "2 order O-00000", last: "20001 order O-19999",
			text:  array(at(10000, func(string) string { return `12.5e3,` })),
			probs: []string{`10002: expected an object (one record), got number "12.5e3"`}},
		{name: "json duplicate id far apart", format: "json", recs: n - 1, first: "2 order O-00000", last: "20000 order O-19998",
			text:  array(at(19999, func(s string) string { return strings.Replace(s, "O-19999", "O-00001", 1) })),
			probs: []string{`20001: id: duplicate order id "O-00001" (first at FILE:3)`}},
		{name: "json missing ]", format: "json", recs: n, first: "2 order O-00000", last: "20001 order O-19999",
			text:  strings.TrimSuffix(array(same), "]\n"),
			probs: []string{"20002: invalid JSON: unexpected end of input, want ',' or ']'"}},
		{name: "json truncated in the last record", format: "json", recs: n - 1, first: "2 order O-00000", last: "20000 order O-19998",
			text:  array(same)[:len(array(same))-100],
			probs: []string{"20001: invalid JSON: unterminated string"}},
		{name: "json comma before ]", format: "json", recs: n, first: "2 order O-00000", last: "20001 order O-19999",
			text:  strings.Replace(array(same), "}\n]", "},\n]", 1),
			probs: []string{"20002: invalid JSON: unexpected ']', want a value"}},
		{name: "json garbage after the array", format: "json", recs: n, first: "2 order O-00000", last: "20001 order O-19999",
			text:  array(same) + "\n\n  x",
			probs: []string{"20005: invalid JSON: unexpected 'x', want a value"}},
		{name: "csv", format: "csv", text: csvText, recs: n, first: "2 order O-00000", last: "40000 order O-19999"},
		{name: "csv rows of an order far apart", format: "csv", recs: n, first: "2 order O-00000", last: "40000 order O-19999",
			text: csvText + "order,O-00000,Z,\n"},
		{name: "csv conflicting rows far apart", format: "csv", recs: n, first: "2 order O-00000", last: "40000 order O-19999",
			text:  csvText + "order,O-00000,Z,other\n",
			probs: []string{`40002: note: "other" conflicts with "` + pad + `" on line 2 for the same order`}},
		{name: "csv syntax error in the middle", format: "csv",
			text:  strings.Replace(csvText, "O-10000,X,pp", `O-10000,X,p"p`, 1),
			probs: []string{`20002: invalid CSV: bare " in non-quoted-field`}},
		{name: "csv row past the line limit in the middle", format: "csv",
			text:  strings.Replace(csvText, "O-10000,X,pp", "O-10000,X,"+strings.Repeat("p", 3*maxRecord), 1),
			probs: []string{"20002: row is larger than the 2 MiB limit; the rest of the input is not read"}},
		{name: "csv invalid UTF-8 in the middle", format: "csv",
			text:  strings.Replace(csvText, "O-10000,X,pp", "O-10000,X,\xe9p", 1),
			probs: []string{"20002: not valid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"in." + tt.format: tt.text})
			for _, file := range []string{"in." + tt.format, "-"} {
				opts := Options{Format: tt.format, Stdin: strings.NewReader(tt.text)}
				recs, probs := readFiles(t, opts, dir, file)
				name := file
				if file == "-" {
					name = StdinName
				}
				var want []string
				for _, p := range tt.probs {
					want = append(want, name+":"+strings.ReplaceAll(p, "FILE", name))
				}
				equalStrings(t, name+" problems", probs, want)
				got := sources(recs)
				if len(got) != tt.recs {
					t.Fatalf("%s: %d records, want %d", name, len(got), tt.recs)
				}
				for i := 1; i < len(recs); i++ {
					if recs[i].Source.Line <= recs[i-1].Source.Line {
						t.Fatalf("%s: %s after %s", name, got[i], got[i-1])
					}
				}
				if tt.recs > 0 && (got[0] != name+":"+tt.first || got[len(got)-1] != name+":"+tt.last) {
					t.Errorf("%s: records %s ... %s, want %s ... %s", name, got[0], got[len(got)-1], tt.first, tt.last)
				}
			}
		})
	}
}

// jsonCuts are inputs whose every byte may fall at the end of a read.
var jsonCuts = []string{
	`[{"kind":"chip","name":"\u00e9\ud83d\ude00 \"x\" \\ é😀","n":12.5e-3},` + "\n" + `{"kind":"chip","name":"b","x":[true,false,null,-0.5E+2]}]`,
	`{"kind":"chip","name":"a"} [{"kind":"chip","name":"b"}] [] {"kind":"chip","name":"c"}`,
	`[{"kind":"chip","name":"a"}, {"kind":"chip","name":"b\ud800"}, 12345678901234567890.5, "s", tru]`,
	`[{"kind":"chip","name":"a"}, {"kind":"chip","name":"b` + "\xe9" + `"}]`,
	`[{"kind":"chip","name":"a"}` + " \n \n ]x",
	`[{"kind":"chip","name":"a"}, {"kind":"chip","n":1.}]`,
	`[{"kind":"chip","name":"a"}, {"kind":"chip","n":"\u12"}]`,
	"\ufeff[{\"kind\":\"chip\",\"name\":\"a\"}]",
	"[{\"kind\":\"chip\",\"name\":\"a\"}]\n\xff",
}

// TestJSONReadsCutAnywhere reads JSON a byte at a time: every value and
// every error is as when the input comes at once.
func TestJSONReadsCutAnywhere(t *testing.T) {
	for _, text := range jsonCuts {
		wantRecs, wantProbs := readText(t, "json", "", text)
		recs, probs := Read(context.Background(), Options{Kinds: testKinds, Format: "json", Stdin: iotest.OneByteReader(strings.NewReader(text))}, "-")
		equalStrings(t, fmt.Sprintf("problems of %q", text), strs(probs), wantProbs)
		equalStrings(t, fmt.Sprintf("records of %q", text), sources(recs), sources(wantRecs))
	}
}

// TestCSVFileAndStdinAgree: a CSV file, read in two passes, gives what the
// same CSV gives on stdin, read in one.
func TestCSVFileAndStdinAgree(t *testing.T) {
	for _, name := range []string{"roundtrip.csv", "chips.csv"} {
		data, err := os.ReadFile(filepath.Join(pkgDir, "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		recs, probs := readFiles(t, Options{}, "testdata", name)
		sRecs, sProbs := readText(t, "csv", "", string(data))
		equalStrings(t, name+" problems", strings.Split(strings.ReplaceAll(strings.Join(sProbs, "\n"), StdinName, name), "\n"), probs)
		equalStrings(t, name+" records", strings.Split(strings.ReplaceAll(strings.Join(sources(sRecs), "\n"), StdinName, name), "\n"), sources(recs))
		for i := range recs {
			if recs[i].Digest != sRecs[i].Digest {
				t.Errorf("%s: record %d differs", name, i)
			}
		}
	}
}
