package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

var (
	setupOnce sync.Once
	testRules *rules.Set
	testEng   *engine.Engine
	setupErr  error
)

// shared loads the repository's rules and policies once for the package.
func shared(t *testing.T) (*rules.Set, *engine.Engine) {
	t.Helper()
	setupOnce.Do(func() {
		testRules, setupErr = rules.LoadDir(filepath.Join("..", "..", "rules"))
		if setupErr != nil {
			return
		}
		testEng, setupErr = engine.New(context.Background(), engine.Options{
			PolicyDir: filepath.Join("..", "..", "policies"), Rules: testRules, VerifyCache: true,
		})
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return testRules, testEng
}

// read parses YAML records through the real reader and validator.
func read(t *testing.T, yaml string) []record.Record {
	t.Helper()
	rs, _ := shared(t)
	p := filepath.Join(t.TempDir(), "in.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs := record.Read(context.Background(), record.Options{Vocab: rs}, p)
	if len(probs) > 0 {
		t.Fatalf("input problems: %v", probs)
	}
	return recs
}

// orders makes n small orders, alternating destinations so that the
// decisions differ (DE allow, CN deny, SG with a red flag review).
func orders(n int) string {
	var sb strings.Builder
	dests := []string{"DE", "CN", "SG"}
	for i := range n {
		d := dests[i%3]
		flags := ""
		if d == "SG" {
			flags = "red_flags: [cash_payment]\n"
		}
		fmt.Fprintf(&sb, `---
kind: order
id: SO-%03d
date: 2026-11-20
ship_from: US
destination: %s
parties:
  buyer: {name: Buyer %d, country: %s, headquarters: %s}
end_use: {codes: [ai_training]}
items:
  - {sku: H100-SXM5-80G, quantity: %d, catalog: nvidia-h100-sxm5-80gb}
%s`, i, d, i, d, d, i+1, flags)
	}
	return sb.String()
}

// noScreen screens nobody (so that orders can be allowed).
type noScreen struct{}

func (noScreen) Screen(string, record.Party) []decision.Hit { return nil }

func options(t *testing.T) Options {
	rs, eng := shared(t)
	return Options{Engine: eng, Facts: facts.Options{Catalog: rs, Screener: noScreen{}}}
}

func ids(ds []decision.Decision) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func TestRunInputOrder(t *testing.T) {
	recs := read(t, orders(40))
	want := make([]string, len(recs))
	for i, r := range recs {
		want[i] = r.ID
	}
	for _, workers := range []int{1, 3, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			opts := options(t)
			opts.Workers = workers
			var done atomic.Int64
			opts.Done = &done
			// Early records take longest to encode, so later ones finish
			// first.
			var mu sync.Mutex
			var finished []string
			opts.Encode = func(d decision.Decision) ([]byte, error) {
				var i int
				fmt.Sscanf(d.ID, "SO-%d", &i)
				if i < 8 {
					time.Sleep(time.Duration(8-i) * 5 * time.Millisecond)
				}
				mu.Lock()
				finished = append(finished, d.ID)
				mu.Unlock()
				return []byte("enc:" + d.ID), nil
			}
			var got []decision.Decision
			err := Run(context.Background(), opts, recs, func(d decision.Decision, b []byte) error {
				if string(b) != "enc:"+d.ID {
					t.Errorf("emit(%s) got encoding %q", d.ID, b)
				}
				got = append(got, d)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), want) {
				t.Errorf("emitted %v, want input order %v", ids(got), want)
			}
			if workers > 1 && slices.Equal(finished, want) {
				t.Errorf("records finished in input order with %d workers; the test did not exercise reordering", workers)
			}
			if n := done.Load(); n != int64(len(recs)) {
				t.Errorf("Done = %d, want %d", n, len(recs))
			}
		})
	}
}

func TestRunSameDecisionsAnyWorkers(t *testing.T) {
	recs := read(t, orders(30))
	run := func(workers int) []decision.Decision {
		opts := options(t)
		opts.Workers = workers
		var out []decision.Decision
		if err := Run(context.Background(), opts, recs, func(d decision.Decision, _ []byte) error {
			out = append(out, d)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	seq, par := run(1), run(12)
	if len(seq) != len(recs) || len(par) != len(recs) {
		t.Fatalf("%d and %d decisions, want %d", len(seq), len(par), len(recs))
	}
	var counts decision.Counts
	for i := range seq {
		counts.Add(seq[i])
		a, _ := json.Marshal(seq[i])
		b, _ := json.Marshal(par[i])
		if string(a) != string(b) {
			t.Errorf("%s: sequential %s\nparallel %s", seq[i].ID, a, b)
		}
	}
	if counts.Allow == 0 || counts.Review == 0 || counts.Deny == 0 {
		t.Errorf("counts %+v: want every outcome among the test orders", counts)
	}
}

func TestRunStopsAtFirstEmitError(t *testing.T) {
	recs := read(t, orders(60))
	boom := errors.New("stdout closed")
	for _, workers := range []int{1, 8} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			opts := options(t)
			opts.Workers = workers
			var emitted []string
			err := Run(context.Background(), opts, recs, func(d decision.Decision, _ []byte) error {
				emitted = append(emitted, d.ID)
				if len(emitted) == 5 {
					return boom
				}
				return nil
			})
			if !errors.Is(err, boom) {
				t.Errorf("Run = %v, want the emit error", err)
			}
			if want := []string{"SO-000", "SO-001", "SO-002", "SO-003", "SO-004"}; !slices.Equal(emitted, want) {
				t.Errorf("emitted %v, want exactly %v (nothing after the error)", emitted, want)
			}
		})
	}
}

func TestRunEncodeError(t *testing.T) {
	recs := read(t, orders(10))
	opts := options(t)
	opts.Workers = 4
	bad := errors.New("cannot encode")
	opts.Encode = func(d decision.Decision) ([]byte, error) {
		if d.ID == "SO-003" {
			return nil, bad
		}
		return []byte(d.ID), nil
	}
	var emitted []string
	err := Run(context.Background(), opts, recs, func(d decision.Decision, _ []byte) error {
		emitted = append(emitted, d.ID)
		return nil
	})
	if !errors.Is(err, bad) {
		t.Errorf("Run = %v, want the encode error", err)
	}
	if want := []string{"SO-000", "SO-001", "SO-002"}; !slices.Equal(emitted, want) {
		t.Errorf("emitted %v, want %v", emitted, want)
	}
}

func TestRunCanceled(t *testing.T) {
	recs := read(t, orders(5))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := Run(ctx, options(t), recs, func(decision.Decision, []byte) error { calls++; return nil })
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Run on a canceled context = %v, want context.Canceled", err)
	}
	if err != nil && !strings.Contains(err.Error(), "of 5 records") {
		t.Errorf("error %q does not say how far it got", err)
	}
	if calls == len(recs) {
		t.Errorf("every record emitted on a canceled context")
	}
}

