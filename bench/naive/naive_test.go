package naive_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/chipcheck/chipcheck/bench/book"
	"github.com/chipcheck/chipcheck/bench/naive"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// TestNaiveAndCachedAgree decides the hand-worked fixtures (screened
// against the fixture lists) and a sample of a synthetic order book twice:
// with the engine (prepared queries, caches, every cache hit verified) and
// with the naive evaluator (no preparation, no caches). Every decision must
// be the same.
func TestNaiveAndCachedAgree(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join("..", "..")
	rs, err := runner.LoadRules(runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := runner.LoadPolicy(ctx, runner.Options{}, rs)
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := runner.LoadLists(ctx, filepath.Join(root, "fixtures", "lists"), rs, lists.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, min, err := runner.Index(rs, corpus)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(ctx, engine.Options{Policy: pol, Queries: orders.Queries(), VerifyCache: true})
	if err != nil {
		t.Fatal(err)
	}
	facts := orders.FactOptions{Catalog: orders.NewCatalog(rs), Screener: &orders.IndexScreener{Index: ix, MinScore: min}, Exporter: "NVIDIA Corporation"}
	cached, err := orders.New(orders.Options{Policy: pol, Evaluator: eng, Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	slow, err := orders.New(orders.Options{Policy: pol, Evaluator: naive.New(pol, orders.Queries()), Facts: facts})
	if err != nil {
		t.Fatal(err)
	}

	var bk bytes.Buffer
	o := book.Default
	o.Orders = 150
	if err := book.Write(&bk, o); err != nil {
		t.Fatal(err)
	}
	recs, probs := record.Read(ctx, record.Options{Kinds: orders.Kinds(rs), Format: "jsonl", Stdin: &bk}, filepath.Join(root, "fixtures", "orders"), filepath.Join(root, "fixtures", "is-informed"), "-")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if len(recs) < 300 {
		t.Fatalf("only %d records", len(recs))
	}
	for i := range recs {
		a, b := cached.Decide(ctx, &recs[i]), slow.Decide(ctx, &recs[i])
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s (%s:%d): cached and naive decisions differ:\ncached: %s\nnaive:  %s", recs[i].ID, recs[i].Source.File, recs[i].Source.Line, ja, jb)
		}
		for _, r := range a.Reasons {
			if r.Rule == "CHIPCHECK-EVAL-ERROR" {
				t.Errorf("%s: %s", recs[i].ID, r.Message)
			}
		}
	}
}
