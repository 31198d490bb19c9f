package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/record"
)

// ---------------------------------------------------------------- failing closed

// TestDecideFailsClosedOnPolicyErrors breaks one stage at a time so that
// it errors at run time; the order must then be review with
// CHIPCHECK-EVAL-ERROR, never allow, whatever the other stages said, and
// again when the results come from the caches.
func TestDecideFailsClosedOnPolicyErrors(t *testing.T) {
	boom := func(id, expr string) string {
		return meta(id) + "reasons contains r if {\n\tn := " + expr + "\n\tr := {\"rule\": \"" + id + "\", \"outcome\": \"allow\", \"message\": sprintf(\"%v\", [n]), \"citation\": \"c\", \"facts\": {}}\n}\n"
	}
	tests := []struct {
		name     string
		file     string // under policies/
		text     string // appended to file
		order    string
		want     string // in the eval error's message
		replace  [2]string
		screener Screener
	}{
		{name: "destination stage built-in error", file: "chipcheck/destination/destination.rego",
			text: boom("TEST-BOOM", "to_number(input.destination)"), order: orderDE, want: "destination"},
		{name: "line stage built-in error", file: "chipcheck/line/line.rego",
			text: boom("TEST-BOOM", "to_number(input.item.eccn)"), order: orderDE, want: "line"},
		{name: "authorization stage built-in error", file: "chipcheck/authorization/authorization.rego",
			text: boom("TEST-BOOM", "to_number(input.destination)"), order: orderDE, want: "authorization"},
		{name: "screening stage built-in error (hit)", file: "chipcheck/screening/screening.rego",
			text:  boom("TEST-BOOM", "to_number(input.hit.list)"),
			order: strings.Replace(orderDE, "Rheinwerk GmbH", "Lanting GmbH", 1), want: "screening", screener: lantingScreener{}},
		{name: "screening stage built-in error (not screened)", file: "chipcheck/screening/screening.rego",
			text: boom("TEST-BOOM", "to_number(\"x\")"), order: orderDE, want: "screening", screener: nilScreener},
		{name: "flags stage conflict", file: "chipcheck/flags/flags.rego",
			text:  "\nfirst := code if { some code in input.red_flags }\n" + meta("TEST-BOOM") + "reasons contains {\"rule\": \"TEST-BOOM\", \"outcome\": \"allow\", \"message\": first, \"citation\": \"c\", \"facts\": {}}\n",
			order: orderDE + "red_flags: [cash_payment, no_web_presence]\n", want: "flags"},
		{name: "requirement stage error in the second step", file: "chipcheck/destination/destination.rego",
			text:  "\nrequirement_reasons contains x if {\n\tx := to_number(input.requirement.kind)\n}\n",
			order: strings.Replace(orderDE, "destination: DE", "destination: CN", 1), want: "destination.requirement_reasons"},
		{name: "reason without a rule id", file: "chipcheck/flags/flags.rego",
			text:  meta("TEST-NO-RULE") + "reasons contains {\"outcome\": \"allow\", \"message\": code} if { some code in input.red_flags }\n",
			order: orderDE + "red_flags: [cash_payment]\n", want: "reason without rule or outcome"},
		{name: "reason without an outcome", file: "chipcheck/flags/flags.rego",
			text:  meta("TEST-NO-OUTCOME") + "reasons contains {\"rule\": \"TEST-NO-OUTCOME\", \"message\": code} if { some code in input.red_flags }\n",
			order: orderDE + "red_flags: [cash_payment]\n", want: "reason without rule or outcome"},
		{name: "reason that is not an object", file: "chipcheck/flags/flags.rego",
			text:  meta("TEST-STRING") + "reasons contains code if { some code in input.red_flags }\n",
			order: orderDE + "red_flags: [cash_payment]\n", want: "want objects"},
		{name: "classification conflict", file: "chipcheck/classify/classify.rego",
			text:  "\nresult := {\"eccn\": \"none\"} if input.chip.name == \"NVIDIA H100 SXM5 80GB\"\n",
			order: orderDE, want: "H100"},
		{name: "authorization view conflict", file: "chipcheck/authorization/authorization.rego",
			text:  "\nview := \"nope\" if input.license.type == \"NAC\"\n",
			order: strings.Replace(orderDE, "destination: DE", "destination: CN", 1) + "license: {type: NAC, number: N-1, notified_on: 2026-09-01}\n", want: "view"},
		{name: "authorization view that is no view", file: "chipcheck/authorization/authorization.rego",
			replace: [2]string{`view := "exceptions" if {`, `view := "nope" if {`},
			order:   strings.Replace(orderDE, "destination: DE", "destination: CN", 1) + "license: {type: NAC, number: N-1, notified_on: 2026-09-01}\n", want: "not an item view"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pfs := memFS(t, chipcheck.Policies())
			if tt.text != "" {
				appendRego(t, pfs, tt.file, tt.text)
			}
			if tt.replace[0] != "" {
				b := string(pfs[tt.file].Data)
				if !strings.Contains(b, tt.replace[0]) {
					t.Fatalf("%s has no %q", tt.file, tt.replace[0])
				}
				pfs[tt.file] = &fstest.MapFile{Data: []byte(strings.Replace(b, tt.replace[0], tt.replace[1], 1))}
			}
			rs, pol := compile(t, pfs, chipcheck.Rules())
			var sc Screener = cleanScreener{}
			if tt.screener != nil {
				sc = tt.screener
			}
			if sc == nilScreener {
				sc = nil
			}
			d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: sc}, false)
			recs := readYAML(t, rs, tt.order)
			for round := range 2 { // the second time through the caches
				dec := d.Decide(context.Background(), &recs[0])
				if dec.Decision != decision.Review {
					t.Errorf("round %d: decision %q, want review: %v", round, dec.Decision, outcomes(dec))
				}
				if len(dec.Reasons) != 1 || dec.Reasons[0].Rule != evalError || !strings.Contains(dec.Reasons[0].Message, tt.want) {
					t.Errorf("round %d: reasons %+v, want only CHIPCHECK-EVAL-ERROR mentioning %q", round, dec.Reasons, tt.want)
				}
			}
		})
	}
}

