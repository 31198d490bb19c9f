package naive_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/bench/book"
	"github.com/chipcheck/chipcheck/bench/naive"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// TestNaiveAndCachedAgree decides the hand-worked fixtures (screened
// against the fixture lists) and a sample of a synthetic order book twice
// through the runner: with the engine (prepared queries, caches, every
// cache hit verified) and with the naive evaluator (no preparation, no
// caches). Every decision must be the same.
func TestNaiveAndCachedAgree(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join("..", "..")
	var bk bytes.Buffer
	o := book.Default
	o.Orders = 150
	if err := book.Write(&bk, o); err != nil {
		t.Fatal(err)
	}
	book := bk.Bytes()
	// One clock for both runs: chip records are judged under today's rules.
	now := time.Now()
	decide := func(opts runner.Options) []decision.Decision {
		t.Helper()
		opts.ListsDir = filepath.Join(root, "fixtures", "lists")
		opts.Exporter = "NVIDIA Corporation"
		opts.Now = func() time.Time { return now }
		r, err := runner.Load(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		recs, probs := r.Read(ctx, runner.ReadOptions{Format: "jsonl", Stdin: bytes.NewReader(book)},
			filepath.Join(root, "fixtures", "orders"), filepath.Join(root, "fixtures", "is-informed"), "-")
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		if len(recs) < 300 {
			t.Fatalf("only %d records", len(recs))
		}
		var ds []decision.Decision
		if _, err := r.Decide(ctx, recs, runner.Sink{Emit: func(d decision.Decision, _ []byte) error {
			d.Provenance = nil // names the run
			ds = append(ds, d)
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
		return ds
	}
	cached := decide(runner.Options{VerifyCache: true})
	slow := decide(runner.Options{NewEvaluator: func(pol *policy.Policy, qs []engine.Query) (engine.Evaluator, error) {
		return naive.New(pol, qs), nil
	}})
	if len(cached) != len(slow) {
		t.Fatalf("%d cached decisions, %d naive", len(cached), len(slow))
	}
	for i := range cached {
		a, b := cached[i], slow[i]
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: cached and naive decisions differ:\ncached: %s\nnaive:  %s", a.ID, ja, jb)
		}
		for _, r := range a.Reasons {
			if r.Rule == "CHIPCHECK-EVAL-ERROR" {
				t.Errorf("%s: %s", a.ID, r.Message)
			}
		}
	}
}
