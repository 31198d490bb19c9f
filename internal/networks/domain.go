package networks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// The query every account decision evaluates, and the document it reads.
const (
	queryNetwork = "network"
	findingsDoc  = "data.access.network.findings"
	clearDoc     = "data.access.network.clear"
)

// Queries are the queries an Evaluator prepares for this domain.
func Queries() []engine.Query {
	return []engine.Query{{Name: queryNetwork, Text: "array.concat([r | some r in " + findingsDoc + "], [r | some r in " + clearDoc + "])"}}
}

// CheckPolicy checks that a policy defines the network findings and the
// clear reason (without them every account would go unjudged).
func CheckPolicy(pol *policy.Policy) error {
	for _, doc := range []string{findingsDoc, clearDoc} {
		if !pol.Defines(doc) {
			return fmt.Errorf("policies %s define no %s: the network policies must be present", pol.Origin().Policies, doc)
		}
	}
	return nil
}

// Options configure a Domain.
type Options struct {
	Policy    *policy.Policy
	Evaluator engine.Evaluator // prepared with Queries
	Linkage   rules.NetworkLinkage
}

// Domain judges account_activity records: Prepare links the whole batch
// into clusters, Decide judges one account with its cluster's facts. It
// implements runner.Domain.
type Domain struct {
	pol     *policy.Policy
	ev      engine.Evaluator
	linkage rules.NetworkLinkage

	mu       sync.RWMutex
	analysis *Analysis
}

// New returns a Domain, once the policy has passed CheckPolicy.
func New(opts Options) (*Domain, error) {
	if opts.Policy == nil || opts.Evaluator == nil {
		return nil, errors.New("networks: a policy and an evaluator are required")
	}
	if err := CheckPolicy(opts.Policy); err != nil {
		return nil, err
	}
	return &Domain{pol: opts.Policy, ev: opts.Evaluator, linkage: opts.Linkage}, nil
}

// NeedsWholeBatch: accounts are linked across the whole batch, so the
// runner hands Prepare every account record at once.
func (d *Domain) NeedsWholeBatch() bool { return true }

// Prepare links every account of the batch.
func (d *Domain) Prepare(ctx context.Context, _ *record.Batch, recs []*record.Record) error {
	acts := make([]*Activity, 0, len(recs))
	for _, r := range recs {
		a := ActivityOf(r)
		if a == nil {
			return fmt.Errorf("%s:%d: not an account_activity record", r.Source.File, r.Source.Line)
		}
		acts = append(acts, a)
	}
	an, err := Analyze(ctx, acts, d.linkage)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.analysis = an
	d.mu.Unlock()
	return nil
}

// Analysis is the batch Prepare last linked.
func (d *Domain) Analysis() *Analysis {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.analysis
}

// Decide judges one account. It never fails: an account that cannot be
// judged gets a CHIPCHECK-EVAL-ERROR reason.
func (d *Domain) Decide(ctx context.Context, rec *record.Record) decision.Decision {
	dec := decision.Decision{
		ID: rec.ID, Kind: rec.Kind,
		Source: decision.Source{File: rec.Source.File, Line: rec.Source.Line},
		Policy: decision.Policy{Revision: d.pol.Revision()},
	}
	act := ActivityOf(rec)
	an := d.Analysis()
	if act == nil || an == nil {
		return d.failed(dec, errors.New("the account was not linked with its batch (no Prepare)"))
	}
	dec.AsOf = act.End.Format(time.DateOnly)
	i, ok := an.Index(act.AccountID)
	if !ok || an.acts[i] != act {
		return d.failed(dec, fmt.Errorf("account %s is not in the batch that was linked", act.AccountID))
	}
	in := an.Input(i)
	res, err := d.ev.Eval(ctx, queryNetwork, nil, func() ast.Value {
		v, err := ast.InterfaceToValue(in)
		if err != nil {
			// The input is built of maps, slices, strings and numbers.
			panic(err)
		}
		return v
	}, nil)
	if err != nil {
		return d.failed(dec, err)
	}
	list, _ := res.([]any)
	if len(list) == 0 {
		return d.failed(dec, errors.New("the network policy returned no reasons"))
	}
	var links []any
	for _, x := range list {
		m, _ := x.(map[string]any)
		r, about, err := d.reason(m)
		if err != nil {
			return d.failed(dec, err)
		}
		if about {
			if links == nil {
				links = linkFacts(an.Links(i))
			}
			if r.Facts == nil {
				r.Facts = map[string]any{}
			}
			r.Facts["links"] = links
		}
		dec.Reasons = append(dec.Reasons, r)
	}
	slices.SortStableFunc(dec.Reasons, func(x, y decision.Reason) int { return cmp.Compare(x.Message, y.Message) })
	dec.Finish()
	return dec
}

// reason reads one reason the policy gave; about says the policy asked
// for the account's links as evidence.
func (d *Domain) reason(m map[string]any) (decision.Reason, bool, error) {
	r := decision.Reason{}
	r.Rule, _ = m["rule"].(string)
	r.Outcome, _ = m["outcome"].(string)
	r.Message, _ = m["message"].(string)
	r.Citation, _ = m["citation"].(string)
	if r.Rule == "" || r.Outcome == "" || r.Message == "" {
		return r, false, fmt.Errorf("network policy: a reason without rule, outcome or message: %v", m)
	}
	if _, ok := d.pol.Rule(r.Rule); !ok {
		return r, false, fmt.Errorf("network policy: reason %s: no rule declares this id in its METADATA", r.Rule)
	}
	if f, ok := m["facts"].(map[string]any); ok && len(f) > 0 {
		r.Facts = f
	}
	about, _ := m["links"].(bool)
	return r, about, nil
}

// failed records an evaluation error: it fails closed to review.
func (d *Domain) failed(dec decision.Decision, err error) decision.Decision {
	r, _ := d.pol.Rule(decision.EvalErrorRule)
	dec.Reasons = append(dec.Reasons, decision.EvalError(err, r.Citation))
	dec.Finish()
	return dec
}
