package orders

import (
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/chipcheck/chipcheck/internal/engine"
)

// The order cache. The stages see projections of an order, never its
// names, SKUs or numbers, so two orders that agree on everything any stage
// reads get the same findings: the second skips the stages and only has
// its reasons assembled, with its own SKUs, names and numbers. The key
// holds every such thing (orderKey); a book of repeat business, where one
// customer orders the same mix again and again, is mostly cache hits.

// orderCache holds findings by order key.
type orderCache struct {
	c            engine.Cache[[]found]
	hits, misses atomic.Int64
}

// orderKey appends to b the key of everything the stages read of the order:
// the projection fields taken from the record (the others are computed
// from stage results), each line's class in every item view, each party's
// role and countries (per-headquarters stages group the parties, and the
// reasons name them by position), every hit as the screening stage sees it
// and every party with nothing to screen, and the countries whose facts
// the stages read.
func (o *orderEval) orderKey(b []byte) []byte {
	for _, f := range []field{fDate, fPlace, fLicense, fClaim, fParties, fEndUse, fEndUser, fConsignee, fExporter, fHits, fRedFlags} {
		b = o.proj.appendKey(b, f)
	}
	b = append(b, 'L')
	for _, l := range o.lines {
		for _, view := range itemViews {
			id := -1
			if c := l.classes[view]; c != nil {
				id = c.id
			}
			b = engine.AppendKey(b, id)
		}
	}
	b = append(b, 'P')
	for _, p := range o.f.Parties {
		b = engine.AppendString(b, p.Role)
		b = engine.AppendString(b, p.Country)
		b = engine.AppendString(b, p.Headquarters)
		b = engine.AppendString(b, parentHQ(p))
	}
	b = append(b, 'H')
	b = engine.AppendKey(b, o.f.Screened)
	for _, h := range o.f.Hits {
		b = engine.AppendKey(b, HitInput(h))
	}
	b = append(b, 'U')
	for _, u := range o.f.Unscreened {
		b = engine.AppendString(b, u.Party)
	}
	b = append(b, 'C')
	for _, c := range o.f.Countries() {
		b = engine.AppendString(b, c)
	}
	return b
}

// sameFindings reports how a cached order's findings differ from a fresh
// run's ("" when they do not), for --verify-cache.
func sameFindings(cached, fresh []found) string {
	if len(cached) != len(fresh) {
		return fmt.Sprintf("%d findings cached, %d fresh", len(cached), len(fresh))
	}
	for i := range cached {
		a, b := cached[i], fresh[i]
		if a.stage != b.stage || a.line != b.line || a.hit != b.hit || !slices.Equal(a.group, b.group) ||
			string(engine.AppendKey(nil, a.m)) != string(engine.AppendKey(nil, b.m)) {
			return fmt.Sprintf("finding %d: cached %v, fresh %v", i, a.m, b.m)
		}
	}
	return ""
}

// Stats reports what the order cache saved.
func (d *Decider) Stats() []engine.Stat {
	return []engine.Stat{{Query: "orders (whole projection)", Hits: d.orders.hits.Load(), Misses: d.orders.misses.Load()}}
}