// TestDecideFailsClosedOnRecordErrors: records that cannot be judged are
// review with one CHIPCHECK-EVAL-ERROR, and the decision still identifies
// them.
func TestDecideFailsClosedOnRecordErrors(t *testing.T) {
	rs, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, true)
	tests := []struct {
		name string
		rec  record.Record
		want string
	}{
		{"unknown kind", record.Record{Kind: "onboarding", ID: "ob-1", Source: record.Source{File: "x.yaml", Line: 4}}, `unknown kind "onboarding"`},
		{"order naming a chip missing from the catalog", record.Record{Kind: KindOrder, ID: "SO-x", Source: record.Source{File: "x.yaml", Line: 9}, Value: &Order{
			ID: "SO-x", Date: "2026-11-20", ShipFrom: "US", Destination: "DE",
			Items: []Item{{SKU: "Z", Quantity: 1, Catalog: "no-such-chip"}},
		}}, "no-such-chip"},
		{"assembly containing a chip missing from the catalog", record.Record{Kind: KindOrder, ID: "SO-y", Source: record.Source{File: "x.yaml", Line: 19}, Value: &Order{
			ID: "SO-y", Date: "2026-11-20", ShipFrom: "US", Destination: "DE",
			Items: []Item{{SKU: "S", Quantity: 1, Contains: []Contained{{Count: 8, Catalog: "no-such-chip"}}}},
		}}, "no-such-chip"},
		{"order record without an order", record.Record{Kind: KindOrder, ID: "SO-z", Source: record.Source{File: "x.yaml", Line: 29}}, "not an order record"},
		{"chip record without a chip", record.Record{Kind: KindChip, ID: "c-z", Source: record.Source{File: "x.yaml", Line: 39}}, "not a chip record"},
		{"chip naming a catalog entry that does not exist", record.Record{Kind: KindChip, ID: "c-x", Source: record.Source{File: "x.yaml", Line: 2}, Value: &Chip{ID: "c-x", Catalog: "no-such-chip"}}, "no-such-chip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := d.Decide(context.Background(), &tt.rec)
			if dec.Decision != decision.Review {
				t.Errorf("decision %q, want review", dec.Decision)
			}
			if len(dec.Reasons) != 1 || dec.Reasons[0].Rule != evalError || !strings.Contains(dec.Reasons[0].Message, tt.want) {
				t.Errorf("reasons %+v, want one CHIPCHECK-EVAL-ERROR mentioning %q", dec.Reasons, tt.want)
			}
			if dec.ID != tt.rec.ID || dec.Kind != tt.rec.Kind || dec.Source.Line != tt.rec.Source.Line || dec.Source.File != tt.rec.Source.File {
				t.Errorf("decision does not identify the record: %+v", dec)
			}
			if dec.Policy.Revision != pol.Revision() {
				t.Errorf("revision %q", dec.Policy.Revision)
			}
			if r, _ := pol.Rule(evalError); dec.Reasons[0].Citation != r.Citation || r.Citation == "" {
				t.Errorf("citation %q, want the policy's %q", dec.Reasons[0].Citation, r.Citation)
			}
			if dec.Screening == nil {
				t.Error("screening is nil (prints null)")
			}
		})
	}
}

// nilScreener stands for "no screener" in a table whose zero value means
// the default one.
var nilScreener Screener = &struct{ cleanScreener }{}

// failingEvaluator fails one query, and records which queries ran.
type failingEvaluator struct {
	inner engine.Evaluator
	query string
	shape bool // return a result of the wrong shape instead of an error

	mu  sync.Mutex
	ran map[string]bool
}

