package networks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// The query every account decision evaluates, the one a batch's measures
// are judged by, and the documents they read.
const (
	queryNetwork = "network"
	queryAbove   = "network.above"
	findingsDoc  = "data.access.network.findings"
	clearDoc     = "data.access.network.clear"
	aboveDoc     = "data.access.network.above"
)

// Queries are the queries an Evaluator prepares for this domain.
func Queries() []engine.Query {
	return []engine.Query{
		{Name: queryNetwork, Text: "array.concat([r | some r in " + findingsDoc + "], [r | some r in " + clearDoc + "])"},
		{Name: queryAbove, Text: aboveDoc},
	}
}

// CheckPolicy checks that a policy defines the network findings, the
// clear reason and the measures' judgment (without them every account
// would go unjudged).
func CheckPolicy(pol *policy.Policy) error {
	for _, doc := range []string{findingsDoc, clearDoc, aboveDoc} {
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
	shown    *shown // the batch's measures above their thresholds

	keys sync.Pool // *[]byte, for cache keys
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

// Prepare links every account of the batch and has the policy judge the
// batch's measures (judgeMeasures). It drops each account's prompt
// signature once linked: a batch is prepared once.
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
	shown, err := d.judgeMeasures(ctx, an)
	if err != nil {
		return err
	}
	for _, act := range acts {
		// Linked: nothing reads a prompt signature again, and a batch of
		// a million holds 128 MB of them.
		act.MinHash = nil
	}
	d.mu.Lock()
	d.analysis, d.shown = an, shown
	d.mu.Unlock()
	return nil
}

// Analysis is the batch Prepare last linked.
func (d *Domain) Analysis() *Analysis {
	an, _ := d.batch()
	return an
}

func (d *Domain) batch() (*Analysis, *shown) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.analysis, d.shown
}

// Decide judges one account. It never fails: an account that cannot be
// judged gets a CHIPCHECK-EVAL-ERROR reason. Accounts whose facts are the
// same share one evaluation (the engine's cache, keyed by
// Facts.appendKey); what is the account's own (its cluster's id and
// figures, its usage, the accounts it is linked to) is added to the
// reasons the policy gave, as their about says.
func (d *Domain) Decide(ctx context.Context, rec *record.Record) decision.Decision {
	dec := decision.Decision{
		ID: rec.ID, Kind: rec.Kind,
		Source: decision.Source{File: rec.Source.File, Line: rec.Source.Line},
		Policy: decision.Policy{Revision: d.pol.Revision()},
	}
	act := ActivityOf(rec)
	an, shown := d.batch()
	if act == nil || an == nil {
		return d.failed(dec, errors.New("the account was not linked with its batch (no Prepare)"))
	}
	dec.AsOf = act.End.Format(time.DateOnly)
	i, ok := act.pos, int(act.pos) < len(an.acts) && an.acts[act.pos] == act
	if !ok {
		// Linked in another batch since: look it up by id.
		i, ok = an.Index(act.AccountID)
	}
	if !ok || an.acts[i] != act {
		return d.failed(dec, fmt.Errorf("account %s is not in the batch that was linked", act.AccountID))
	}
	f := an.Facts(i)
	over := shown.over(&f.Measures)
	kp, _ := d.keys.Get().(*[]byte)
	if kp == nil {
		kp = new([]byte)
	}
	*kp = f.appendKey((*kp)[:0], over)
	res, err := d.ev.Eval(ctx, queryNetwork, *kp, func() ast.Value {
		v, err := ast.InterfaceToValue(f.input(over))
		if err != nil {
			// The input is built of maps, slices, strings and numbers.
			panic(err)
		}
		return v
	}, d.reasons)
	d.keys.Put(kp)
	if err != nil {
		return d.failed(dec, err)
	}
	found, _ := res.([]found)
	if len(found) == 0 {
		return d.failed(dec, errors.New("the network policy returned no reasons"))
	}
	var cluster map[string]any
	var links []any
	for _, fd := range found {
		r := fd.reason
		if strings.Contains(r.Message, "{") {
			r.Message = strings.ReplaceAll(r.Message, clusterIDToken, an.clusterID(i))
			for m, v := range f.Measures {
				if over&(1<<m) != 0 {
					r.Message = strings.ReplaceAll(r.Message, token(m), shown[m][v])
				}
			}
		}
		facts := make(map[string]any, len(fd.facts)+len(fd.about))
		for k, v := range fd.facts {
			facts[k] = v
		}
		for _, a := range fd.about {
			switch a {
			case aboutCluster:
				if cluster == nil {
					cluster = an.clusterFacts(i, &f)
				}
				facts[a] = cluster
			case aboutUsage:
				facts[a] = f.usageFacts()
			case aboutDeniedLinks:
				facts[a] = f.deniedLinkFacts()
			case aboutLinks:
				if links == nil {
					links = linkFacts(an.Links(i))
				}
				facts[a] = links
			}
		}
		if len(facts) > 0 {
			r.Facts = facts
		}
		dec.Reasons = append(dec.Reasons, r)
	}
	slices.SortStableFunc(dec.Reasons, func(x, y decision.Reason) int { return cmp.Compare(x.Message, y.Message) })
	dec.Finish()
	return dec
}

// clusterIDToken is the policy's cluster_id: where a message names the
// account's cluster.
const clusterIDToken = "{cluster.id}"

// The account's own facts a reason's about may ask for.
const (
	aboutCluster     = "cluster"
	aboutUsage       = "usage"
	aboutDeniedLinks = "denied_links"
	aboutLinks       = "links"
)

// found is one reason the policy gave, as the engine caches it: shared by
// every account with the same facts, so never changed.
type found struct {
	reason decision.Reason // without facts
	facts  map[string]any  // the policy's own
	about  []string        // the account's facts to add
}

// reasons reads the reasons the policy gave for one input; any reason
// that is not well formed is an error, so nothing is cached and the
// account is reviewed.
func (d *Domain) reasons(res any) (any, error) {
	list, _ := res.([]any)
	out := make([]found, 0, len(list))
	for _, x := range list {
		m, _ := x.(map[string]any)
		var fd found
		r := &fd.reason
		r.Rule, _ = m["rule"].(string)
		r.Outcome, _ = m["outcome"].(string)
		r.Message, _ = m["message"].(string)
		r.Citation, _ = m["citation"].(string)
		if r.Rule == "" || r.Outcome == "" || r.Message == "" {
			return nil, fmt.Errorf("network policy: a reason without rule, outcome or message: %v", m)
		}
		if _, ok := d.pol.Rule(r.Rule); !ok {
			return nil, fmt.Errorf("network policy: reason %s: no rule declares this id in its METADATA", r.Rule)
		}
		if f, ok := m["facts"].(map[string]any); ok && len(f) > 0 {
			fd.facts = f
		}
		about, _ := m["about"].([]any)
		for _, a := range about {
			switch a {
			case aboutCluster, aboutUsage, aboutDeniedLinks, aboutLinks:
				fd.about = append(fd.about, a.(string))
			default:
				return nil, fmt.Errorf("network policy: reason %s: about %v: not one of an account's facts (cluster, usage, denied_links, links)", r.Rule, a)
			}
		}
		out = append(out, fd)
	}
	return out, nil
}

// failed records an evaluation error: it fails closed to review.
func (d *Domain) failed(dec decision.Decision, err error) decision.Decision {
	r, _ := d.pol.Rule(decision.EvalErrorRule)
	dec.Reasons = append(dec.Reasons, decision.EvalError(err, r.Citation))
	dec.Finish()
	return dec
}
