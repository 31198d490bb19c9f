package onboarding

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
	screenpkg "github.com/chipcheck/chipcheck/internal/screen"
)

func loadPolicy(t testing.TB, rs *rules.Set, fsys fs.FS) *policy.Policy {
	t.Helper()
	pol, err := policy.Load(context.Background(), policy.Options{Policies: policy.Source{FS: fsys, Origin: policy.BuiltIn}, Rules: rs, RulesOrigin: policy.BuiltIn})
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

func newDecider(t testing.TB, rs *rules.Set, pol *policy.Policy, s orders.Screener) *Decider {
	t.Helper()
	eng, err := engine.New(context.Background(), engine.Options{Policy: pol, Queries: Queries()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Policy: pol, Evaluator: eng, Rules: rs, Screener: s})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fakeScreener gives each name the hits of hits, by name.
type fakeScreener map[string]decision.Hit

func (f fakeScreener) Screenable(name string) bool { return screenpkg.Screenable(name) }

func (f fakeScreener) Screen(role string, p orders.Party) []decision.Hit {
	h, ok := f[p.Name]
	if !ok {
		return nil
	}
	h.Party, h.PartyName = role, p.Name
	return []decision.Hit{h}
}

func decideText(t *testing.T, d *Decider, rs *rules.Set, text string) decision.Decision {
	t.Helper()
	recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(rs), Stdin: strings.NewReader(text), Format: "yaml"}, "-")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	ptrs := []*record.Record{&recs[0]}
	if err := d.Prepare(context.Background(), &record.Batch{}, ptrs); err != nil {
		t.Fatal(err)
	}
	return d.Decide(context.Background(), &recs[0])
}

func rulesOf(d decision.Decision) map[string]string {
	out := map[string]string{}
	for _, r := range d.Reasons {
		out[r.Rule] = r.Outcome
	}
	return out
}

// cleanApp is an application nothing objects to, but for what a test adds.
const cleanApp = `kind: onboarding
id: onb-t
received_at: 2026-12-01
requested_models: [frontier-b]
customer: {type: legal_entity, legal_name: Example Applicant Inc., registration: {country: US, number: T-1}}
ownership:
  status: verified
  edges: [{owner: o, owned: customer, pct: 60}, {owner: p, owned: customer, pct: 40}]
  entities: {o: {name: Owner Corp, hq_country: AE, listed: true}, p: {name: Pat Doe, type: person}}
users: [{user_id: u-1, nationality: [US], us_person: true}]
`

func TestDecideScreening(t *testing.T) {
	rs := builtinRules(t)
	pol := loadPolicy(t, rs, chipcheck.Policies())
	sdnHit := decision.Hit{List: "SDN", ListName: "SDN", EntryID: "1", Entry: "OWNER CORP", Matched: "OWNER CORP", Score: 1}
	tests := []struct {
		name     string
		screener orders.Screener
		want     map[string]string
		hits     int
	}{
		{name: "no lists: SCREEN-NOT-RUN, never allow", want: map[string]string{"SCREEN-NOT-RUN": "review"}},
		{name: "clean lists: allowed", screener: fakeScreener{}, want: map[string]string{"ONB-CLEAR": "allow"}},
		{name: "a strong SDN hit on a 60% owner is judged by stake",
			screener: fakeScreener{"Owner Corp": sdnHit},
			want:     map[string]string{"ONB-OFAC-50": "deny", "ONB-LISTED-OWNER": "review"}, hits: 1},
		{name: "a weaker hit on an owner goes to the screening stage",
			screener: fakeScreener{"Owner Corp": func() decision.Hit { h := sdnHit; h.Score = 0.85; return h }()},
			want:     map[string]string{"SCREEN-POSSIBLE-MATCH": "review"}, hits: 1},
		{name: "a strong hit on a list the ownership rules do not aggregate goes to the screening stage",
			screener: fakeScreener{"Owner Corp": func() decision.Hit { h := sdnHit; h.List = "DPL"; return h }()},
			want:     map[string]string{"SCREEN-DPL": "deny"}, hits: 1},
		{name: "the customer's own strong hit is SCREEN-SDN",
			screener: fakeScreener{"Example Applicant Inc.": sdnHit},
			want:     map[string]string{"SCREEN-SDN": "deny"}, hits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecider(t, rs, pol, tt.screener)
			dec := decideText(t, d, rs, cleanApp)
			got := rulesOf(dec)
			if len(got) != len(tt.want) || len(dec.Screening) != tt.hits {
				t.Fatalf("reasons %v (hits %d), want %v (hits %d)", got, len(dec.Screening), tt.want, tt.hits)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
			if dec.AsOf != "2026-12-01" || dec.Kind != KindOnboarding {
				t.Errorf("decision = %+v", dec)
			}
		})
	}
}