func (f *failingEvaluator) Eval(ctx context.Context, query string, key []byte, input func() ast.Value, convert engine.Convert) (any, error) {
	f.mu.Lock()
	f.ran[query] = true
	f.mu.Unlock()
	if query != f.query {
		return f.inner.Eval(ctx, query, key, input, convert)
	}
	input() // the query would have been evaluated
	if f.shape {
		if convert == nil {
			return "a string", nil
		}
		return convert("a string")
	}
	return nil, errors.New("injected failure")
}

// judgedOrders make every query run: a license claim, requirements of
// every stage, an exporter with letters, hits, red flags.
const judgedOrders = `
kind: order
id: SO-ALL
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Hangzhou Lanting Cloud, country: CN, headquarters: CN}
  end_user: {name: Lanting Labs, country: CN, headquarters: CN}
end_use: {codes: [ai_training, military]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
  - {sku: H20, quantity: 8, catalog: nvidia-h20}
license: {type: license, number: L-1}
red_flags: [cash_payment]
---
kind: order
id: SO-NONE
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
  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
---
kind: order
id: SO-CN-CLAIM
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
license: {type: license}
---
kind: order
id: SO-CRIMEA
date: 2026-11-20
ship_date: 2026-11-25
ship_from: US
destination: UA
destination_region: crimea
parties:
  buyer: {name: Simferopol Trading, country: UA}
end_use: {codes: [ai_training]}
items:
  - {sku: H20, quantity: 8, catalog: nvidia-h20}
---
kind: chip
id: c-h100
catalog: nvidia-h100-sxm5-80gb
`

// TestDecideFailsClosedOnEvaluatorErrors: whichever query fails, or gives
// a result of the wrong shape, the order is review with
// CHIPCHECK-EVAL-ERROR. Place facts are the exception: the stages compute
// a country's facts themselves when the engine does not pass them, so a
// failing place query must leave the decision as it was (or fail closed).
func TestDecideFailsClosedOnEvaluatorErrors(t *testing.T) {
	rs, pol := shared(t)
	facts := FactOptions{Catalog: NewCatalog(rs), Screener: lantingScreener{}, Exporter: "NVIDIA Corporation", Letters: LettersOf(rs)}
	recs := readYAML(t, rs, judgedOrders)
	good, _ := decider(t, pol, facts, true)
	want := make([]string, len(recs))
	for i := range recs {
		d := good.Decide(context.Background(), &recs[i])
		if hasRule(d, evalError) {
			t.Fatalf("%s: %v", recs[i].ID, d.Reasons)
		}
		want[i] = encode(t, d)
	}
	for _, q := range Queries() {
		for _, shape := range []bool{false, true} {
			if q.Name == queryPlace && shape {
				continue // TestMalformedPlaceFactsFailClosed
			}
			t.Run(fmt.Sprintf("%s shape=%v", q.Name, shape), func(t *testing.T) {
				eng, err := engine.New(context.Background(), engine.Options{Policy: pol, Queries: Queries()})
				if err != nil {
					t.Fatal(err)
				}
				fe := &failingEvaluator{inner: eng, query: q.Name, shape: shape, ran: map[string]bool{}}
				d, err := New(Options{Policy: pol, Evaluator: fe, Facts: facts})
				if err != nil {
					t.Fatal(err)
				}
				failed := false
				for i := range recs {
					fe.mu.Lock()
					fe.ran = map[string]bool{}
					fe.mu.Unlock()
					dec := d.Decide(context.Background(), &recs[i])
					if !fe.ran[q.Name] {
						continue
					}
					failed = true
					if q.Name == queryPlace && encode(t, dec) == want[i] {
						continue
					}
					if dec.Decision != decision.Review || len(dec.Reasons) != 1 || dec.Reasons[0].Rule != evalError {
						t.Errorf("%s: %s %v, want review with only CHIPCHECK-EVAL-ERROR", recs[i].ID, dec.Decision, outcomes(dec))
					}
				}
				if !failed {
					t.Errorf("no test order runs query %s", q.Name)
				}
			})
		}
	}
}

