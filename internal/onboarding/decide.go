package onboarding

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// The queries of this domain: the onboarding rules on one application's
// facts; the allow reason when nothing objects; and the shared screening
// stage (data.chipcheck.screening) on each restricted-party hit, so that a
// hit means the same on an application as on an order.
const (
	queryRules     = "onboarding"
	queryClear     = "onboarding.clear"
	queryScreening = "onboarding.screening"
)

var queryDocs = map[string]string{
	queryRules:     "data.access.onboarding.reasons",
	queryClear:     "data.access.onboarding.clear.reasons",
	queryScreening: "data.chipcheck.screening.reasons",
}

// Queries are the queries an Evaluator prepares for this domain.
func Queries() []engine.Query {
	var qs []engine.Query
	for _, name := range slices.Sorted(maps.Keys(queryDocs)) {
		qs = append(qs, engine.Query{Name: name, Text: fmt.Sprintf("[r | some r in %s]", queryDocs[name])})
	}
	return qs
}

// CheckPolicy checks that the policy defines every document this domain
// queries: a missing one would silently judge nothing.
func CheckPolicy(pol *policy.Policy) error {
	var missing []string
	for _, name := range slices.Sorted(maps.Keys(queryDocs)) {
		if !pol.Defines(queryDocs[name]) {
			missing = append(missing, queryDocs[name])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("policies %s define no %s: the onboarding rules must be present", pol.Origin().Policies, strings.Join(missing, ", "))
	}
	return nil
}

// Options configure a Decider.
type Options struct {
	Policy    *policy.Policy
	Evaluator engine.Evaluator // prepared with Queries
	Rules     *rules.Set
	// Screener screens names (nil: not screened, which the policy
	// reports); a hit scoring at least rules/screening.yaml's
	// deny_threshold puts an ownership entity on its list.
	Screener orders.Screener
	// Lists and MaxListAgeDays as in orders.FactOptions.
	Lists          []orders.ListAge
	MaxListAgeDays int
	AsOf           string // YYYY-MM-DD; judges every application under this date's rules
}

// Decider judges onboarding applications. Prepare must see the batch
// before Decide; Decide is then safe for concurrent use.
type Decider struct {
	opts      Options
	ob        rules.Onboarding
	denyScore float64

	mu     sync.RWMutex
	reuses map[*record.Record][]reuse // from Prepare
}

// New returns a Decider, once the policy has passed CheckPolicy.
func New(opts Options) (*Decider, error) {
	if opts.Policy == nil || opts.Evaluator == nil || opts.Rules == nil {
		return nil, errors.New("onboarding: a policy, an evaluator and rules are required")
	}
	if err := CheckPolicy(opts.Policy); err != nil {
		return nil, err
	}
	return &Decider{opts: opts, ob: opts.Rules.Onboarding(), denyScore: opts.Rules.Screening().DenyThreshold}, nil
}

// NeedsWholeBatch: an identity document reused by another organisation
// may be anywhere in the batch, so the runner hands Prepare every
// application at once.
func (d *Decider) NeedsWholeBatch() bool { return true }

// Prepare computes the batch-level facts: identity documents that verify
// several organisations.
func (d *Decider) Prepare(_ context.Context, _ *record.Batch, recs []*record.Record) error {
	apps := make([]*Application, len(recs))
	for i, r := range recs {
		if apps[i] = Of(r); apps[i] == nil {
			return fmt.Errorf("%s:%d: not an onboarding record", r.Source.File, r.Source.Line)
		}
	}
	rs := idReuse(apps)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reuses = make(map[*record.Record][]reuse, len(recs))
	for i, r := range recs {
		if len(rs[i]) > 0 {
			d.reuses[r] = rs[i]
		}
	}
	return nil
}

// Decide judges one application. It never fails: an application that
// cannot be judged gets a CHIPCHECK-EVAL-ERROR reason (review).
func (d *Decider) Decide(ctx context.Context, rec *record.Record) decision.Decision {
	dec := decision.Decision{
		ID: rec.ID, Kind: rec.Kind,
		Source: decision.Source{File: rec.Source.File, Line: rec.Source.Line},
		Policy: decision.Policy{Revision: d.opts.Policy.Revision()},
	}
	a := Of(rec)
	if a == nil {
		return d.failed(dec, errors.New("not an onboarding record"))
	}
	dec.AsOf = cmp.Or(d.opts.AsOf, a.Date)
	sc := screen(a, d.opts.Screener, d.denyScore, append(slices.Clone(d.ob.Sanctions.Lists), d.ob.AffiliatesRule.Lists...))
	dec.Screening = sc.hits
	d.mu.RLock()
	reuses := d.reuses[rec]
	d.mu.RUnlock()

	in := d.input(a, dec.AsOf, sc, reuses)
	var found []map[string]any
	rs, err := d.eval(ctx, queryRules, in)
	if err != nil {
		return d.failed(dec, err)
	}
	found = append(found, rs...)
	for _, sin := range d.screenInputs(sc) {
		rs, err := d.eval(ctx, queryScreening, sin)
		if err != nil {
			return d.failed(dec, err)
		}
		found = append(found, rs...)
	}
	if len(found) == 0 {
		if found, err = d.eval(ctx, queryClear, in); err != nil {
			return d.failed(dec, err)
		}
		if len(found) == 0 {
			return d.failed(dec, errors.New("the policy returned no reasons"))
		}
	}
	for _, m := range found {
		r, err := d.reason(m)
		if err != nil {
			return d.failed(dec, err)
		}
		dec.Reasons = append(dec.Reasons, r)
	}
	dec.Finish()
	return dec
}

// input is the application's facts as the onboarding rules see them.
func (d *Decider) input(a *Application, date string, sc screened, reuses []reuse) map[string]any {
	rs := make([]any, len(reuses))
	for i, r := range reuses {
		rs[i] = map[string]any{"holder": r.holder, "other_id": r.other, "other_date": r.otherDate, "days": r.days}
	}
	att := map[string]any{}
	for k, v := range a.Attestations {
		att[k] = v
	}
	return map[string]any{
		"date":             date,
		"requested_models": anys(a.RequestedModels),
		"customer":         customerInput(a.Customer),
		"ownership":        ownershipInput(a, d.ob, sc.designated),
		"users":            usersInput(a.Users),
		"billing":          billingInput(a.Billing),
		"signup":           signupInput(a.Signup),
		"attestations":     att,
		"id_reuse":         rs,
	}
}

// screenInputs are the screening stage's inputs, as orders give them: one
// per hit; {screened: false} without lists; one per party without a name
// to screen; and the list ages when a maximum is set.
func (d *Decider) screenInputs(sc screened) []map[string]any {
	if d.opts.Screener == nil {
		return []map[string]any{{"screened": false}}
	}
	var out []map[string]any
	for _, h := range sc.staged {
		// No authorization is claimed on an application.
		out = append(out, map[string]any{"hit": orders.HitInput(h), "license": map[string]any{}})
	}
	for _, role := range sc.unscreened {
		out = append(out, map[string]any{"no_name": map[string]any{"party": role}})
	}
	if d.opts.MaxListAgeDays > 0 {
		ls := make([]any, len(d.opts.Lists))
		for i, l := range d.opts.Lists {
			ls[i] = map[string]any{"id": l.ID, "name": l.Name, "snapshot": l.Snapshot, "age_days": l.AgeDays}
		}
		out = append(out, map[string]any{"lists": ls, "max_age_days": d.opts.MaxListAgeDays})
	}
	return out
}

func (d *Decider) eval(ctx context.Context, query string, in map[string]any) ([]map[string]any, error) {
	v, err := d.opts.Evaluator.Eval(ctx, query, nil, func() ast.Value {
		val, err := ast.InterfaceToValue(in)
		if err != nil {
			// The input is built of maps, slices, strings, numbers and
			// booleans only.
			panic(fmt.Sprintf("onboarding: input not convertible: %v", err))
		}
		return val
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want a list of reasons, got %T", query, v)
	}
	out := make([]map[string]any, len(list))
	for i, x := range list {
		if out[i], ok = x.(map[string]any); !ok {
			return nil, fmt.Errorf("%s: want reasons, got %T", query, x)
		}
	}
	return out, nil
}

// reason is a reason as the policy wrote it, with a rule id METADATA declares.
func (d *Decider) reason(m map[string]any) (decision.Reason, error) {
	r := decision.Reason{}
	r.Rule, _ = m["rule"].(string)
	r.Outcome, _ = m["outcome"].(string)
	r.Message, _ = m["message"].(string)
	r.Citation, _ = m["citation"].(string)
	if r.Rule == "" || r.Outcome == "" {
		return r, fmt.Errorf("a reason without rule or outcome: %v", m)
	}
	if _, ok := d.opts.Policy.Rule(r.Rule); !ok {
		return r, fmt.Errorf("reason %s: no rule declares this id in its METADATA", r.Rule)
	}
	if f, ok := m["facts"].(map[string]any); ok && len(f) > 0 {
		r.Facts = f
	}
	return r, nil
}

// failed records an evaluation error on dec: it fails closed to review.
func (d *Decider) failed(dec decision.Decision, err error) decision.Decision {
	r, _ := d.opts.Policy.Rule(decision.EvalErrorRule)
	dec.Reasons = append(dec.Reasons, decision.EvalError(err, r.Citation))
	dec.Finish()
	return dec
}