// TestDecideFailsClosed: a policy reason whose id no METADATA declares, or
// an evaluator error, is CHIPCHECK-EVAL-ERROR (review), never allow.
func TestDecideFailsClosed(t *testing.T) {
	rs := builtinRules(t)
	m := fstest.MapFS{}
	if err := fs.WalkDir(chipcheck.Policies(), ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := fs.ReadFile(chipcheck.Policies(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	file := "access/onboarding/onboarding.rego"
	m[file] = &fstest.MapFile{Data: append(m[file].Data, []byte(`
# METADATA
# title: t
# description: t
# custom:
#   id: ONB-TEST
#   citation: t
reasons contains {"rule": "ONB-UNDECLARED", "outcome": "allow", "message": "x", "citation": "x"} if input.customer.org_id == "bad"
`)...)}
	pol := loadPolicy(t, rs, m)
	d := newDecider(t, rs, pol, fakeScreener{})
	dec := decideText(t, d, rs, strings.Replace(cleanApp, "legal_entity,", "legal_entity, org_id: bad,", 1))
	if dec.Decision != decision.Review || rulesOf(dec)[decision.EvalErrorRule] != "review" {
		t.Errorf("undeclared rule id: %+v", dec.Reasons)
	}

	d2, err := New(Options{Policy: pol, Evaluator: failing{}, Rules: rs})
	if err != nil {
		t.Fatal(err)
	}
	dec = decideText(t, d2, rs, cleanApp)
	if dec.Decision != decision.Review || !strings.Contains(dec.Reasons[0].Message, "boom") {
		t.Errorf("evaluator error: %+v", dec.Reasons)
	}

	delete(m, file)
	delete(m, "access/onboarding/onboarding_test.rego")
	pol = loadPolicy(t, rs, m)
	if err := CheckPolicy(pol); err == nil || !strings.Contains(err.Error(), "data.access.onboarding.reasons") {
		t.Errorf("CheckPolicy without the onboarding rules: %v", err)
	}
}

type failing struct{}

func (failing) Eval(context.Context, string, []byte, func() ast.Value, engine.Convert) (any, error) {
	return nil, errors.New("boom")
}

// TestDecideHostileOwnership: 1,000 entities, all on the SDN list, in a
// dense ladder of 5,000 edges (billions of chains) are judged within the
// step budget, and the unwalked ownership is a review, not an allow.
func TestDecideHostileOwnership(t *testing.T) {
	rs := builtinRules(t)
	pol := loadPolicy(t, rs, chipcheck.Policies())
	d := newDecider(t, rs, pol, fakeScreener{})
	o := &Ownership{Status: "verified", Entities: map[string]*Entity{}}
	var prev []string
	for i := range maxEntities {
		id := fmt.Sprintf("e%d", i)
		o.Entities[id] = &Entity{ID: id, Name: "Holding " + id, Type: Company, HQ: "AE", Designations: []string{"SDN"}}
		o.EntityOrder = append(o.EntityOrder, id)
		if i < 5 {
			o.Edges = append(o.Edges, Edge{id, customerNode, 20})
		} else {
			for _, p := range prev[len(prev)-5:] {
				o.Edges = append(o.Edges, Edge{id, p, 20})
			}
		}
		prev = append(prev, id)
	}
	rec := &record.Record{Kind: KindOnboarding, ID: "hostile", Value: &Application{ID: "hostile", Date: "2026-12-01", RequestedModels: []string{"frontier-b"},
		Customer: Customer{Type: LegalEntity, LegalName: "Hostile Applicant Ltd", Country: "US"}, Ownership: o,
		Users: []User{{UserID: "u", Nationality: []string{"US"}, USPerson: true}}}}
	if err := d.Prepare(context.Background(), &record.Batch{}, []*record.Record{rec}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	dec := d.Decide(context.Background(), rec)
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("a hostile ownership graph took %v", el)
	}
	got := rulesOf(dec)
	if dec.Decision != decision.Deny || got["ONB-OFAC-50"] != "deny" || got["ONB-OWNERSHIP-UNESTABLISHED"] != "review" {
		t.Errorf("decision %s: %v", dec.Decision, got)
	}
	t.Logf("%d reasons, decided in %v", len(dec.Reasons), time.Since(start))
}