// TestMalformedPlaceFactsFailClosed: place facts that are not an object
// (a policy bug) must not let an order through. The order claims a license
// without a number for an H100 to CN: worked by hand (policies/README.md)
// it is deny (EAR-742.6-DEST, EAR-LICENSE-ON-FILE: "deny without" a
// number). With the facts of CN unusable, the stages must not conclude that
// no license requirement applies.
func TestMalformedPlaceFactsFailClosed(t *testing.T) {
	rs, pol := shared(t)
	facts := FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}
	var rec record.Record
	for _, r := range readYAML(t, rs, judgedOrders) {
		if r.ID == "SO-CN-CLAIM" {
			rec = r
		}
	}
	good, _ := decider(t, pol, facts, true)
	if d := good.Decide(context.Background(), &rec); d.Decision != decision.Deny || !hasRule(d, "EAR-742.6-DEST") || !hasRule(d, "EAR-LICENSE-ON-FILE") {
		t.Fatalf("with the real place facts: %s %v, want deny with EAR-742.6-DEST and EAR-LICENSE-ON-FILE", d.Decision, outcomes(d))
	}
	eng, err := engine.New(context.Background(), engine.Options{Policy: pol, Queries: Queries()})
	if err != nil {
		t.Fatal(err)
	}
	fe := &failingEvaluator{inner: eng, query: queryPlace, shape: true, ran: map[string]bool{}}
	d, err := New(Options{Policy: pol, Evaluator: fe, Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	dec := d.Decide(context.Background(), &rec)
	if !fe.ran[queryPlace] {
		t.Fatal("the place query did not run")
	}
	if dec.Decision == decision.Allow {
		t.Errorf("place facts of the wrong shape: %s %v; a record that cannot be judged must be review (CHIPCHECK-EVAL-ERROR), never allow", dec.Decision, outcomes(dec))
	}
}

// TestUnknownOutcomeIsReview: a typo in an outcome never allows.
func TestUnknownOutcomeIsReview(t *testing.T) {
	rs, pol := edited(t, map[string]string{"chipcheck/destination/destination.rego": meta("TEST-TYPO") +
		"reasons contains {\"rule\": \"TEST-TYPO\", \"outcome\": \"alow\", \"message\": \"m\", \"citation\": \"c\"}\n"})
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, true)
	recs := readYAML(t, rs, orderDE)
	dec := d.Decide(context.Background(), &recs[0])
	if dec.Decision != decision.Review || dec.Reasons[0].Rule != "TEST-TYPO" {
		t.Errorf("decision %q, reasons %v; want review led by TEST-TYPO", dec.Decision, outcomes(dec))
	}
}

// TestUndeclaredRuleIsEvalError: a reason whose rule id no METADATA
// declares (here: declared as one id, emitted as another) is an
// evaluation error, not a reason.
func TestUndeclaredRuleIsEvalError(t *testing.T) {
	rs, pol := edited(t, map[string]string{"chipcheck/flags/flags.rego": meta("TEST-DECLARED") +
		"reasons contains {\"rule\": \"TEST-UNDECLARED\", \"outcome\": \"allow\", \"message\": code, \"citation\": \"c\"} if { some code in input.red_flags }\n"})
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, true)
	recs := readYAML(t, rs, orderDE+"red_flags: [cash_payment]\n")
	dec := d.Decide(context.Background(), &recs[0])
	if dec.Decision != decision.Review || len(dec.Reasons) != 1 || dec.Reasons[0].Rule != evalError ||
		!strings.Contains(dec.Reasons[0].Message, "TEST-UNDECLARED") || !strings.Contains(dec.Reasons[0].Message, "METADATA") {
		t.Errorf("decision %s %+v, want review with CHIPCHECK-EVAL-ERROR naming TEST-UNDECLARED", dec.Decision, dec.Reasons)
	}
	// Without the red flag the rule does not fire, and the order is allowed.
	recs = readYAML(t, rs, orderDE)
	if dec := d.Decide(context.Background(), &recs[0]); dec.Decision != decision.Allow {
		t.Errorf("without the red flag: %s %v", dec.Decision, outcomes(dec))
	}
}

// TestNoReasonIsEvalError: a policy whose stages give no reason at all
// for an order fails closed.
func TestNoReasonIsEvalError(t *testing.T) {
	pfs := memFS(t, chipcheck.Policies())
	// The clearance reason is the only one an order to DE gets.
	b := string(pfs["chipcheck/authorization/authorization.rego"].Data)
	b2 := strings.Replace(b, "\tcount(reqs) == 0\n\tevery c in input.items", "\tcount(reqs) == 0\n\tinput.never\n\tevery c in input.items", 1)
	if b2 == b {
		t.Fatal("NO-LICENSE-REQUIRED rule not found")
	}
	pfs["chipcheck/authorization/authorization.rego"] = &fstest.MapFile{Data: []byte(b2)}
	delete(pfs, "chipcheck/authorization/authorization_test.rego")
	rs, pol := compile(t, pfs, chipcheck.Rules())
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, true)
	recs := readYAML(t, rs, orderDE)
	dec := d.Decide(context.Background(), &recs[0])
	if dec.Decision != decision.Review || len(dec.Reasons) != 1 || dec.Reasons[0].Rule != evalError || !strings.Contains(dec.Reasons[0].Message, "no reasons") {
		t.Errorf("decision %s %+v, want review with CHIPCHECK-EVAL-ERROR (no reasons)", dec.Decision, dec.Reasons)
	}
}

// ---------------------------------------------------------------- cache soundness

