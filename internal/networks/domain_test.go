package networks

import (
	"context"
	"errors"
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

// fakeEval answers every query with a fixed result or error.
type fakeEval struct {
	res any
	err error
}

func (f fakeEval) Eval(context.Context, string, []byte, func() ast.Value, engine.Convert) (any, error) {
	return f.res, f.err
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

func TestCheckPolicyRequiresNetworkDocuments(t *testing.T) {
	pol, _ := builtinPolicy(t)
	if err := CheckPolicy(pol); err != nil {
		t.Errorf("built-in policy refused: %v", err)
	}
	if _, err := New(Options{Policy: pol}); err == nil {
		t.Error("a domain without an evaluator was made")
	}
}
