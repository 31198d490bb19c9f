package licenses

import (
	"slices"
)

// Claim is what an order claims under a license, as the ledger needs it.
type Claim struct {
	Number      string
	Date        string // the order date (YYYY-MM-DD)
	ShipFrom    string
	Destination string
	Consignee   *string // the order's consignee name; nil when it names none
	EndUser     *string
	Lines       []Line
}

// Line is one order line of a claim.
type Line struct {
	SKU       string
	ECCN      string // as classified: 3A090.a, none, unknown, ...
	Paragraph string // 3A090.a.1, when known
	Quantity  float64
	// UnitValueUSD is nil when the order does not give it.
	UnitValueUSD *float64
}

// Check is what the ledger found for one claim: the facts the policy
// judges (data.chipcheck.license). Go measures, Rego decides.
type Check struct {
	Found bool `json:"found"`
	// The license's own dates and type, for messages.
	Issued  string `json:"issued,omitempty"`
	Expires string `json:"expires,omitempty"`
	Type    string `json:"type,omitempty"`
	// Movement is what the order is: export (from the US), transfer
	// (in-country: ship_from is the destination), else reexport.
	Movement    string `json:"movement,omitempty"`
	NotYetValid bool   `json:"not_yet_valid"` // the order date is before issued
	Expired     bool   `json:"expired"`       // the order date is on or after expires
	Destination bool   `json:"destination"`   // the destination is one the license names
	// Parties: one entry per party the license names.
	Parties []PartyCheck `json:"parties,omitempty"`
	// Uncovered: the ECCNs of the lines neither the license's SKUs nor
	// its ECCNs cover (lines of ECCN "none" need no license and are left
	// out; "unknown" is listed).
	Uncovered []string `json:"uncovered,omitempty"`
	// Limits: nil when the license states none.
	Quantity *Limit `json:"quantity,omitempty"`
	Value    *Limit `json:"value,omitempty"`
	// Drawn: the claim was within every scope check and limit, so the
	// ledger drew its lines down.
	Drawn bool `json:"drawn"`
}

// PartyCheck is one party a license names, against the order's.
type PartyCheck struct {
	Role  string `json:"role"`  // consignee or end_user
	Given bool   `json:"given"` // the order names this party
	Named bool   `json:"named"` // the order's party is the one the license names
}

// Limit is a quantity or value limit: what the license allows, what was
// left of it before this order (earlier shipments and earlier orders of
// the run taken off), and what this order's covered lines need.
type Limit struct {
	Limit  float64 `json:"limit"`
	Left   float64 `json:"left"`
	Needed float64 `json:"needed"`
	// Unknown: a covered line gives no unit value, so what the order
	// needs of a value limit cannot be known.
	Unknown bool `json:"unknown,omitempty"`
}

// over reports whether the order needs more than is left.
func (l *Limit) over() bool { return l != nil && l.Needed > l.Left }

// Ledger draws licenses down across a batch. Apply must see the claims in
// input order (the order of the batch, chunk after chunk); it is not safe
// for concurrent use. What a license has left is the register's limit less
// its `used` figures less what earlier claims of the run drew.
//
// Which claims draw: a claim draws its covered lines down when the license
// can authorize it (found, in force on the order date, the movement and
// destination the license names, no party other than the ones it names,
// every line of known ECCN that needs a license covered, within both
// limits). A claim that fails any of these cannot ship under the license
// and takes nothing from it, so it cannot starve a later valid order. A
// claim with only something to review (no consignee named on the order,
// an item of unknown ECCN, a line without a unit value) draws what it can
// be counted for: it may ship once a person confirms it. A claim that passes the
// register but is denied for another reason (a screening hit, an end-use
// control) still draws: chipcheck cannot know that it will not ship once a
// person clears it, and counting it errs toward reviewing later orders
// rather than letting two orders ship the same units.
type Ledger struct {
	reg  *Register
	used map[*License]*usage
}

type usage struct{ quantity, value float64 }

// NewLedger returns a ledger over reg; a nil reg is no register, and every
// Apply says so (ok false).
func NewLedger(reg *Register) *Ledger {
	return &Ledger{reg: reg, used: map[*License]*usage{}}
}