// TestVerifyCacheCatchesIncompleteKey adds to the destination stage a rule
// that reads input.places, which holds the facts of every country on the
// order although the stage's key covers only date, destination, ship_from
// and items. Two orders that differ only in the buyer's country then share
// a key but not a result: VerifyCache must turn the second into an
// evaluation error, and without it the stale result shows.
func TestVerifyCacheCatchesIncompleteKey(t *testing.T) {
	rs, pol := edited(t, map[string]string{"chipcheck/destination/destination.rego": meta("TEST-PLACES") + `reasons contains r if {
	r := {"rule": "TEST-PLACES", "outcome": "allow", "message": sprintf("%d countries", [count(input.places)]), "citation": "test", "facts": {}}
}
`})
	recs := readYAML(t, rs, orderDE+"---"+strings.Replace(strings.Replace(orderDE, "SO-DE", "SO-DE-2", 1), "country: DE, headquarters: DE", "country: FR, headquarters: NL", 1))
	message := func(d decision.Decision) string {
		r, _ := reasonOf(d, "TEST-PLACES")
		return r.Message
	}
	verified, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, true)
	if d1 := verified.Decide(context.Background(), &recs[0]); message(d1) != "2 countries" {
		t.Fatalf("first order: %v", d1.Reasons)
	}
	d2 := verified.Decide(context.Background(), &recs[1])
	if d2.Decision != decision.Review || d2.Reasons[0].Rule != evalError || !strings.Contains(d2.Reasons[0].Message, "cached result differs") {
		t.Errorf("VerifyCache: second order %s %v, want review with CHIPCHECK-EVAL-ERROR (cached result differs)", d2.Decision, d2.Reasons)
	}

	plain, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, false)
	plain.Decide(context.Background(), &recs[0])
	if got := message(plain.Decide(context.Background(), &recs[1])); got != "2 countries" {
		t.Errorf("without VerifyCache the second order says %q: the key this test relies on being incomplete is not", got)
	}
	fresh, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, false)
	if got := message(fresh.Decide(context.Background(), &recs[1])); got != "4 countries" {
		t.Errorf("the second order alone says %q, want 4 countries", got)
	}
}

// TestVerifyCacheRealPolicies: the built-in policies pass VerifyCache on
// every fixture order, on its own date and on dates of other regimes, with
// and without an exporter (a projection missing a field its stage reads
// would give CHIPCHECK-EVAL-ERROR).
func TestVerifyCacheRealPolicies(t *testing.T) {
	rs, pol := shared(t)
	recs := fixtureRecords(t, rs)
	for _, opts := range []FactOptions{
		{Exporter: "NVIDIA Corporation", Letters: LettersOf(rs)},
		{AsOf: "2023-06-01", Exporter: "AMD"},
		{AsOf: "2025-01-20"},
	} {
		opts.Catalog, opts.Screener = NewCatalog(rs), lantingScreener{}
		d, _ := decider(t, pol, opts, true)
		for i := range recs {
			dec := d.Decide(context.Background(), &recs[i])
			if r, bad := reasonOf(dec, evalError); bad {
				t.Errorf("%s (as of %q): %s", recs[i].ID, opts.AsOf, r.Message)
			}
		}
	}
}

// ---------------------------------------------------------------- dates

// TestStrictDateComparison: a stage may compare the date with a rule date
// by any of <, <=, >=, >. With the date on the left of >, the day after a
// rule date and the rule date itself differ: they must not share a cached
// result.
func TestStrictDateComparison(t *testing.T) {
	tests := []struct {
		op    string
		fires map[string]bool
	}{
		{">", map[string]bool{"2026-03-09": false, "2026-03-10": false, "2026-03-11": true, "2026-06-01": true}},
		{">=", map[string]bool{"2026-03-09": false, "2026-03-10": true, "2026-03-11": true, "2026-06-01": true}},
		{"<", map[string]bool{"2026-03-09": true, "2026-03-10": false, "2026-03-11": false, "2026-06-01": false}},
		{"<=", map[string]bool{"2026-03-09": true, "2026-03-10": true, "2026-03-11": false, "2026-06-01": false}},
	}
	order := []string{"2026-03-09", "2026-03-10", "2026-03-11", "2026-06-01", "2026-03-10", "2026-03-11", "2026-03-09"}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			rfs := memFS(t, chipcheck.Rules())
			rfs["test_dates.yaml"] = &fstest.MapFile{Data: []byte("cutoff: 2026-03-10\n")}
			pfs := memFS(t, chipcheck.Policies())
			appendRego(t, pfs, "chipcheck/destination/destination.rego", meta("TEST-CUTOFF")+`reasons contains r if {
	input.date `+tt.op+` data.rules.test_dates.cutoff
	r := {"rule": "TEST-CUTOFF", "outcome": "allow", "message": "cutoff", "citation": "test", "facts": {}}
}
`)
			rs, pol := compile(t, pfs, rfs)
			for _, verify := range []bool{false, true} {
				d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, verify)
				for _, date := range order {
					recs := readYAML(t, rs, strings.Replace(orderDE, "2026-11-20", date, 1))
					dec := d.Decide(context.Background(), &recs[0])
					if got := hasRule(dec, "TEST-CUTOFF"); got != tt.fires[date] {
						t.Errorf("verify=%v, date %s %s cutoff: fired = %v, want %v (%v)", verify, date, tt.op, got, tt.fires[date], outcomes(dec))
					}
				}
			}
		})
	}
}

