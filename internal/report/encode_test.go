package report

import (
	"bufio"
	"bytes"
	stdjson "encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	goccy "github.com/goccy/go-json"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// std is what encoding/json writes for v without HTML escaping.
func std(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := stdjson.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// goccyOf is what the reflecting encoder chipcheck used before writes.
func goccyOf(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := goccy.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// encodeSample is decisions of every shape: the testdata decisions, and a
// decision with every optional field set and awkward values.
func encodeSample(t *testing.T) []decision.Decision {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "decisions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ds []decision.Decision
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d decision.Decision
		dec := stdjson.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&d); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	if len(ds) < 5 {
		t.Fatalf("only %d sample decisions", len(ds))
	}
	tpp, pd := 1e21, 1e-7
	ds = append(ds, decision.Decision{
		ID: "odd \"id\" <&> \u2028\u2029 \x01\x1f\t\n\r\b\f \xff\xfe ok", Kind: "order", Decision: "deny",
		Reasons: []decision.Reason{{Rule: "R", Outcome: "deny", Message: "a\\b", Citation: "c", Facts: map[string]any{
			"z": []any{nil, true, false, 1.5, 0.0, -0.0, 123456789012.0, stdjson.Number("7"), "s", map[string]any{"b": 1, "a": []string{"x"}}},
			"a": 3, "é": "ü",
		}}, {Rule: "W", Outcome: "review", Waived: "W-1"}},
		Items:     []decision.Item{{SKU: "A", Name: "n", ECCN: "3A090.a", Paragraph: "p", TPP: &tpp, PD: &pd}, {SKU: "B", ECCN: "none"}},
		Screening: []decision.Hit{{Party: "buyer", Score: 0.949999, Countries: []string{"CN", "HK"}, Explanation: "x", LicenseRequirement: "l", LicensePolicy: "p", FederalRegister: "f"}, {Party: "p"}},
		Source:    decision.Source{File: "f.yaml", Line: 3},
		Policy:    decision.Policy{Revision: "sha256:x", Policies: "built-in", Rules: "/r"},
		AsOf:      "2026-01-01",
		Provenance: &decision.Provenance{DecisionID: "id", EvaluatedAt: "t", InputSHA256: "h", Exporter: "e", Chipcheck: "v",
			Lists: []decision.ListSnapshot{{ID: "csl", Name: "n", Snapshot: "s", SHA256: "h"}}},
	}, decision.Decision{ID: "empty"})
	return ds
}

// TestAppendDecision: the hand-written encoder writes what both
// encoding/json and the reflecting encoder chipcheck used before write.
func TestAppendDecision(t *testing.T) {
	for _, d := range encodeSample(t) {
		got := AppendDecision(nil, &d)
		if want := std(t, d); !bytes.Equal(got, want) {
			t.Errorf("%s: differs from encoding/json:\n got %s\nwant %s", d.ID, got, want)
		}
		if want := goccyOf(t, d); !bytes.Equal(got, want) {
			t.Errorf("%s: differs from go-json:\n got %s\nwant %s", d.ID, got, want)
		}
	}
}

// TestAppendStringAndFloat compares strings and floats one by one on
// random input, invalid UTF-8 and edge values included.
func TestAppendStringAndFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := r.IntN(12)
		bs := make([]byte, n)
		for i := range bs {
			switch r.IntN(4) {
			case 0:
				bs[i] = byte(r.IntN(0x20))
			case 1:
				bs[i] = byte(0x80 + r.IntN(0x80))
			default:
				bs[i] = byte(0x20 + r.IntN(0x60))
			}
		}
		s := string(bs)
		if r.IntN(5) == 0 {
			s += "\u2028é\u2029中"
		}
		if got, want := appendString(nil, s), std(t, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
	floats := []float64{0, 1, -1, 0.1, 1e20, 1e21, 1e-6, 1e-7, 123.456, math.MaxFloat64, math.SmallestNonzeroFloat64, 15831.2, 19.45}
	for range 20000 {
		floats = append(floats, math.Float64frombits(r.Uint64()))
	}
	for _, f := range floats {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			continue
		}
		if got, want := appendFloat(nil, f), std(t, f); !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s, want %s", f, got, want)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	ds := encodeSample(&testing.T{})
	b.Run("append", func(b *testing.B) {
		var buf []byte
		for i := 0; b.Loop(); i++ {
			buf = AppendDecision(buf[:0], &ds[i%len(ds)])
		}
	})
	b.Run("go-json", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			goccyOf(b, ds[i%len(ds)])
		}
	})
}
