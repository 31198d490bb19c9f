package engine

import (
	"context"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
)

// The Rego input is built field by field from typed values, never by passing
// the record through: only what policies/chipcheck/order/common.rego
// documents reaches the policy.

func (e *Engine) orderInput(ctx context.Context, f *facts.Order, items []*ast.Term) (ast.Value, error) {
	o := f.Record.Order
	order := map[string]any{
		"id":          o.ID,
		"date":        f.Date,
		"ship_from":   o.ShipFrom,
		"destination": o.Destination,
		"end_use":     map[string]any{"codes": strs(o.EndUse.Codes)},
		"red_flags":   strs(o.RedFlags),
	}
	if o.Exporter != nil {
		order["exporter"] = partyInput("exporter", *o.Exporter)
	}
	if l := o.License; l != nil {
		lic := map[string]any{"type": l.Type, "number": l.Number}
		if l.NotifiedOn != "" {
			lic["notified_on"] = l.NotifiedOn
		}
		order["license"] = lic
	}
	parties := make([]any, len(f.Parties))
	for i, p := range f.Parties {
		parties[i] = partyInput(p.Role, p.Party)
	}
	hits := make([]any, len(f.Hits))
	for i, h := range f.Hits {
		hits[i] = hitInput(h)
	}
	v, err := ast.InterfaceToValue(map[string]any{
		"order":     order,
		"parties":   parties,
		"screening": hits,
		"screened":  f.Screened,
		"config":    map[string]any{"exporter": f.Exporter},
	})
	if err != nil {
		return nil, err
	}
	in := v.(ast.Object)
	in.Insert(ast.InternedTerm("items"), ast.ArrayTerm(items...))
	places := ast.NewObject()
	for _, c := range f.Countries() {
		t, err := e.placeFacts(ctx, c, f.Date)
		if err != nil {
			return nil, err
		}
		places.Insert(ast.StringTerm(c), t)
	}
	in.Insert(ast.InternedTerm("places"), ast.NewTerm(places))
	return in, nil
}

func partyInput(role string, p record.Party) map[string]any {
	m := map[string]any{"role": role, "name": p.Name}
	set(m, "country", p.Country)
	set(m, "address", p.Address)
	set(m, "headquarters", p.Headquarters)
	if up := p.UltimateParent; up != nil {
		u := map[string]any{"name": up.Name}
		set(u, "country", up.Country)
		set(u, "headquarters", up.Headquarters)
		m["ultimate_parent"] = u
	}
	return m
}

func hitInput(h decision.Hit) map[string]any {
	return map[string]any{
		"party":               h.Party,
		"party_name":          h.PartyName,
		"list":                h.List,
		"list_name":           h.ListName,
		"entry_id":            h.EntryID,
		"entry":               h.Entry,
		"matched":             h.Matched,
		"score":               h.Score,
		"countries":           strs(h.Countries),
		"explanation":         h.Explanation,
		"license_requirement": h.LicenseRequirement,
		"license_policy":      h.LicensePolicy,
		"federal_register":    h.FederalRegister,
	}
}

// itemInput is an order line's chip fields and classification, without
// the sku and quantity.
func itemInput(it record.Item, c *Classification) map[string]any {
	m := map[string]any{}
	if it.Chip != nil {
		chipInput(m, it.Chip)
	}
	classInput(m, c)
	if len(it.Contains) > 0 {
		cs := make([]any, len(it.Contains))
		for i, ct := range it.Contains {
			cm := map[string]any{"count": ct.Count}
			if ct.Chip != nil {
				chipInput(cm, ct.Chip)
			}
			if i < len(c.Contains) {
				classInput(cm, &c.Contains[i])
			}
			cs[i] = cm
		}
		m["contains"] = cs
	}
	return m
}

func chipInput(m map[string]any, c *record.Chip) {
	set(m, "name", c.Name)
	set(m, "catalog", c.Catalog)
	set(m, "designer_country", c.DesignerCountry)
	if c.Datacenter != nil {
		m["datacenter"] = *c.Datacenter
	}
	if c.GP10Named {
		m["gp10_named"] = true
	}
	if c.MemoryBandwidthGBs != nil {
		m["memory_bandwidth_gbs"] = *c.MemoryBandwidthGBs
	}
	if c.InterconnectGBs != nil {
		m["interconnect_gbs"] = *c.InterconnectGBs
	}
}

func classInput(m map[string]any, c *Classification) {
	m["eccn"] = c.ECCN
	m["paragraph"] = c.Paragraph
	m["tpp"] = ptr(c.TPP)
	m["pd"] = ptr(c.PD)
	m["why"] = c.Why()
}

func ptr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func set(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