// TestDecideAcrossRuleDates: the same order on either side of a rule date,
// decided in turn by one Decider, gets each side's rules (no cache leak).
// AE is in D:4; the destination rule covers D:4 from 2023-11-17 on.
func TestDecideAcrossRuleDates(t *testing.T) {
	rs, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}}, false)
	order := func(date string) string {
		return fmt.Sprintf(`
kind: order
id: SO-AE-%s
date: %s
ship_from: US
destination: AE
parties:
  buyer: {name: Dune Ridge FZ-LLC, country: AE, headquarters: AE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`, date, date)
	}
	for _, step := range []struct {
		date string
		dest bool // EAR-742.6-DEST fires
	}{
		{"2023-11-17", true},
		{"2023-11-16", false},
		{"2026-11-20", true},
		{"2023-06-01", false},
		{"2023-11-17", true},
		{"2023-11-16", false},
	} {
		recs := readYAML(t, rs, order(step.date))
		dec := d.Decide(context.Background(), &recs[0])
		if got := hasRule(dec, "EAR-742.6-DEST"); got != step.dest {
			t.Errorf("%s: EAR-742.6-DEST fired = %v, want %v: %v", step.date, got, step.dest, outcomes(dec))
		}
		if hasRule(dec, evalError) {
			t.Errorf("%s: %v", step.date, dec.Reasons)
		}
		if dec.AsOf != step.date {
			t.Errorf("as_of %s, want the order date %s", dec.AsOf, step.date)
		}
	}
}

// ---------------------------------------------------------------- concurrency

// TestConcurrentDecisions: a Decider deciding the fixture orders from many
// goroutines at once gives the same decisions as another deciding them one
// by one (run with -race).
func TestConcurrentDecisions(t *testing.T) {
	rs, pol := shared(t)
	recs := fixtureRecords(t, rs)
	facts := FactOptions{Catalog: NewCatalog(rs), Screener: lantingScreener{}, Exporter: "NVIDIA Corporation", Letters: LettersOf(rs)}
	seq, _ := decider(t, pol, facts, false)
	par, parEng := decider(t, pol, facts, false)
	want := make([]string, len(recs))
	for i := range recs {
		want[i] = encode(t, seq.Decide(context.Background(), &recs[i]))
	}
	const workers = 6
	got := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		got[w] = make([]string, len(recs))
		wg.Go(func() {
			for j := range recs { // each from a different start
				i := (j + w*7) % len(recs)
				got[w][i] = encode(t, par.Decide(context.Background(), &recs[i]))
			}
		})
	}
	wg.Wait()
	for w := range workers {
		for i := range recs {
			if got[w][i] != want[i] {
				t.Errorf("goroutine %d, %s:\n got %s\nwant %s", w, recs[i].ID, got[w][i], want[i])
			}
		}
	}
	var hits int64
	for _, s := range parEng.Stats() {
		hits += s.Hits
	}
	if hits == 0 {
		t.Errorf("no cache hits in %d concurrent decisions", workers*len(recs))
	}
}

// ---------------------------------------------------------------- assembling

// TestLicenseNumberPlaceholder: stages never see the license number; a
// reason about the license names it where the policy wrote
// lib.license_number, once, with nothing in the number expanded again; no
// other reason names it; and orders that differ only in the number share
// the stages' cached results but each gets its own number.
func TestLicenseNumberPlaceholder(t *testing.T) {
	rs, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}, Exporter: "Example Exporter Inc.", Letters: LettersOf(rs)}, true)
	order := func(id, number string) string {
		return fmt.Sprintf(`
kind: order
id: %s
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Lanting Cloud, country: CN, headquarters: CN}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
license: {type: license, number: %q}
`, id, number)
	}
	tests := []struct {
		id, number, shown string
	}{
		{"SO-1", "X-{license.number}-Y", "X-{license.number}-Y"},
		{"SO-2", "D-123456", "D-123456"},
		{"SO-3", "  D-77  ", "D-77"},
		{"SO-4", "{license.number}", "{license.number}"},
		{"SO-5", "$1 %s %v", "$1 %s %v"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			recs := readYAML(t, rs, order(tt.id, tt.number))
			dec := d.Decide(context.Background(), &recs[0])
			// A license on file covers the requirements; with no license
			// register, LICENSE-NOT-VERIFIED (about the license) reviews.
			if dec.Decision != decision.Review || hasRule(dec, evalError) || !hasRule(dec, "LICENSE-NOT-VERIFIED") || !hasRule(dec, "EAR-LICENSE-ON-FILE") {
				t.Fatalf("%s %v, want review: the license covers the requirements but is not verified", dec.Decision, outcomes(dec))
			}
			about := 0
			for _, r := range dec.Reasons {
				lic, _ := r.Facts["license"].(map[string]any)
				n := strings.Count(r.Message, tt.shown)
				if lic == nil {
					if n != 0 || strings.Contains(r.Message, "{license.number}") {
						t.Errorf("%s, not about the license, says %q", r.Rule, r.Message)
					}
					continue
				}
				about++
				if n != 1 || strings.Count(r.Message, "{license.number}") != strings.Count(tt.shown, "{license.number}") {
					t.Errorf("%s: message %q names %q %d times, want once", r.Rule, r.Message, tt.shown, n)
				}
				if lic["number"] != tt.shown || lic["type"] != "license" {
					t.Errorf("%s: facts.license %v", r.Rule, lic)
				}
			}
			// EAR-742.6-DEST and -HQ (authorized by the license) and
			// EAR-LICENSE-ON-FILE.
			if about < 3 || !hasRule(dec, "EAR-LICENSE-ON-FILE") {
				t.Errorf("%d reasons about the license: %v", about, outcomes(dec))
			}
		})
	}
}

