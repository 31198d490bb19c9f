package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chipcheck/chipcheck/internal/licenses"
	"github.com/chipcheck/chipcheck/internal/record"
)

// The license register (package licenses): the license an order claims is
// matched against it in Prepare, in input order, because matching draws
// the license down; Decide hands what was found to the policy
// (data.chipcheck.register) as license.register:
//
//	{configured: false}                      no register: the claim is not verified
//	{configured: true, found, ...}           licenses.Check, as JSON
//
// Only claims of type license with a number are matched: NAC and ACA are
// License Exceptions with eligibility rules of their own.

// licenseCheck is what Prepare found for one order's claim.
type licenseCheck struct {
	facts map[string]any
	err   error
}

// Prepare matches the license claims of the batch against the register
// and draws it down, in input order, before any order is decided. The
// runner calls it chunk after chunk on one goroutine; the ledger of the
// batch is b.State, new when b.Chunk is 0, so one batch never draws on
// another's. Each order's check goes into the order itself, for Decide.
func (d *Decider) Prepare(ctx context.Context, b *record.Batch, recs []*record.Record) error {
	if d.register == nil {
		return nil
	}
	if b.Chunk == 0 || b.State == nil {
		b.State = licenses.NewLedger(d.register)
	}
	ledger := b.State.(*licenses.Ledger)
	for _, rec := range recs {
		o := OrderOf(rec)
		if rec.Kind != KindOrder || o == nil || !verifiable(o.License) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		lc := &licenseCheck{}
		claim, err := d.claim(ctx, rec, o)
		if err != nil {
			lc.err = fmt.Errorf("license: the claim could not be matched against the register: %w", err)
		} else {
			ck, _ := ledger.Apply(claim)
			lc.facts, lc.err = checkFacts(ck)
		}
		o.check = lc
	}
	return nil
}

// placeholderNumber refuses a license number that stands for none (N/A,
// pending, TBD, 0, -): such a claim is an input problem, never a license
// on file.
func (b *builder) placeholderNumber(n *record.Node, p *record.Path, number string) {
	if number != "" && licenses.Placeholder(number) {
		f := p.Key("number")
		b.Addf(n.Member("number").Line(), &f, "%q is a placeholder, not a license number: give the number BIS issued, or no number", strings.TrimSpace(number))
	}
}

// verifiable: a claimed license with a number, which the register must hold.
func verifiable(l *License) bool {
	return l != nil && l.Type == "license" && strings.TrimSpace(l.Number) != ""
}

// claim is an order's claim as the ledger needs it: every line with its
// classification on the judging date, the ship date when given: a license
// must be valid at export (cached: Decide reuses it).
func (d *Decider) claim(ctx context.Context, rec *record.Record, o *Order) (licenses.Claim, error) {
	date := JudgingDate(o, d.facts.AsOf)
	c := licenses.Claim{Number: o.License.Number, Date: date, ShipFrom: o.ShipFrom, Destination: o.Destination}
	if p := o.Parties.Consignee; p != nil {
		c.Consignee = &p.Name
	}
	if p := o.Parties.EndUser; p != nil {
		c.EndUser = &p.Name
	}
	items, err := resolveItems(o.Items, d.facts.Catalog)
	if err != nil {
		return c, fmt.Errorf("%s:%d: %w", rec.Source.File, rec.Source.Line, err)
	}
	iv := d.pol.Interval(date)
	var buf []byte
	for i, it := range items {
		l, err := d.line(ctx, it, date, iv, &buf)
		if err != nil {
			return c, fmt.Errorf("items[%d] %s: %w", i, it.SKU, err)
		}
		c.Lines = append(c.Lines, licenses.Line{SKU: it.SKU, ECCN: l.cls.ECCN, Paragraph: l.cls.Paragraph, Quantity: it.Quantity, UnitValueUSD: it.UnitValueUSD})
	}
	return c, nil
}

// checkFacts is a check as the policy reads it.
func checkFacts(ck licenses.Check) (map[string]any, error) {
	b, err := json.Marshal(ck)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["configured"] = true
	return m, nil
}

// attachLicense gives an order's facts what the register found for its
// claim. A claim Prepare did not see, with a register configured, is an
// evaluation error: judging it unverified would let an unmatched claim
// through.
func (d *Decider) attachLicense(rec *record.Record, f *Facts) error {
	if !verifiable(f.Order.License) {
		return nil
	}
	if d.register == nil {
		f.Register = map[string]any{"configured": false}
		return nil
	}
	lc := f.Order.check
	if lc == nil {
		return fmt.Errorf("%s:%d: license: the claim was not matched against the license register (the batch was not prepared)", rec.Source.File, rec.Source.Line)
	}
	f.Register = lc.facts
	return lc.err
}
