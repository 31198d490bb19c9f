package orders

import (
	"cmp"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// NewCatalog is the chip catalog of rule data (rules/catalog.yaml): each
// entry as the chip an order would give, found by id or alias as
// rs.Catalog finds it when records are validated.
func NewCatalog(rs *rules.Set) Catalog {
	c := &rulesCatalog{rs: rs, chips: map[string]*Chip{}}
	for id, e := range rs.CatalogEntries() {
		c.chips[id] = catalogChip(id, e)
	}
	return c
}

type rulesCatalog struct {
	rs    *rules.Set
	chips map[string]*Chip // by entry id
}

// CatalogChip returns a copy of the entry id or alias name refers to.
func (c *rulesCatalog) CatalogChip(name string) (*Chip, bool) {
	id, ok := c.rs.CatalogID(name)
	if !ok {
		return nil, false
	}
	cp := *c.chips[id]
	return &cp, true
}

// catalogChip is entry id as a chip specification.
func catalogChip(id string, e rules.CatalogEntry) *Chip {
	c := &Chip{
		ID:                 id,
		Name:               cmp.Or(e.Name, id),
		Catalog:            id,
		Datacenter:         e.Datacenter,
		DieAreaMM2:         e.DieAreaMM2,
		Performance:        catalogPerfs(e.Performance),
		MemoryBandwidthGBs: e.MemoryBandwidthGBs,
		InterconnectGBs:    e.InterconnectGBs,
		DesignerCountry:    e.DesignerCountry,
		GP10Named:          e.GP10Named,
	}
	for _, d := range e.Dies {
		cd := Die{Name: d.Name, Count: 1, DieAreaMM2: d.DieAreaMM2, Performance: catalogPerfs(d.Performance)}
		if d.Count != nil {
			cd.Count = *d.Count
		}
		c.Dies = append(c.Dies, cd)
	}
	if e.HBM != nil {
		c.HBM = &HBM{BandwidthGBs: e.HBM.BandwidthGBs, PackageAreaMM2: e.HBM.PackageAreaMM2}
	}
	return c
}

func catalogPerfs(ps []rules.CatalogPerf) []Perf {
	if len(ps) == 0 {
		return nil
	}
	out := make([]Perf, len(ps))
	for i, p := range ps {
		out[i] = Perf{Format: p.Format, Bits: p.Bits, TOPS: p.TOPS}
	}
	return out
}
