package networks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

func builtinPolicy(t *testing.T) (*policy.Policy, *rules.Set) {
	t.Helper()
	rs, err := rules.Load(chipcheck.Rules(), "rules")
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.Load(context.Background(), policy.Options{Policies: policy.Source{FS: chipcheck.Policies(), Origin: policy.BuiltIn}, Rules: rs})
	if err != nil {
		t.Fatal(err)
	}
	return pol, rs
}

// fakeEval answers every account's query with a fixed result or error,
// and the measures' query with above (none above when nil).
type fakeEval struct {
	res   any
	err   error
	above any
}

func (f fakeEval) Eval(_ context.Context, query string, _ []byte, _ func() ast.Value, convert engine.Convert) (any, error) {
	if query == queryAbove {
		if f.above == nil {
			return map[string]any{"usage": map[string]any{}, "cluster_mean": map[string]any{}, "cluster_volume": map[string]any{}}, nil
		}
		return f.above, nil
	}
	if f.err != nil || convert == nil {
		return f.res, f.err
	}
	return convert(f.res)
}

func recordOf(a *Activity) *record.Record {
	return &record.Record{Kind: KindActivity, ID: a.AccountID, Value: a, Source: record.Source{File: "a.jsonl", Line: 1}}
}

// Whatever goes wrong, an account is never allowed: it gets
// CHIPCHECK-EVAL-ERROR (review), which makes the run exit 3.
func TestDecideFailsClosed(t *testing.T) {
	pol, rs := builtinPolicy(t)
	rec := recordOf(acct("a"))
	for _, tc := range []struct {
		name    string
		ev      engine.Evaluator
		prepare bool
		want    string
	}{
		{"no prepare", fakeEval{}, false, "not linked with its batch"},
		{"evaluation error", fakeEval{err: errors.New("boom")}, true, "boom"},
		{"no reasons", fakeEval{res: []any{}}, true, "returned no reasons"},
		{"undeclared rule", fakeEval{res: []any{map[string]any{"rule": "MADE-UP", "outcome": "allow", "message": "fine"}}}, true, "no rule declares"},
		{"reason without outcome", fakeEval{res: []any{map[string]any{"rule": "NETWORK-CLEAR", "message": "fine"}}}, true, "without rule, outcome or message"},
		{"unknown account facts", fakeEval{res: []any{map[string]any{"rule": "NETWORK-CLEAR", "outcome": "allow", "message": "fine", "about": []any{"passport"}}}}, true, "not one of an account's facts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(Options{Policy: pol, Evaluator: tc.ev, Linkage: rs.Networks().Linkage})
			if err != nil {
				t.Fatal(err)
			}
			if tc.prepare {
				if err := d.Prepare(context.Background(), &record.Batch{}, []*record.Record{rec}); err != nil {
					t.Fatal(err)
				}
			}
			dec := d.Decide(context.Background(), rec)
			if dec.Decision != decision.Review || !dec.Failed() || !strings.Contains(dec.Reasons[0].Message, tc.want) {
				t.Errorf("decision %s, reasons %+v; want an evaluation error saying %q", dec.Decision, dec.Reasons, tc.want)
			}
		})
	}
	// An account of another batch than the one prepared is not judged
	// with the wrong facts.
	d, _ := New(Options{Policy: pol, Evaluator: fakeEval{}, Linkage: rs.Networks().Linkage})
	if err := d.Prepare(context.Background(), &record.Batch{}, []*record.Record{rec}); err != nil {
		t.Fatal(err)
	}
	other := recordOf(acct("a"))
	if dec := d.Decide(context.Background(), other); !dec.Failed() {
		t.Errorf("an account of another batch was judged: %+v", dec)
	}
}