// TestDecideOrder: what Decide records beside the reasons, worked by hand
// (policies/README.md): an H100 to CN is 3A090.a; DEST and HQ deny; the
// Entity List hit is the screener's.
func TestDecideOrder(t *testing.T) {
	rs, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Screener: lantingScreener{}}, true)
	recs := readYAML(t, rs, `
kind: order
id: SO-CN
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Hangzhou Lanting Cloud, country: CN, headquarters: CN}
end_use: {codes: [ai_training]}
items:
  - {sku: H100-A, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
  - {sku: H100-B, quantity: 1, catalog: nvidia-h100-sxm5-80gb}
`)
	dec := d.Decide(context.Background(), &recs[0])
	if dec.Decision != decision.Deny || dec.ID != "SO-CN" || dec.Kind != KindOrder || dec.AsOf != "2026-11-20" || dec.Policy.Revision != pol.Revision() {
		t.Errorf("decision %+v", dec)
	}
	for _, id := range []string{"EAR-742.6-DEST", "EAR-742.6-HQ", "SCREEN-EL"} {
		if r, ok := reasonOf(dec, id); !ok || r.Outcome != decision.Deny {
			t.Errorf("%s: %+v, want deny (%v)", id, r, outcomes(dec))
		}
	}
	if len(dec.Items) != 2 || dec.Items[0].SKU != "H100-A" || dec.Items[1].SKU != "H100-B" || dec.Items[0].ECCN != "3A090.a" {
		t.Errorf("items %+v", dec.Items)
	}
	if len(dec.Screening) != 1 || dec.Screening[0].List != "EL" || dec.Screening[0].Party != "buyer" {
		t.Errorf("screening %+v", dec.Screening)
	}
	// The DEST reason names both lines, by SKU.
	r, _ := reasonOf(dec, "EAR-742.6-DEST")
	items, _ := r.Facts["items"].([]any)
	var skus []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		skus = append(skus, fmt.Sprint(m["sku"]))
	}
	if strings.Join(skus, ",") != "H100-A,H100-B" {
		t.Errorf("EAR-742.6-DEST facts.items %v, want both lines", r.Facts["items"])
	}
	// The HQ reason names the party.
	r, _ = reasonOf(dec, "EAR-742.6-HQ")
	if p, _ := r.Facts["party"].(map[string]any); p["name"] != "Hangzhou Lanting Cloud" || p["role"] != "buyer" {
		t.Errorf("EAR-742.6-HQ facts.party %v", r.Facts["party"])
	}
	// Screening reason names the hit's party.
	r, _ = reasonOf(dec, "SCREEN-EL")
	if p, _ := r.Facts["party"].(map[string]any); p["name"] != "Hangzhou Lanting Cloud" {
		t.Errorf("SCREEN-EL facts.party %v", r.Facts["party"])
	}
}

