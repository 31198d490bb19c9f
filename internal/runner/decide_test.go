package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

func TestDecideInputOrder(t *testing.T) {
	base := builtin(t)
	recs := readYAML(t, base, smallOrders(40))
	want := make([]string, len(recs))
	for i, r := range recs {
		want[i] = r.ID
	}
	for _, workers := range []int{1, 3, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			r := withWorkers(base, workers)
			var done atomic.Int64
			// Early records take longest to encode, so that later ones
			// finish first.
			var mu sync.Mutex
			var finished []string
			encode := func(d decision.Decision) ([]byte, error) {
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
			counts, err := r.Decide(context.Background(), slices.Clone(recs), Sink{Encode: encode, Done: &done, Emit: func(d decision.Decision, b []byte) error {
				if string(b) != "enc:"+d.ID {
					t.Errorf("emit(%s) got encoding %q", d.ID, b)
				}
				got = append(got, d)
				return nil
			}})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(decisionIDs(got), want) {
				t.Errorf("emitted %v, want input order %v", decisionIDs(got), want)
			}
			if workers > 1 && slices.Equal(finished, want) {
				t.Errorf("records finished in input order with %d workers; the test did not exercise reordering", workers)
			}
			if n := done.Load(); n != int64(len(recs)) {
				t.Errorf("Done = %d, want %d", n, len(recs))
			}
			// 40 orders: 14 DE (allow), 13 CN (deny), 13 SG (review).
			if counts != (decision.Counts{Allow: 14, Deny: 13, Review: 13}) {
				t.Errorf("counts %+v", counts)
			}
		})
	}
}

// TestDecideSameDecisionsAnyWorkers: fresh runners with one and with many
// workers decide alike (decision ids and times aside).
func TestDecideSameDecisionsAnyWorkers(t *testing.T) {
	recs := readYAML(t, builtin(t), smallOrders(30))
	run := func(workers int) []decision.Decision {
		r := load(t, Options{Workers: workers, ListsDir: fixtureLists(t)})
		var out []decision.Decision
		if _, err := r.Decide(context.Background(), slices.Clone(recs), collect(&out)); err != nil {
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
		a, _ := json.Marshal(withoutRun(seq[i]))
		b, _ := json.Marshal(withoutRun(par[i]))
		if string(a) != string(b) {
			t.Errorf("%s: sequential %s\nparallel %s", seq[i].ID, a, b)
		}
	}
	if counts.Allow == 0 || counts.Review == 0 || counts.Deny == 0 {
		t.Errorf("counts %+v: want every outcome among the test orders", counts)
	}
}

func TestDecideStopsAtFirstEmitError(t *testing.T) {
	base := builtin(t)
	recs := readYAML(t, base, smallOrders(60))
	boom := errors.New("stdout closed")
	for _, workers := range []int{1, 8} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var emitted []string
			var done atomic.Int64
			counts, err := withWorkers(base, workers).Decide(context.Background(), slices.Clone(recs), Sink{Done: &done, Emit: func(d decision.Decision, _ []byte) error {
				emitted = append(emitted, d.ID)
				if len(emitted) == 5 {
					return boom
				}
				return nil
			}})
			if !errors.Is(err, boom) {
				t.Errorf("Decide = %v, want the emit error", err)
			}
			if want := []string{"SO-000", "SO-001", "SO-002", "SO-003", "SO-004"}; !slices.Equal(emitted, want) {
				t.Errorf("emitted %v, want exactly %v (nothing after the error)", emitted, want)
			}
			if n := counts.Allow + counts.Deny + counts.Review; n != 5 {
				t.Errorf("counts %+v, want the 5 decisions emitted", counts)
			}
			if done.Load() == int64(len(recs)) && workers == 1 {
				t.Errorf("every record was decided after the emit error")
			}
		})
	}
}

func TestDecideEncodeError(t *testing.T) {
	recs := readYAML(t, builtin(t), smallOrders(10))
	bad := errors.New("cannot encode")
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var emitted []string
			_, err := withWorkers(builtin(t), workers).Decide(context.Background(), slices.Clone(recs), Sink{
				Encode: func(d decision.Decision) ([]byte, error) {
					if d.ID == "SO-003" {
						return nil, bad
					}
					return []byte(d.ID), nil
				},
				Emit: func(d decision.Decision, _ []byte) error {
					emitted = append(emitted, d.ID)
					return nil
				},
			})
			if !errors.Is(err, bad) {
				t.Errorf("Decide = %v, want the encode error", err)
			}
			if want := []string{"SO-000", "SO-001", "SO-002"}; !slices.Equal(emitted, want) {
				t.Errorf("emitted %v, want %v", emitted, want)
			}
		})
	}
}