// A batch whose measures the policy does not judge as expected is not
// decided at all: Prepare fails, and the run with it.
func TestPrepareFailsOnBadMeasures(t *testing.T) {
	pol, rs := builtinPolicy(t)
	rec := recordOf(acct("a"))
	for _, tc := range []struct {
		name  string
		above any
		want  string
	}{
		{"no groups", map[string]any{}, "judges no"},
		{"not a list", map[string]any{"cluster_volume": map[string]any{"requests_per_day": "all"}}, "not a list"},
		{"position out of range", map[string]any{"cluster_volume": map[string]any{"requests_per_day": []any{[]any{json.Number("1"), "26"}}}}, "not [position, text]"},
		{"text missing", map[string]any{"cluster_volume": map[string]any{"requests_per_day": []any{[]any{json.Number("0")}}}}, "not [position, text]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(Options{Policy: pol, Evaluator: fakeEval{above: tc.above}, Linkage: rs.Networks().Linkage})
			if err != nil {
				t.Fatal(err)
			}
			err = d.Prepare(context.Background(), &record.Batch{}, []*record.Record{rec})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Prepare: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// Accounts with the same facts share one evaluation, and each decision
// still shows its own cluster, values and links: the results are those
// of evaluating every account afresh (the engine verifies each hit).
func TestDecideSharesEvaluations(t *testing.T) {
	pol, rs := builtinPolicy(t)
	ev, err := engine.New(context.Background(), engine.Options{Policy: pol, Queries: Queries(), VerifyCache: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Policy: pol, Evaluator: ev, Linkage: rs.Networks().Linkage})
	if err != nil {
		t.Fatal(err)
	}
	var recs []*record.Record
	for _, c := range []string{"n1", "n2"} {
		for k, cot := range []float64{0.3, 0.31, 0.32, 0.33, 0.34, 0.35} {
			a := acct(fmt.Sprintf("%s-%d", c, k), IDPayment, "card-"+c)
			a.Usage = [4]float64{cot, 0.8, 0.95, 0.5}
			recs = append(recs, recordOf(a))
		}
	}
	for _, a := range filler(20) {
		a.Usage = [4]float64{0.1, 0.1, 0.1, 0.1}
		recs = append(recs, recordOf(a))
	}
	if err := d.Prepare(context.Background(), &record.Batch{}, recs); err != nil {
		t.Fatal(err)
	}
	decs := map[string]decision.Decision{}
	for _, r := range recs {
		dec := d.Decide(context.Background(), r)
		if dec.Failed() {
			t.Fatalf("%s: %+v", r.ID, dec.Reasons)
		}
		decs[r.ID] = dec
	}
	for _, st := range ev.Stats() {
		if st.Query == queryNetwork && st.Hits < 20 {
			t.Errorf("%d cache hits, want the accounts alike to share evaluations", st.Hits)
		}
	}
	msgs := func(id string) string {
		var out []string
		for _, r := range decs[id].Reasons {
			out = append(out, r.Rule+": "+r.Message)
		}
		return strings.Join(out, "\n")
	}
	for _, tc := range []struct{ id, want string }{
		{"n1-0", "NETWORK-ACCOUNT-BEHAVIOUR: its own usage scores 80 (review at 60): cot_elicitation_share 0.3 above 0.2 (+30)"},
		{"n1-3", "cot_elicitation_share 0.33 above 0.2 (+30)"},
		{"n2-5", "its cluster net-n2-0 of 6 accounts (6 organisations): mean cot_elicitation_share 0.325 above 0.2"},
		{"f00003", "NETWORK-CLEAR: no linkage or behaviour threshold crossed: cluster of 1 account(s), 1 declared organisation(s)"},
	} {
		if got := msgs(tc.id); !strings.Contains(got, tc.want) {
			t.Errorf("%s: reasons\n%s\nwant %q", tc.id, got, tc.want)
		}
	}
	for _, r := range decs["n2-5"].Reasons {
		if cl, _ := r.Facts["cluster"].(map[string]any); r.Rule == "NETWORK-CLUSTER-BEHAVIOUR" && (cl["id"] != "net-n2-0" || cl["size"] != 6) {
			t.Errorf("cluster facts of n2-5 = %v", cl)
		}
	}
}

func TestCheckPolicyRequiresNetworkDocuments(t *testing.T) {
	pol, _ := builtinPolicy(t)
	if err := CheckPolicy(pol); err != nil {
		t.Errorf("built-in policy refused: %v", err)
	}
	if _, err := New(Options{Policy: pol}); err == nil {
		t.Error("a domain without an evaluator was made")
	}
}
