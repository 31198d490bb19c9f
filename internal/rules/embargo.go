package rules

import "slices"

// embargoes.yaml: the country-wide controls of 15 CFR Part 746 and the
// OFAC comprehensive country programmes (policies/chipcheck/embargo).

type embargoes struct {
	// Regions maps a country to the codes of its regions, for countries
	// an embargo covers only in part (UA: crimea, dnr, lnr, other).
	Regions   map[string]map[string]described `yaml:"regions" rules:"required"`
	Embargoes map[string]embargo              `yaml:"embargoes" rules:"required"`
	OFAC      map[string]ofacProgram          `yaml:"ofac" rules:"required"`
}

// embargoPlace is where an embargo or programme applies: whole countries,
// and regions of the countries listed under embargoes.regions.
type embargoPlace struct {
	Countries []string            `yaml:"countries"`
	Regions   map[string][]string `yaml:"regions"`
}

type embargo struct {
	Name         string `yaml:"name" rules:"required"`
	embargoPlace `yaml:",inline"`
	Versions     []embargoVersion `yaml:"versions" rules:"required"`
}

type embargoVersion struct {
	From         Date   `yaml:"from" rules:"required"`
	CCL          *bool  `yaml:"ccl" rules:"required"`
	EAR99        string `yaml:"ear99" rules:"required"`
	ReviewPolicy string `yaml:"review_policy" rules:"required"`
	Citation     string `yaml:"citation" rules:"required"`
	Source       string `yaml:"source" rules:"required"`
}

type ofacProgram struct {
	Name         string `yaml:"name" rules:"required"`
	embargoPlace `yaml:",inline"`
	From         Date   `yaml:"from" rules:"required"`
	Until        Date   `yaml:"until"`
	Citation     string `yaml:"citation" rules:"required"`
}

// What ear99 may say (policies/chipcheck/embargo words each).
var ear99Scopes = []string{"all", "except_food_medicine", "supplement_only", "none"}

func (c *checker) embargoes() {
	e := c.r.Embargoes
	for _, code := range sorted(e.Regions) {
		p := "embargoes.regions." + code
		c.country(p, code)
		c.nonEmpty(p, len(e.Regions[code]), "region")
	}
	for _, id := range sorted(e.Embargoes) {
		p, em := "embargoes.embargoes."+id, e.Embargoes[id]
		c.embargoPlace(p, em.embargoPlace)
		froms := make([]Date, len(em.Versions))
		for i, v := range em.Versions {
			froms[i] = v.From
			if !slices.Contains(ear99Scopes, v.EAR99) && v.EAR99 != "" {
				c.add(at(p+".versions", i)+".ear99", "unknown EAR99 scope %q (want one of all, except_food_medicine, supplement_only, none)", v.EAR99)
			}
		}
		c.versions(p+".versions", froms)
	}
	for _, id := range sorted(e.OFAC) {
		p, o := "embargoes.ofac."+id, e.OFAC[id]
		c.embargoPlace(p, o.embargoPlace)
		c.interval(p, o.From, o.Until)
	}
}

// embargoPlace checks that a place names some country or region, and
// every region is one embargoes.regions gives its country.
func (c *checker) embargoPlace(p string, pl embargoPlace) {
	c.countryList(p+".countries", pl.Countries)
	for _, code := range sorted(pl.Regions) {
		rp := p + ".regions." + code
		known, ok := c.r.Embargoes.Regions[code]
		if !ok {
			c.add(rp, "%s has no regions under embargoes.regions", code)
			continue
		}
		for i, r := range pl.Regions[code] {
			if _, ok := known[r]; !ok {
				c.add(at(rp, i), "unknown region %q of %s (not under embargoes.regions.%s)", r, code, code)
			}
		}
		c.nonEmpty(rp, len(pl.Regions[code]), "region")
	}
	if len(pl.Countries)+len(pl.Regions) == 0 {
		c.add(p, "names no place: give countries or regions")
	}
}

// Region reports whether code is a region of country in embargoes.yaml.
func (s *Set) Region(country, code string) bool {
	_, ok := s.typed.Embargoes.Regions[country][code]
	return ok
}