func TestDecideCanceled(t *testing.T) {
	recs := readYAML(t, builtin(t), smallOrders(5))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	_, err := builtin(t).Decide(ctx, slices.Clone(recs), Sink{Emit: func(decision.Decision, []byte) error { calls++; return nil }})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Decide on a canceled context = %v, want context.Canceled", err)
	}
	if err != nil && !strings.Contains(err.Error(), "of 5 records") {
		t.Errorf("error %q does not say how far it got", err)
	}
	if calls == len(recs) {
		t.Errorf("every record emitted on a canceled context")
	}
}

// TestDecideCanceledMidway: canceling while deciding stops the batch with
// the context's error and emits nothing out of order.
func TestDecideCanceledMidway(t *testing.T) {
	recs := readYAML(t, builtin(t), smallOrders(60))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var emitted []string
	_, err := withWorkers(builtin(t), 4).Decide(ctx, slices.Clone(recs), Sink{Emit: func(d decision.Decision, _ []byte) error {
		emitted = append(emitted, d.ID)
		if len(emitted) == 10 {
			cancel()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Decide = %v, want context.Canceled", err)
	}
	for i, id := range emitted {
		if id != recs[i].ID {
			t.Fatalf("emitted %v: not a prefix of the input", emitted)
		}
	}
	if len(emitted) == len(recs) {
		t.Error("every record emitted after the cancel")
	}
}

func TestDecideEmpty(t *testing.T) {
	var done atomic.Int64
	counts, err := builtin(t).Decide(context.Background(), nil, Sink{Done: &done, Emit: func(decision.Decision, []byte) error {
		t.Error("emit called for an empty batch")
		return nil
	}})
	if err != nil || done.Load() != 0 || counts != (decision.Counts{}) {
		t.Errorf("Decide(empty) = %+v, %v, done %d", counts, err, done.Load())
	}
}

// TestDecideUnknownKind: a batch with a record no domain judges is refused
// before anything is decided.
func TestDecideUnknownKind(t *testing.T) {
	r := builtin(t)
	recs := readYAML(t, r, smallOrders(2))
	recs = append(recs, record.Record{Kind: "invoice", ID: "inv-1", Source: record.Source{File: "x.yaml", Line: 7}})
	called := false
	_, err := r.Decide(context.Background(), slices.Clone(recs), Sink{Emit: func(decision.Decision, []byte) error { called = true; return nil }})
	if err == nil || !strings.Contains(err.Error(), `"invoice"`) || !strings.Contains(err.Error(), "x.yaml:7") {
		t.Errorf("Decide = %v, want an error naming the kind and the record", err)
	}
	if called {
		t.Error("decisions emitted for a batch that was refused")
	}
}

// TestDecideChipAndOrder: both kinds, worked by hand (policies/README.md:
// H100 TPP 15831.2 >= 4800 -> 3A090.a.1; DE is in no D group, CN is; a
// chip record without --as-of is judged on the runner's clock's date).
func TestDecideChipAndOrder(t *testing.T) {
	r := builtin(t)
	recs := readYAML(t, r, `
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
		id, kind, decision, eccn, rule, asOf string
	}{
		{"h100-sxm", "chip", "allow", "3A090.a", "ECCN-3A090.a.1", "2026-11-20"},
		{"from-catalog", "chip", "allow", "3A090.a", "ECCN-3A090.a.1", "2026-11-20"},
		{"no-figures", "chip", "review", "unknown", "ECCN-UNKNOWN", "2026-11-20"},
		{"SO-DE", "order", "allow", "3A090.a", "NO-LICENSE-REQUIRED", "2026-11-20"},
		{"SO-CN", "order", "deny", "3A090.a", "EAR-742.6-DEST", "2026-11-20"},
	}
	var got []decision.Decision
	if _, err := r.Decide(context.Background(), slices.Clone(recs), collect(&got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tests) {
		t.Fatalf("%d decisions", len(got))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			d := got[i]
			if d.ID != tt.id || d.Kind != tt.kind || d.Decision != tt.decision {
				t.Errorf("got %s %s %s, want %s %s %s (%+v)", d.ID, d.Kind, d.Decision, tt.id, tt.kind, tt.decision, d.Reasons)
			}
			if len(d.Items) != 1 || d.Items[0].ECCN != tt.eccn {
				t.Errorf("items %+v, want one %s", d.Items, tt.eccn)
			}
			if !slices.ContainsFunc(d.Reasons, func(r decision.Reason) bool { return r.Rule == tt.rule }) {
				t.Errorf("reasons %+v lack %s", d.Reasons, tt.rule)
			}
			if d.Source != (decision.Source{File: recs[i].Source.File, Line: recs[i].Source.Line}) || d.Source.Line == 0 {
				t.Errorf("source %+v, want %+v", d.Source, recs[i].Source)
			}
			if d.Policy.Revision != r.Policy.Revision() || d.AsOf != tt.asOf {
				t.Errorf("policy %+v as_of %q", d.Policy, d.AsOf)
			}
		})
	}
}

// TestDecideConsumesRecords: Decide clears each record once its decision
// is emitted (so that a large batch is not held to the end), and each
// decision was made from the record before it was cleared.
func TestDecideConsumesRecords(t *testing.T) {
	r := builtin(t)
	recs := readYAML(t, r, smallOrders(12))
	orig := slices.Clone(recs)
	var got []decision.Decision
	if _, err := withWorkers(r, 3).Decide(context.Background(), recs, collect(&got)); err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if recs[i].Kind != "" || recs[i].Value != nil || recs[i].ID != "" {
			t.Errorf("record %d not cleared: %+v", i, recs[i])
		}
		if got[i].ID != orig[i].ID || got[i].Provenance == nil || got[i].Provenance.InputSHA256 != orig[i].Digest {
			t.Errorf("decision %d: %s, digest %v; want %s, %s", i, got[i].ID, got[i].Provenance, orig[i].ID, orig[i].Digest)
		}
	}
}

// panicDomain judges kind "boom" by panicking, and kind "quiet" with an
// empty allow.
type panicDomain struct{}

func (panicDomain) Prepare(context.Context, *record.Batch, []*record.Record) error { return nil }
func (panicDomain) Decide(_ context.Context, rec *record.Record) decision.Decision {
	if rec.Kind == "boom" {
		panic("index out of range [3] with length 3")
	}
	d := decision.Decision{ID: rec.ID, Kind: rec.Kind}
	d.Finish()
	return d
}

// TestDecideRecoversPanics: a domain that panics on a record gives that
// record an evaluation error (review, counted as an error) with its
// provenance; the batch goes on, in order.
func TestDecideRecoversPanics(t *testing.T) {
	r := *builtin(t)
	r.domains = map[string]Domain{}
	r.kinds = nil
	r.addDomain(panicDomain{}, []record.Kind{{Name: "boom"}, {Name: "quiet"}})
	recs := []record.Record{
		{Kind: "quiet", ID: "q-1", Digest: "d1"},
		{Kind: "boom", ID: "b-1", Digest: "d2", Source: record.Source{File: "x.yaml", Line: 4}},
		{Kind: "quiet", ID: "q-2", Digest: "d3"},
	}
	for _, workers := range []int{1, 3} {
		var got []decision.Decision
		counts, err := withWorkers(&r, workers).Decide(context.Background(), slices.Clone(recs), collect(&got))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(decisionIDs(got), []string{"q-1", "b-1", "q-2"}) {
			t.Fatalf("decisions %v", decisionIDs(got))
		}
		b := got[1]
		if b.Decision != decision.Review || len(b.Reasons) != 1 || b.Reasons[0].Rule != decision.EvalErrorRule || !strings.Contains(b.Reasons[0].Message, "panic") {
			t.Errorf("the panicking record: %s %+v, want review with CHIPCHECK-EVAL-ERROR (panic)", b.Decision, b.Reasons)
		}
		if b.Kind != "boom" || b.Source.Line != 4 || b.Policy.Revision != r.Policy.Revision() || b.Policy.Policies != "built-in" ||
			b.Provenance == nil || b.Provenance.InputSHA256 != "d2" || b.Provenance.DecisionID == "" || b.Screening == nil {
			t.Errorf("the panicking record's decision is not stamped: %+v", b)
		}
		if counts != (decision.Counts{Allow: 2, Review: 1, Errors: 1}) {
			t.Errorf("counts %+v", counts)
		}
	}
}