// Configured reports whether the ledger has a register.
func (l *Ledger) Configured() bool { return l != nil && l.reg != nil }

// Apply matches one claim against the register and draws it down when it
// passes. ok is false when no register is configured.
func (l *Ledger) Apply(c Claim) (Check, bool) {
	if !l.Configured() {
		return Check{}, false
	}
	var ck Check
	lic, found := l.reg.Find(c.Number)
	if !found {
		return ck, true
	}
	ck.Found = true
	ck.Issued, ck.Expires, ck.Type = lic.Issued, lic.Expires, lic.Type
	ck.Movement = movement(c.ShipFrom, c.Destination)
	ck.NotYetValid = c.Date < lic.Issued
	ck.Expired = c.Date >= lic.Expires
	ck.Destination = slices.Contains(lic.Destinations, c.Destination)
	for _, p := range []struct {
		role, named string
		given       *string
	}{{"consignee", lic.Consignee, c.Consignee}, {"end_user", lic.EndUser, c.EndUser}} {
		if p.named == "" {
			continue
		}
		pc := PartyCheck{Role: p.role, Given: p.given != nil && PartyKey(*p.given) != ""}
		pc.Named = pc.Given && PartyKey(*p.given) == PartyKey(p.named)
		ck.Parties = append(ck.Parties, pc)
	}
	u := l.used[lic]
	if u == nil {
		u = &usage{}
		l.used[lic] = u
	}
	var qty, value float64
	valueKnown := true
	for _, ln := range c.Lines {
		if ln.ECCN == "none" && !slices.Contains(lic.SKUs, ln.SKU) {
			continue // needs no license, and is not drawn from one
		}
		if !covers(lic, ln) {
			if !slices.Contains(ck.Uncovered, ln.ECCN) {
				ck.Uncovered = append(ck.Uncovered, ln.ECCN)
			}
			continue
		}
		qty += ln.Quantity
		if ln.UnitValueUSD == nil {
			valueKnown = false
		} else {
			value += ln.Quantity * *ln.UnitValueUSD
		}
	}
	slices.Sort(ck.Uncovered)
	if lic.Quantity != nil {
		ck.Quantity = &Limit{Limit: *lic.Quantity, Left: *lic.Quantity - lic.UsedQuantity - u.quantity, Needed: qty}
	}
	if lic.ValueUSD != nil {
		ck.Value = &Limit{Limit: *lic.ValueUSD, Left: *lic.ValueUSD - lic.UsedValueUSD - u.value, Needed: value, Unknown: !valueKnown}
	}
	if ck.valid() {
		u.quantity += qty
		u.value += value
		ck.Drawn = true
	}
	return ck, true
}

// valid: the claim fails no check of the register that makes the license
// unusable for it; what the policy only reviews (a party the order does
// not name, an item of unknown ECCN, a value that cannot be computed) does
// not stop the draw. The same line as `invalid` in
// policies/chipcheck/register/register.rego; the fixtures of
// fixtures/orders/licenses.yaml hold both to it.
func (ck *Check) valid() bool {
	if !ck.Found || ck.NotYetValid || ck.Expired || !ck.Destination || ck.Type != ck.Movement {
		return false
	}
	if slices.ContainsFunc(ck.Uncovered, func(e string) bool { return e != "unknown" }) {
		return false
	}
	if slices.ContainsFunc(ck.Parties, func(p PartyCheck) bool { return p.Given && !p.Named }) {
		return false
	}
	return !ck.Quantity.over() && !ck.Value.over()
}

func covers(lic *License, ln Line) bool {
	if slices.Contains(lic.SKUs, ln.SKU) {
		return true
	}
	for _, e := range lic.ECCNs {
		if coversECCN(e, ln.ECCN) || coversECCN(e, ln.Paragraph) {
			return true
		}
	}
	return false
}

// movement is what a shipment is under the EAR: an export from the US, an
// in-country transfer within the destination, else a reexport.
func movement(from, to string) string {
	switch {
	case from == "US":
		return Export
	case from == to:
		return Transfer
	}
	return Reexport
}