func TestRunEmpty(t *testing.T) {
	var done atomic.Int64
	opts := options(t)
	opts.Done = &done
	err := Run(context.Background(), opts, nil, func(decision.Decision, []byte) error {
		t.Error("emit called for an empty batch")
		return nil
	})
	if err != nil || done.Load() != 0 {
		t.Errorf("Run(empty) = %v, done %d", err, done.Load())
	}
}

func TestDecide(t *testing.T) {
	recs := read(t, `
kind: chip
id: h100-sxm
name: NVIDIA H100 SXM5 80GB
datacenter: true
die_area_mm2: 814
performance:
  - {format: fp8,  bits: 8,  tops: 1978.9}
  - {format: fp16, bits: 16, tops: 989.4}
---
kind: chip
id: from-catalog
catalog: nvidia-h100-sxm5-80gb
---
kind: chip
id: no-figures
name: mystery accelerator
datacenter: true
---
kind: order
id: SO-DE
date: 2026-11-20
ship_from: US
destination: DE
parties:
  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
---
kind: order
id: SO-CN
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Lanting Cloud, country: CN, headquarters: CN}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`)
	tests := []struct {
		id, kind, decision, eccn, rule string
	}{
		{"h100-sxm", "chip", "allow", "3A090.a", "ECCN-3A090.a.1"},
		{"from-catalog", "chip", "allow", "3A090.a", "ECCN-3A090.a.1"},
		{"no-figures", "chip", "review", "unknown", "ECCN-UNKNOWN"},
		{"SO-DE", "order", "allow", "3A090.a", "NO-LICENSE-REQUIRED"},
		{"SO-CN", "order", "deny", "3A090.a", "EAR-742.6-DEST"},
	}
	opts := options(t)
	opts.Facts.AsOf = "2026-11-20"
	_, eng := shared(t)
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			rec := &recs[i]
			if rec.ID != tt.id {
				t.Fatalf("record %d is %s", i, rec.ID)
			}
			d := Decide(context.Background(), opts, rec)
			if d.ID != tt.id || d.Kind != tt.kind || d.Decision != tt.decision {
				t.Errorf("got %s %s %s, want %s %s %s", d.ID, d.Kind, d.Decision, tt.id, tt.kind, tt.decision)
			}
			if len(d.Items) != 1 || d.Items[0].ECCN != tt.eccn {
				t.Errorf("items %+v, want one %s", d.Items, tt.eccn)
			}
			if !slices.ContainsFunc(d.Reasons, func(r decision.Reason) bool { return r.Rule == tt.rule }) {
				t.Errorf("reasons %+v lack %s", d.Reasons, tt.rule)
			}
			if d.Source.Line != rec.Source.Line || d.Source.File != rec.Source.File || d.Source.Line == 0 {
				t.Errorf("source %+v, want %+v", d.Source, rec.Source)
			}
			if d.Policy.Revision != eng.Revision() {
				t.Errorf("revision %q, want %q", d.Policy.Revision, eng.Revision())
			}
			if d.AsOf != "2026-11-20" {
				t.Errorf("as_of %q, want the --as-of date", d.AsOf)
			}
		})
	}
}

