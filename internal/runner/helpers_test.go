package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

// fixedNow is the clock of the tests' runners.
var fixedNow = time.Date(2026, 11, 20, 9, 30, 0, 123456789, time.FixedZone("CET", 3600))

func clock() time.Time { return fixedNow }

// fixtureLists copies fixtures/lists to a temporary directory (a load may
// write the list manifest; the fixtures stay as they are).
func fixtureLists(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lists")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "fixtures", "lists"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func load(t testing.TB, opts Options) *Runner {
	t.Helper()
	if opts.Now == nil {
		opts.Now = clock
	}
	r, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	builtinOnce sync.Once
	builtinRun  *Runner
	builtinErr  error
)

// builtin is a runner of the built-in policies and rules, screening
// against (a copy of) fixtures/lists, shared by the tests that only decide
// with it.
func builtin(t testing.TB) *Runner {
	t.Helper()
	builtinOnce.Do(func() {
		var dir string
		if dir, builtinErr = os.MkdirTemp("", "chipcheck-lists-"); builtinErr != nil {
			return
		}
		defer os.RemoveAll(dir)
		if builtinErr = os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "fixtures", "lists"))); builtinErr != nil {
			return
		}
		builtinRun, builtinErr = Load(context.Background(), Options{Now: clock, VerifyCache: true, ListsDir: dir})
	})
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtinRun
}

// withWorkers is r deciding with n workers (the loaded state is shared).
func withWorkers(r *Runner, n int) *Runner {
	c := *r
	c.opts.Workers = n
	return &c
}

// readYAML reads YAML records through the runner.
func readYAML(t testing.TB, r *Runner, text string) []record.Record {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs := r.Read(context.Background(), ReadOptions{}, p)
	if len(probs) > 0 {
		t.Fatalf("input problems: %v", probs)
	}
	return recs
}

// smallOrders makes n small orders, alternating destinations so that the
// decisions differ (DE allow, CN deny, SG with a red flag review).
func smallOrders(n int) string {
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

func decisionIDs(ds []decision.Decision) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// collect is a Sink that keeps every decision.
func collect(out *[]decision.Decision) Sink {
	var mu sync.Mutex
	return Sink{Emit: func(d decision.Decision, _ []byte) error {
		mu.Lock()
		defer mu.Unlock()
		*out = append(*out, d)
		return nil
	}}
}

// withoutRun strips what differs from one run to the next (the decision
// id, the time) and where the policies came from.
func withoutRun(d decision.Decision) decision.Decision {
	if d.Provenance != nil {
		p := *d.Provenance
		p.DecisionID, p.EvaluatedAt = "", ""
		d.Provenance = &p
	}
	d.Policy.Policies, d.Policy.Rules = "", ""
	return d
}

// addDomain registers d as the judge of kinds, and kinds for reading.
func (r *Runner) addDomain(d Domain, kinds []record.Kind) {
	r.judge(d, kinds)
	r.kinds = append(r.kinds, kinds...)
}