// TestScreeningStage: what the screening stage is told beside the hits,
// worked from policies/chipcheck/screening/screening.rego's contract: a
// party (or ultimate parent) whose name holds nothing to screen is
// SCREEN-NO-NAME, about that party (role and name as written); an order
// naming no party is SCREEN-NO-PARTY; the exporter is screened like every
// party; lists older than MaxListAgeDays (or of unknown age) are
// SCREEN-LIST-STALE; without a screener, SCREEN-NOT-RUN and nothing else
// about screening.
func TestScreeningStage(t *testing.T) {
	rs, pol := shared(t)
	const base = `
kind: order
id: SO-S
date: 2026-11-20
ship_from: US
destination: DE
parties:
  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`
	sdn := func(age int) []ListAge {
		return []ListAge{{ID: "sdn", Name: "SDN List", Snapshot: "2026-10-01", AgeDays: age}}
	}
	tests := []struct {
		name    string
		order   string
		facts   FactOptions
		want    map[string]string // rule -> outcome, for the screening rules
		parties []string          // "role/name" of SCREEN-NO-NAME's facts.party, or the hits' roles
	}{
		{name: "clean", order: base, facts: FactOptions{Screener: cleanScreener{}}, want: map[string]string{}},
		{name: "parent without a name", order: strings.Replace(base, "headquarters: DE}", "headquarters: DE, ultimate_parent: {headquarters: DE}}", 1),
			facts: FactOptions{Screener: cleanScreener{}}, want: map[string]string{"SCREEN-NO-NAME": "review"}, parties: []string{"buyer.ultimate_parent/"}},
		{name: "name of legal forms only", order: strings.Replace(base, "name: Rheinwerk GmbH", "name: GmbH", 1),
			facts: FactOptions{Screener: cleanScreener{}}, want: map[string]string{"SCREEN-NO-NAME": "review"}, parties: []string{"buyer/GmbH"}},
		{name: "exporter screened", order: base + "exporter: {name: Lanting Export Co, country: US}\n",
			facts: FactOptions{Screener: lantingScreener{}}, want: map[string]string{"SCREEN-EL": "deny"}, parties: []string{"exporter"}},
		{name: "not screened", order: strings.Replace(base, "headquarters: DE}", "headquarters: DE, ultimate_parent: {headquarters: DE}}", 1),
			facts: FactOptions{}, want: map[string]string{"SCREEN-NOT-RUN": "review"}},
		{name: "list too old", order: base, facts: FactOptions{Screener: cleanScreener{}, Lists: sdn(31), MaxListAgeDays: 30},
			want: map[string]string{"SCREEN-LIST-STALE": "review"}},
		{name: "list of unknown age", order: base, facts: FactOptions{Screener: cleanScreener{}, Lists: sdn(-1), MaxListAgeDays: 30},
			want: map[string]string{"SCREEN-LIST-STALE": "review"}},
		{name: "list just young enough", order: base, facts: FactOptions{Screener: cleanScreener{}, Lists: sdn(30), MaxListAgeDays: 30},
			want: map[string]string{}},
		{name: "no maximum age", order: base, facts: FactOptions{Screener: cleanScreener{}, Lists: sdn(400)}, want: map[string]string{}},
		{name: "no party", order: strings.Replace(base, "parties:\n  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}\n", "", 1),
			facts: FactOptions{Screener: cleanScreener{}}, want: map[string]string{"SCREEN-NO-PARTY": "review"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.facts.Catalog = NewCatalog(rs)
			d, _ := decider(t, pol, tt.facts, true)
			recs := readYAML(t, rs, tt.order)
			dec := d.Decide(context.Background(), &recs[0])
			got := map[string]string{}
			var parties []string
			for _, r := range dec.Reasons {
				if strings.HasPrefix(r.Rule, "SCREEN-") {
					got[r.Rule] = r.Outcome
				}
				if r.Rule == "SCREEN-NO-NAME" {
					p, _ := r.Facts["party"].(map[string]any)
					parties = append(parties, fmt.Sprintf("%v/%v", p["role"], p["name"]))
				}
			}
			for _, h := range dec.Screening {
				parties = append(parties, h.Party)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("screening reasons %v, want %v (%v)", got, tt.want, outcomes(dec))
			}
			if fmt.Sprint(parties) != fmt.Sprint(tt.parties) {
				t.Errorf("about parties %v, want %v", parties, tt.parties)
			}
			if hasRule(dec, evalError) {
				t.Errorf("%v", dec.Reasons)
			}
		})
	}
}

// TestEvalErrorCitesPolicy: an evaluation error's citation is the one the
// policy's METADATA declares for CHIPCHECK-EVAL-ERROR.
func TestEvalErrorCitesPolicy(t *testing.T) {
	pfs := memFS(t, chipcheck.Policies())
	const file = "chipcheck/lib/lib.rego"
	b := string(pfs[file].Data)
	const old = `citation: "chipcheck fails closed: a record that cannot be judged is never allowed"`
	if !strings.Contains(b, old) {
		t.Fatalf("%s does not declare CHIPCHECK-EVAL-ERROR's citation as %s", file, old)
	}
	pfs[file] = &fstest.MapFile{Data: []byte(strings.Replace(b, old, `citation: "test citation 1.2.3"`, 1))}
	rs, pol := compile(t, pfs, chipcheck.Rules())
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs)}, true)
	for _, rec := range []record.Record{
		{Kind: "onboarding", ID: "ob-1"},
		{Kind: KindChip, ID: "c-x", Value: &Chip{Catalog: "no-such-chip"}},
	} {
		dec := d.Decide(context.Background(), &rec)
		if len(dec.Reasons) != 1 || dec.Reasons[0].Rule != evalError || dec.Reasons[0].Citation != "test citation 1.2.3" || dec.Decision != decision.Review {
			t.Errorf("%s: %+v, want CHIPCHECK-EVAL-ERROR citing the policy's METADATA", rec.ID, dec.Reasons)
		}
	}
}
