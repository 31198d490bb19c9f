package orders

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/licenses"
	"github.com/chipcheck/chipcheck/internal/record"
)

const testRegister = `licenses:
  - number: D-1
    type: export
    issued: 2026-01-01
    expires: 2027-01-01
    destinations: [CN]
    consignee: Lanting Cloud Co., Ltd.
    eccns: [3A090.a]
    quantity: 10
`

func licenseOrder(id, number string, qty int) string {
	return strings.NewReplacer("ID", id, "NUM", number, "QTY", strconv.Itoa(qty)).Replace(`
kind: order
id: ID
date: 2026-11-20
ship_from: US
destination: CN
exporter: {name: Example Exporter Inc., country: US}
parties:
  consignee: {name: LANTING CLOUD CO LTD, country: CN}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: QTY, catalog: nvidia-h100-sxm5-80gb}
license: {type: license, number: NUM}
---`)
}

// registerDecider is a decider with the test register.
func registerDecider(t *testing.T) (*Decider, []record.Record) {
	t.Helper()
	rs, pol := shared(t)
	p := filepath.Join(t.TempDir(), "register.yaml")
	if err := os.WriteFile(p, []byte(testRegister), 0o600); err != nil {
		t.Fatal(err)
	}
	reg, err := licenses.Load(p, licenses.Options{Country: rs.Country})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(context.Background(), engine.Options{Policy: pol, Queries: Queries(), VerifyCache: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Policy: pol, Evaluator: eng, Licenses: reg, Facts: FactOptions{Catalog: NewCatalog(rs), Screener: cleanScreener{}, Letters: LettersOf(rs)}})
	if err != nil {
		t.Fatal(err)
	}
	text := licenseOrder("SO-1", "D-1", 6) + licenseOrder("SO-2", "d-1", 6) + licenseOrder("SO-3", "D-1", 4) + licenseOrder("SO-4", "D-2", 1)
	return d, readYAML(t, rs, text)
}

// TestPrepareDrawsDownInInputOrder: the first order takes 6 of 10 units,
// the second (6) does not fit and takes nothing, the third (4) fits
// exactly; an unknown number is LICENSE-UNKNOWN. Decided in reverse, the
// outcome is the same: Prepare, not Decide, fixes the order.
func TestPrepareDrawsDownInInputOrder(t *testing.T) {
	d, recs := registerDecider(t)
	ptrs := make([]*record.Record, len(recs))
	for i := range recs {
		ptrs[i] = &recs[i]
	}
	if err := d.Prepare(context.Background(), &record.Batch{}, ptrs); err != nil {
		t.Fatal(err)
	}
	// H100 (3A090.a) to CN: EAR-742.6-DEST, which a valid license covers.
	want := map[string]struct{ decision, rule, message string }{
		"SO-1": {decision.Allow, "LICENSE-VERIFIED", "license D-1 is in the license register, in force until 2027-01-01, and covers this order's movement, destination, parties and items; 4 of 10 units left after it"},
		"SO-2": {decision.Deny, "LICENSE-EXHAUSTED", "license d-1: the order needs 6 units of the items it covers, and 4 of its 10 are left"},
		"SO-3": {decision.Allow, "LICENSE-VERIFIED", "license D-1 is in the license register, in force until 2027-01-01, and covers this order's movement, destination, parties and items; 0 of 10 units left after it"},
		"SO-4": {decision.Deny, "LICENSE-UNKNOWN", "license D-2 is not in the license register: no license of that number authorizes this order"},
	}
	for i := len(recs) - 1; i >= 0; i-- {
		dec := d.Decide(context.Background(), &recs[i])
		w := want[dec.ID]
		r, ok := reasonOf(dec, w.rule)
		if dec.Decision != w.decision || !ok || r.Message != w.message || hasRule(dec, evalError) {
			t.Errorf("%s: %s %v %q, want %s with %s %q", dec.ID, dec.Decision, outcomes(dec), r.Message, w.decision, w.rule, w.message)
		}
	}
}

// TestDecideWithoutPrepareFailsClosed: with a register configured, a claim
// the batch's Prepare did not match is never judged unverified or valid.
func TestDecideWithoutPrepareFailsClosed(t *testing.T) {
	d, recs := registerDecider(t)
	dec := d.Decide(context.Background(), &recs[0])
	if dec.Decision != decision.Review || !hasRule(dec, evalError) {
		t.Fatalf("%s %v, want CHIPCHECK-EVAL-ERROR", dec.Decision, outcomes(dec))
	}
}

// TestPrepareChunksAndBatches: fed chunk by chunk the drawdown goes on
// from where the last chunk left it; a new batch (Chunk 0) draws on a
// fresh ledger, never on an earlier batch's.
func TestPrepareChunksAndBatches(t *testing.T) {
	d, recs := registerDecider(t)
	ctx := context.Background()
	licenseOf := func(rec *record.Record) string {
		r, _ := reasonOf(d.Decide(ctx, rec), "LICENSE-EXHAUSTED")
		return r.Rule
	}
	for batch := range 2 {
		b := &record.Batch{}
		for i := range recs {
			if err := d.Prepare(ctx, b, []*record.Record{&recs[i]}); err != nil {
				t.Fatal(err)
			}
			b.Chunk++
		}
		// SO-2 (6 units after SO-1's 6 of 10) is exhausted in every batch:
		// the second batch starts again from 10.
		if got := licenseOf(&recs[1]); got != "LICENSE-EXHAUSTED" {
			t.Errorf("batch %d: SO-2 not exhausted across chunks", batch)
		}
		if got := licenseOf(&recs[0]); got != "" {
			t.Errorf("batch %d: SO-1 exhausted: the ledger carried over from an earlier batch", batch)
		}
	}
}