func TestDecideChipDefaultsToToday(t *testing.T) {
	recs := read(t, "kind: chip\nid: c\nname: c\ndatacenter: true\ndie_area_mm2: 100\nperformance: [{format: int8, bits: 8, tops: 10}]\n")
	before := time.Now().UTC().Format(time.DateOnly)
	d := Decide(context.Background(), options(t), &recs[0])
	after := time.Now().UTC().Format(time.DateOnly)
	if d.AsOf != before && d.AsOf != after {
		t.Errorf("as_of %q, want today (%s)", d.AsOf, before)
	}
	if d.Items[0].ECCN != "none" {
		t.Errorf("eccn %q, want none", d.Items[0].ECCN)
	}
}

// TestDecideFailsClosed: records the pipeline cannot judge are review with
// CHIPCHECK-EVAL-ERROR, never allow.
func TestDecideFailsClosed(t *testing.T) {
	_, eng := shared(t)
	opts := options(t)
	tests := []struct {
		name string
		rec  record.Record
		want string // in the eval error message
	}{
		{
			name: "unknown kind",
			rec:  record.Record{Kind: "onboarding", ID: "ob-1", Source: record.Source{File: "x.yaml", Line: 4}},
			want: `unknown kind "onboarding"`,
		},
		{
			name: "order naming a chip missing from the catalog",
			rec: record.Record{Kind: record.KindOrder, ID: "SO-x", Source: record.Source{File: "x.yaml", Line: 9}, Order: &record.Order{
				ID: "SO-x", Date: "2026-11-20", ShipFrom: "US", Destination: "DE",
				Items: []record.Item{{SKU: "Z", Quantity: 1, Catalog: "no-such-chip"}},
			}},
			want: "no-such-chip",
		},
		{
			name: "chip naming a catalog entry that does not exist",
			rec:  record.Record{Kind: record.KindChip, ID: "c-x", Source: record.Source{File: "x.yaml", Line: 2}, Chip: &record.Chip{ID: "c-x", Catalog: "no-such-chip"}},
			want: "no-such-chip",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(context.Background(), opts, &tt.rec)
			if d.Decision != decision.Review {
				t.Errorf("decision %q, want review", d.Decision)
			}
			if len(d.Reasons) != 1 || d.Reasons[0].Rule != "CHIPCHECK-EVAL-ERROR" || !strings.Contains(d.Reasons[0].Message, tt.want) {
				t.Errorf("reasons %+v, want one CHIPCHECK-EVAL-ERROR mentioning %q", d.Reasons, tt.want)
			}
			if d.ID != tt.rec.ID || d.Kind != tt.rec.Kind || d.Source.Line != tt.rec.Source.Line {
				t.Errorf("decision does not identify the record: %+v", d)
			}
			if d.Policy.Revision != eng.Revision() {
				t.Errorf("revision %q", d.Policy.Revision)
			}
			if d.Screening == nil {
				t.Error("screening is nil (prints null)")
			}
		})
	}
}
