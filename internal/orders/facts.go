package orders

// The facts of an order, computed in Go before the policies judge it: the
// effective date, each line's chip specification with catalog names
// resolved, every party by role, and the restricted-party hits for each.

import (
	"fmt"
	"slices"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

// Catalog resolves `catalog:` names to chip specifications.
type Catalog interface {
	CatalogChip(name string) (*Chip, bool)
}

// Screener finds restricted-party hits for one party. Implementations cache
// per normalised name and must be safe for concurrent use.
type Screener interface {
	// Screenable reports whether a name holds anything to screen.
	Screenable(name string) bool
	Screen(role string, p Party) []decision.Hit
}

// FactOptions configure how facts are computed.
type FactOptions struct {
	Catalog  Catalog
	Screener Screener // nil: screening not run, which the policy reports
	AsOf     string   // YYYY-MM-DD; overrides every record's date when set
	Exporter string   // the configured exporter, for is-informed letters
	// Letters are the addressees of the is-informed letters (letters.go).
	Letters []Letter
	// Lists are the list snapshots screened against, and MaxListAgeDays
	// (when above 0) the age past which the policy reviews a decision
	// screened against one.
	Lists          []ListAge
	MaxListAgeDays int
}

// ListAge is a list snapshot and its age in days (-1 when unknown).
type ListAge struct {
	ID, Name, Snapshot string
	AgeDays            int
}

// RoleParty is one party with its role on the order.
type RoleParty struct {
	Role string
	Party
}

// Facts are an order's facts: the order ready to be judged.
type Facts struct {
	Record   *record.Record
	Order    *Order // the record's
	Date     string // the date whose rules apply
	Items    []Item
	Parties  []RoleParty
	Hits     []decision.Hit
	Screened bool
	// Unscreened are the parties whose name holds nothing to screen
	// (blank, only punctuation, only a legal form). The policy reviews
	// them.
	Unscreened []decision.Hit
	// Exporter is the order's own exporter's name, else the configured
	// one ("" when neither is known).
	Exporter string
	// Register is what the license register found for a claimed license
	// (license_facts.go), as the policy sees it; nil for other claims.
	Register map[string]any
}

// ForOrder computes the facts of an order record.
func ForOrder(rec *record.Record, opts FactOptions) (*Facts, error) {
	o := OrderOf(rec)
	if o == nil {
		return nil, fmt.Errorf("%s:%d: not an order record", rec.Source.File, rec.Source.Line)
	}
	f := &Facts{Record: rec, Order: o, Date: JudgingDate(o, opts.AsOf), Exporter: exporterOf(o, opts)}
	var err error
	if f.Items, err = resolveItems(o.Items, opts.Catalog); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", rec.Source.File, rec.Source.Line, err)
	}
	f.Parties = o.RoleParties()
	if s := opts.Screener; s != nil {
		f.Screened = true
		screen := func(role string, p Party) {
			if !s.Screenable(p.Name) {
				f.Unscreened = append(f.Unscreened, decision.Hit{Party: role, PartyName: p.Name})
				return
			}
			f.Hits = append(f.Hits, s.Screen(role, p)...)
		}
		// Every party, every ultimate parent given, and the exporter.
		for _, p := range f.Parties {
			screen(p.Role, p.Party)
			if up := p.UltimateParent; up != nil {
				screen(p.Role+".ultimate_parent", Party{Name: up.Name, Country: up.Country, Headquarters: up.Headquarters})
			}
		}
		if ex := o.Exporter; ex != nil {
			screen("exporter", *ex)
		}
	}
	return f, nil
}

// party is the i-th screened party: a hit's, or past the hits an
// unscreened one's.
func (f *Facts) party(i int) decision.Hit {
	if i < len(f.Hits) {
		return f.Hits[i]
	}
	return f.Unscreened[i-len(f.Hits)]
}

// RoleParties lists every party of the order with its role, in a fixed
// order: buyer, consignee, end user, intermediates. Ultimate parents stay
// on their party; screening checks them as "<role>.ultimate_parent".
func (o *Order) RoleParties() []RoleParty {
	var out []RoleParty
	add := func(role string, p *Party) {
		if p != nil {
			out = append(out, RoleParty{Role: role, Party: *p})
		}
	}
	add("buyer", o.Parties.Buyer)
	add("consignee", o.Parties.Consignee)
	add("end_user", o.Parties.EndUser)
	for i := range o.Parties.Intermediates {
		role := "intermediate"
		if r := o.Parties.Intermediates[i].Role; r != "" {
			role = "intermediate." + r
		}
		add(role, &o.Parties.Intermediates[i])
	}
	return out
}

func resolveItems(items []Item, cat Catalog) ([]Item, error) {
	out := make([]Item, len(items))
	for i, it := range items {
		if it.Catalog != "" {
			c, err := resolve(it.Catalog, cat)
			if err != nil {
				return nil, fmt.Errorf("items[%d].catalog: %w", i, err)
			}
			it.Chip = c
		} else if it.Chip != nil {
			// chip: {catalog: NAME} is the catalog's chip, as catalog: NAME.
			c, err := ResolveChip(it.Chip, cat)
			if err != nil {
				return nil, fmt.Errorf("items[%d].chip.catalog: %w", i, err)
			}
			it.Chip = c
		}
		if len(it.Contains) > 0 {
			cs := make([]Contained, len(it.Contains))
			for j, c := range it.Contains {
				if c.Catalog != "" {
					chip, err := resolve(c.Catalog, cat)
					if err != nil {
						return nil, fmt.Errorf("items[%d].contains[%d].catalog: %w", i, j, err)
					}
					c.Chip = chip
				} else if c.Chip != nil {
					chip, err := ResolveChip(c.Chip, cat)
					if err != nil {
						return nil, fmt.Errorf("items[%d].contains[%d].chip.catalog: %w", i, j, err)
					}
					c.Chip = chip
				}
				cs[j] = c
			}
			it.Contains = cs
		}
		out[i] = it
	}
	return out, nil
}

func resolve(name string, cat Catalog) (*Chip, error) {
	if cat == nil {
		return nil, fmt.Errorf("no catalog loaded for %q", name)
	}
	c, ok := cat.CatalogChip(name)
	if !ok {
		return nil, fmt.Errorf("%q is not in the catalog", name)
	}
	return c, nil
}

// ResolveChip resolves a `kind: chip` record that names a catalog entry.
func ResolveChip(c *Chip, cat Catalog) (*Chip, error) {
	if c.Catalog == "" || len(c.Performance) > 0 || c.HBM != nil {
		return c, nil
	}
	r, err := resolve(c.Catalog, cat)
	if err != nil {
		return nil, err
	}
	if c.ID != "" {
		r.ID = c.ID
	}
	return r, nil
}

// Countries lists, once each and in first-seen order, every country code
// written on the order: the policy needs the facts of each.
func (f *Facts) Countries() []string {
	o := f.Order
	var out []string
	add := func(cs ...string) {
		for _, c := range cs {
			if c != "" && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	add(o.Destination, o.ShipFrom)
	if o.Exporter != nil {
		add(o.Exporter.Country, o.Exporter.Headquarters)
	}
	for _, p := range f.Parties {
		add(p.Country, p.Headquarters)
		if up := p.UltimateParent; up != nil {
			add(up.Country, up.Headquarters)
		}
	}
	return out
}
