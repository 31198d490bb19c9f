package rules

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// What the policies and the list loader rely on by name. A rule file that
// lacks one of these loads, and silently decides less: Load refuses it.
var (
	// Country Groups the license rules are written in terms of
	// (policies/README.md: D:1 ∪ D:4 ∪ D:5 minus A:5/A:6).
	requiredGroups = []string{"A:5", "A:6", "D:1", "D:4", "D:5"}
	// Named sets lib.in_named reads (policies/chipcheck/place).
	requiredSets = []string{"d1_d4", "macau_d5"}
	// End-use controls policies/chipcheck/end_use reads by name.
	requiredControls = []string{"advanced_ic_production", "military", "military_intelligence",
		"semiconductor_equipment_production", "supercomputer", "wmd"}
	// License Exceptions policies/chipcheck/authorization reads by code.
	requiredExceptions = []string{"ACA", "NAC"}
	// The list codes internal/lists assigns to lists.Entry.List: each
	// needs a rule in screening.yaml (TestListCodesMatchLoader keeps this
	// in step with the loader).
	listCodes = []string{"CAP", "CMIC", "DPL", "DTC", "EL", "FSE", "ISN", "MBS", "MEU",
		"NONSDN", "PLC", "SDN", "SSI", "UVL"}
	// ECCNs the classification policy assigns that a rule can name.
	eccns = []string{"3A090.a", "3A090.b", "3A090.c", "4A090.a", "4A090.b"}
	// Chip figures an is-informed letter can reach (policies/chipcheck/item).
	// combined_bandwidth_gbs is memory_bandwidth_gbs + interconnect_gbs.
	reachFigures = []string{"combined_bandwidth_gbs", "interconnect_gbs", "memory_bandwidth_gbs", "pd", "tpp"}
	// How sure the sources of an is-informed letter's figures are.
	confidences = []string{"confirmed", "reported", "UNVERIFIED"}
	// What the regime tests of classification.yaml read.
	regimeTests = map[string][]string{
		"none":             nil,
		"tpp_interconnect": {"a"},
		"tpp_pd":           {"a1", "a2", "b1", "b2", "non_datacenter_tpp_below"},
	}
	outcomes = []string{"allow", "review", "deny"}
)

var (
	isoCode   = regexp.MustCompile(`^[A-Z]{2}$`)
	groupName = regexp.MustCompile(`^[A-Z]:[0-9]+$`)
)

// checker checks the typed rule files for what their types cannot say:
// ranges, dates in order, and names that must exist in another file.
type checker struct {
	r     *ruleFiles
	files map[string]*decoder // stem -> its decoder (lines, paths with problems)
	probs Problems
}

// add reports a problem with the value at path (stem first), at the line
// of the value or, when path is not in the file, of its nearest parent.
// A path that already has a problem is not reported again.
func (c *checker) add(path, format string, args ...any) {
	if !c.ok(path) {
		return
	}
	stem, _, _ := strings.Cut(path, ".")
	d := c.files[stem]
	line := 1
	for p := path; ; {
		if l, ok := d.lines[p]; ok {
			line = l
			break
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	d.bad[path] = true
	c.probs = append(c.probs, Problem{File: d.file, Line: line, Field: path, Msg: fmt.Sprintf(format, args...)})
}

// ok reports whether the files of paths were decoded and none of the
// paths (or a parent of one) has a problem yet.
func (c *checker) ok(paths ...string) bool {
	for _, path := range paths {
		stem, _, _ := strings.Cut(path, ".")
		d := c.files[stem]
		if d == nil {
			return false
		}
		for p := path; ; {
			if d.bad[p] {
				return false
			}
			i := strings.LastIndexByte(p, '.')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	return true
}

func (c *checker) have(stem string) bool { return c.files[stem] != nil && !c.files[stem].bad[stem] }

func at(path string, i int) string { return path + "." + strconv.Itoa(i) }

// sorted returns the keys of m in order, so problems come out the same
// every run.
func sorted[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func (c *checker) check() Problems {
	c.countries()
	c.countryGroups()
	c.classification()
	c.diffusion()
	c.endUse()
	c.exceptions()
	c.gp10()
	c.isInformed()
	c.license()
	c.redFlags()
	c.screening()
	c.catalog()
	c.embargoes()
	c.onboarding()
	c.networks()
	return c.probs
}

// --- shared checks -----------------------------------------------------------

func (c *checker) country(path, code string) {
	if _, ok := c.r.Countries[code]; !ok && c.have("countries") {
		c.add(path, "unknown country code %q (not in countries.yaml)", code)
	}
}

func (c *checker) countryList(path string, codes []string) {
	for i, code := range codes {
		c.country(at(path, i), code)
	}
}

func (c *checker) groupList(path string, names []string) {
	for i, g := range names {
		if _, ok := c.r.CountryGroups[g]; !ok && c.have("country_groups") {
			c.add(at(path, i), "unknown Country Group %q (not in country_groups.yaml)", g)
		}
	}
}

func (c *checker) nonEmpty(path string, n int, what string) bool {
	if n == 0 {
		c.add(path, "must list at least one %s", what)
		return false
	}
	return true
}

// interval checks that from comes before until when both are given.
func (c *checker) interval(path string, from, until Date) {
	if from != "" && until != "" && until <= from {
		c.add(path+".until", "must be after from (%s), got %s", from, until)
	}
}

func (c *checker) dated(path string, es []datedMember) {
	for i, e := range es {
		p := at(path, i)
		c.country(p+".country", e.Country)
		c.interval(p, e.From, e.Until)
	}
}

// set checks a country set spec: every group, country and dated entry
// exists, and it names some country.
func (c *checker) set(path string, s countrySet) {
	c.groupList(path+".groups", s.Groups)
	c.groupList(path+".except_groups", s.ExceptGroups)
	c.countryList(path+".countries", s.Countries)
	c.dated(path+".dated", s.Dated)
	for i, g := range s.DatedGroups {
		p := at(path+".dated_groups", i)
		if _, ok := c.r.CountryGroups[g.Group]; !ok && c.have("country_groups") {
			c.add(p+".group", "unknown Country Group %q (not in country_groups.yaml)", g.Group)
		}
		c.interval(p, g.From, g.Until)
	}
	if len(s.Groups)+len(s.Countries)+len(s.Dated)+len(s.DatedGroups) == 0 && !s.All {
		c.add(path, "names no country: give groups, countries, dated, dated_groups or all: true")
	}
}

func (c *checker) eccnList(path string, items []string) {
	if !c.nonEmpty(path, len(items), "ECCN") {
		return
	}
	for i, e := range items {
		if !slices.Contains(eccns, e) {
			c.add(at(path, i), "unknown ECCN %q (want one of %s)", e, strings.Join(eccns, ", "))
		}
	}
}

// versions checks an effective-dated list: at least one version, each
// `from` after the one before (the policies take the last version whose
// from is on or before the date).
func (c *checker) versions(path string, froms []Date) {
	if !c.nonEmpty(path, len(froms), "version") {
		return
	}
	for i := 1; i < len(froms); i++ {
		if froms[i] != "" && froms[i-1] != "" && froms[i] <= froms[i-1] {
			c.add(at(path, i)+".from", "out of date order: must be after the previous version's from (%s), got %s", froms[i-1], froms[i])
		}
	}
}

func (c *checker) positive(path string, v float64) {
	if v <= 0 {
		c.add(path, "must be greater than 0, got %s", num(v))
	}
}

func (c *checker) optPositive(path string, v *float64) {
	if v != nil {
		c.positive(path, *v)
	}
}

// share checks a score or threshold in (0, 1].
func (c *checker) share(path string, v float64) {
	if v <= 0 || v > 1 {
		c.add(path, "must be in (0, 1], got %s", num(v))
	}
}

func (c *checker) below(path string, lo, hi float64, loName string) {
	if hi <= lo {
		c.add(path, "must be greater than %s (%s), got %s", loName, num(lo), num(hi))
	}
}

func (c *checker) required(path, name string, have bool, why string) {
	if !have {
		c.add(path+"."+name, "required: %s", why)
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// round9 rounds a computed figure to 9 decimals for a message.
func round9(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// --- one file each -----------------------------------------------------------

// names checks that each name (folded) belongs to one owner: a country
// code, a catalog entry.
type names struct {
	c     *checker
	owner map[string]string // folded name -> owner
}

func (c *checker) names() names { return names{c, map[string]string{}} }

func (ns names) claim(path, owner, name string) {
	f := Fold(name)
	if f == "" {
		ns.c.add(path, "must not be empty")
		return
	}
	if other, ok := ns.owner[f]; ok && other != owner {
		ns.c.add(path, "%q also names %s", name, other)
		return
	}
	ns.owner[f] = owner
}

func (c *checker) countries() {
	// A name or alias must map to one code: the list loaders read
	// country names through this table.
	c.nonEmpty("countries", len(c.r.Countries), "country")
	claim := c.names().claim
	for _, code := range sorted(c.r.Countries) {
		p := "countries." + code
		if !isoCode.MatchString(code) {
			c.add(p, "not an ISO 3166-1 alpha-2 code (two capital letters): %q", code)
			continue
		}
		claim(p, code, code)
	}
	for _, code := range sorted(c.r.Countries) {
		p, ct := "countries."+code, c.r.Countries[code]
		if ct.Name != "" {
			claim(p+".name", code, ct.Name)
		}
		for i, a := range ct.Aliases {
			claim(at(p+".aliases", i), code, a)
		}
	}
}

func (c *checker) countryGroups() {
	for _, name := range sorted(c.r.CountryGroups) {
		p, g := "country_groups."+name, c.r.CountryGroups[name]
		if !groupName.MatchString(name) {
			c.add(p, "a Country Group is written like \"D:5\", got %q", name)
		}
		c.countryList(p+".members", g.Members)
		c.dated(p+".dated", g.Dated)
	}
	for _, g := range requiredGroups {
		_, ok := c.r.CountryGroups[g]
		c.required("country_groups", g, ok, "the license rules are written in terms of it")
	}
}

func (c *checker) classification() {
	const path = "classification.regimes"
	regs := c.r.Classification.Regimes
	froms := make([]Date, len(regs))
	ids := map[string]int{}
	for i, r := range regs {
		p := at(path, i)
		froms[i] = r.From
		if j, dup := ids[r.ID]; dup && r.ID != "" {
			c.add(p+".id", "%q is also the id of regime %d", r.ID, j)
		}
		ids[r.ID] = i
		c.regime(p, r)
	}
	c.versions(path, froms)
}

func (c *checker) regime(p string, r regime) {
	given := map[string]bool{"a": r.A != nil, "a1": r.A1 != nil, "a2": r.A2 != nil, "b1": r.B1 != nil,
		"b2": r.B2 != nil, "non_datacenter_tpp_below": r.NonDatacenterTPPBelow != nil}
	needs, known := regimeTests[r.Test]
	if !known {
		c.add(p+".test", "unknown test %q (want one of %s)", r.Test, strings.Join(sorted(regimeTests), ", "))
	} else {
		for _, k := range sorted(given) {
			if slices.Contains(needs, k) {
				c.required(p, k, given[k], "test "+r.Test+" reads it")
			} else if given[k] {
				c.add(p+"."+k, "test %s does not read it", r.Test)
			}
		}
	}
	if a := r.A; a != nil {
		c.positive(p+".a.tpp_min", a.TPPMin)
		c.positive(p+".a.interconnect_min_gbs", a.InterconnectMinGBs)
	}
	if a := r.A1; a != nil {
		c.positive(p+".a1.tpp_min", a.TPPMin)
	}
	if a := r.A2; a != nil {
		c.positive(p+".a2.tpp_min", a.TPPMin)
		c.positive(p+".a2.pd_min", a.PDMin)
	}
	if b := r.B1; b != nil {
		c.positive(p+".b1.tpp_min", b.TPPMin)
		c.positive(p+".b1.pd_min", b.PDMin)
		c.below(p+".b1.tpp_below", b.TPPMin, b.TPPBelow, "tpp_min")
		c.below(p+".b1.pd_below", b.PDMin, b.PDBelow, "pd_min")
	}
	if b := r.B2; b != nil {
		c.positive(p+".b2.tpp_min", b.TPPMin)
		c.positive(p+".b2.pd_min", b.PDMin)
		c.below(p+".b2.pd_below", b.PDMin, b.PDBelow, "pd_min")
	}
	c.optPositive(p+".non_datacenter_tpp_below", r.NonDatacenterTPPBelow)
	if r.HBM != nil {
		c.positive(p+".hbm.density_above_gbs_per_mm2", r.HBM.DensityAboveGBsPerMM2)
	}
}

func (c *checker) diffusion() {
	d := c.r.Diffusion
	c.eccnList("diffusion.items", d.Items)
	c.countryList("diffusion.exempt_countries", d.ExemptCountries)
}

func (c *checker) endUse() {
	e := c.r.EndUse
	c.nonEmpty("end_use.codes", len(e.Codes), "code")
	for _, name := range sorted(e.Controls) {
		p, ctl := "end_use.controls."+name, e.Controls[name]
		if c.nonEmpty(p+".codes", len(ctl.Codes), "end-use code") {
			for i, code := range ctl.Codes {
				if _, ok := e.Codes[code]; !ok {
					c.add(at(p+".codes", i), "unknown end-use code %q (not under codes)", code)
				}
			}
		}
		c.interval(p, ctl.From, ctl.Until)
		c.set(p+".where", ctl.Where)
	}
	for _, name := range requiredControls {
		_, ok := e.Controls[name]
		c.required("end_use.controls", name, ok, "policies/chipcheck/end_use reads it by name")
	}
}

func (c *checker) exceptions() {
	for _, code := range sorted(c.r.Exceptions) {
		p, e := "exceptions."+code, c.r.Exceptions[code]
		if e.Code != "" && e.Code != code {
			c.add(p+".code", "must be the key it is under (%s), got %q", code, e.Code)
		}
		c.eccnList(p+".items", e.Items)
		if e.NoticeDays != nil && *e.NoticeDays < 0 {
			c.add(p+".notice_days", "must not be negative, got %d", *e.NoticeDays)
		}
		if e.From != "" && e.CoveredD1D4Until != "" && e.CoveredD1D4Until <= e.From {
			c.add(p+".covered_d1_d4_until", "must be after from (%s), got %s", e.From, e.CoveredD1D4Until)
		}
	}
	for _, code := range requiredExceptions {
		_, ok := c.r.Exceptions[code]
		c.required("exceptions", code, ok, "policies/chipcheck/authorization reads it")
	}
	// The NAC checks read the notice period and the date ACA was split off.
	if nac, ok := c.r.Exceptions["NAC"]; ok {
		c.required("exceptions.NAC", "notice_days", nac.NoticeDays != nil, "the NAC notice check reads it")
		c.required("exceptions.NAC", "covered_d1_d4_until", nac.CoveredD1D4Until != "", "the NAC destination check reads it")
	}
}

func (c *checker) gp10() {
	g := c.r.GP10
	if c.nonEmpty("gp10.designer_countries", len(g.DesignerCountries), "country") {
		c.countryList("gp10.designer_countries", g.DesignerCountries)
	}
	c.eccnList("gp10.items", g.Items)
	for i, code := range g.CarveOutEndUses {
		if _, ok := c.r.EndUse.Codes[code]; !ok && c.have("end_use") {
			c.add(at("gp10.carve_out_end_uses", i), "unknown end-use code %q (not in end_use.yaml codes)", code)
		}
	}
	c.interval("gp10", g.From, g.Until)
}

func (c *checker) isInformed() {
	ids := map[string]int{}
	for i, l := range c.r.IsInformed.Letters {
		p := at("is_informed.letters", i)
		if j, dup := ids[l.ID]; dup && l.ID != "" {
			c.add(p+".id", "%q is also the id of letter %d", l.ID, j)
		}
		ids[l.ID] = i
		if strings.TrimSpace(l.Addressee) == "" {
			c.add(p+".addressee", "must not be empty")
		}
		for k, n := range l.Aliases {
			if strings.TrimSpace(n) == "" {
				c.add(at(p+".aliases", k), "must not be empty")
			}
		}
		if l.Confidence != "" && !slices.Contains(confidences, l.Confidence) {
			c.add(p+".confidence", "must be one of %s, got %q", strings.Join(confidences, ", "), l.Confidence)
		}
		for k, id := range l.Catalog {
			if _, ok := c.r.Catalog.Entries[id]; !ok && c.have("catalog") {
				c.add(at(p+".catalog", k), "unknown catalog entry id %q (a letter names entries by id, not alias)", id)
			}
		}
		for _, k := range sorted(l.Reaches) {
			if !slices.Contains(reachFigures, k) {
				c.add(p+".reaches."+k, "unknown chip figure %q (want one of %s)", k, strings.Join(reachFigures, ", "))
				continue
			}
			c.positive(p+".reaches."+k, l.Reaches[k])
		}
		if len(l.Catalog)+len(l.Reaches) == 0 {
			c.add(p, "covers no item: give catalog entries or reaches figures")
		}
		c.set(p+".destinations", l.Destinations)
		c.interval(p, l.From, l.Until)
	}
}

func (c *checker) license() {
	l := c.r.License
	for _, k := range sorted(l.TreatAs) {
		c.country("license.treat_as."+k, k)
		c.country("license.treat_as."+k, l.TreatAs[k])
	}
	if l.Domestic != "" {
		c.country("license.domestic", l.Domestic)
	}
	for _, name := range sorted(l.Sets) {
		c.set("license.sets."+name, l.Sets[name])
	}
	for _, name := range requiredSets {
		_, ok := l.Sets[name]
		c.required("license.sets", name, ok, "the policies read it by name")
	}
	for _, vs := range []struct {
		path string
		list []licenseVersion
	}{{"license.destination", l.Destination}, {"license.headquarters", l.Headquarters}, {"license.hbm", l.HBM}} {
		froms := make([]Date, len(vs.list))
		for i, v := range vs.list {
			froms[i] = v.From
			c.set(at(vs.path, i), v.countrySet)
			c.eccnList(at(vs.path, i)+".items", v.Items)
		}
		c.versions(vs.path, froms)
	}
	const p = "license.review_policy.case_by_case"
	b := l.ReviewPolicy.CaseByCase
	if c.nonEmpty(p+".ship_from", len(b.ShipFrom), "country") {
		c.countryList(p+".ship_from", b.ShipFrom)
	}
	if c.nonEmpty(p+".destinations", len(b.Destinations), "country") {
		c.countryList(p+".destinations", b.Destinations)
	}
	c.positive(p+".tpp_below", b.TPPBelow)
	c.positive(p+".dram_bandwidth_below_gbs", b.DRAMBandwidthBelowGBs)
}

func (c *checker) redFlags() {
	c.nonEmpty("red_flags.flags", len(c.r.RedFlags.Flags), "flag")
}

func (c *checker) screening() {
	s := c.r.Screening
	c.share("screening.review_threshold", s.ReviewThreshold)
	c.share("screening.deny_threshold", s.DenyThreshold)
	if c.ok("screening.review_threshold", "screening.deny_threshold") && s.DenyThreshold < s.ReviewThreshold {
		c.add("screening.deny_threshold", "must be at least review_threshold (%s), got %s", num(s.ReviewThreshold), num(s.DenyThreshold))
	}
	for _, code := range sorted(s.Lists) {
		p, l := "screening.lists."+code, s.Lists[code]
		switch {
		case l.Outcome == "":
			// required, reported
		case !slices.Contains(outcomes, l.Outcome):
			c.add(p+".outcome", "must be one of %s, got %q", strings.Join(outcomes, ", "), l.Outcome)
		case !l.Restricts && l.Outcome != "review" && c.ok(p+".restricts"):
			// The policy reviews every hit on such a list.
			c.add(p+".outcome", "must be review for a list that does not restrict exports (restricts: false), got %s", l.Outcome)
		case l.Restricts && l.Outcome == "allow":
			c.add(p+".outcome", "a strong hit on a list that restricts exports must not be allowed: want deny or review")
		}
	}
	for _, code := range listCodes {
		_, ok := s.Lists[code]
		c.required("screening.lists", code, ok, "the list loader assigns this code; give name, restricts, outcome and citation")
	}
	c.matcher(s)
}

// matcher checks the matcher's scores, and that they keep the promises
// the README makes of them.
func (c *checker) matcher(s Screening) {
	const p = "screening.matcher."
	m := s.Matcher
	c.share(p+"containment_floor", m.ContainmentFloor)
	c.share(p+"acronym_score", m.AcronymScore)
	c.share(p+"min_token_similarity", m.MinTokenSimilarity)
	for _, f := range []struct {
		key string
		v   float64
	}{{"country_bonus", m.CountryBonus}, {"country_penalty", m.CountryPenalty}} {
		if f.v < 0 || f.v >= 1 {
			c.add(p+f.key, "must be in [0, 1), got %s", num(f.v))
		}
	}
	review, deny := s.ReviewThreshold, s.DenyThreshold
	th := []string{"screening.review_threshold", "screening.deny_threshold"}
	type rule struct {
		key  string   // where the problem is reported
		deps []string // what it reads besides the thresholds
		ok   bool
		msg  string
	}
	floor, pen, acr := m.ContainmentFloor, m.CountryPenalty, m.AcronymScore
	// Sums are compared with a little slack, so that 0.88 - 0.07 is 0.81.
	atLeast := func(a, b float64) bool { return a >= b-1e-9 }
	for _, r := range []rule{
		{"containment_floor", nil, atLeast(floor, review),
			"must be at least review_threshold (%[2]s), got %[1]s: a name holding a listed name whole must be reviewed"},
		{"containment_floor", nil, !atLeast(floor, deny),
			"must be below deny_threshold (%[3]s), got %[1]s: containment alone must not deny"},
		{"country_penalty", []string{"containment_floor"}, atLeast(floor-pen, review),
			"containment_floor - country_penalty (%[4]s) must be at least review_threshold (%[2]s): a contained name in another country must still be reviewed"},
		{"country_penalty", nil, atLeast(1-pen, review) && !atLeast(1-pen, deny),
			"1 - country_penalty (%[5]s) must be at least review_threshold (%[2]s) and below deny_threshold (%[3]s): the same name in another country is a review, not a deny"},
		{"acronym_score", nil, atLeast(acr, review) && !atLeast(acr, deny),
			"must be at least review_threshold (%[2]s) and below deny_threshold (%[3]s), got %[6]s: an acronym match is reviewed, never denied"},
	} {
		deps := append(slices.Clone(th), p+r.key)
		for _, d := range r.deps {
			deps = append(deps, p+d)
		}
		if !r.ok && c.ok(deps...) {
			c.add(p+r.key, r.msg, num(floor), num(review), num(deny), num(round9(floor-pen)), num(round9(1-pen)), num(acr))
		}
	}
}

func (c *checker) catalog() {
	entries := c.r.Catalog.Entries
	c.nonEmpty("catalog.entries", len(entries), "entry")
	claim := c.names().claim // an id or alias names one entry
	ids := sorted(entries)
	for _, id := range ids {
		claim("catalog.entries."+id, id, id)
	}
	for _, id := range ids {
		p, e := "catalog.entries."+id, entries[id]
		for i, a := range e.Aliases {
			claim(at(p+".aliases", i), id, a)
		}
		c.chip(p, e)
	}
}

// chip checks a catalog entry as a chip specification.
func (c *checker) chip(p string, e CatalogEntry) {
	if e.DesignerCountry != "" {
		c.country(p+".designer_country", e.DesignerCountry)
	}
	c.optPositive(p+".die_area_mm2", e.DieAreaMM2)
	c.optPositive(p+".memory_bandwidth_gbs", e.MemoryBandwidthGBs)
	// 0 is a chip with no chip-to-chip interconnect.
	if e.InterconnectGBs != nil && *e.InterconnectGBs < 0 {
		c.add(p+".interconnect_gbs", "must not be negative, got %s", num(*e.InterconnectGBs))
	}
	c.perfs(p+".performance", e.Performance)
	for i, d := range e.Dies {
		dp := at(p+".dies", i)
		c.optPositive(dp+".count", d.Count)
		c.optPositive(dp+".die_area_mm2", d.DieAreaMM2)
		c.perfs(dp+".performance", d.Performance)
	}
	if h := e.HBM; h != nil {
		c.positive(p+".hbm.bandwidth_gbs", h.BandwidthGBs)
		c.positive(p+".hbm.package_area_mm2", h.PackageAreaMM2)
		if len(e.Performance)+len(e.Dies) > 0 || e.DieAreaMM2 != nil {
			c.add(p+".hbm", "a bare HBM stack has no performance, dies or die_area_mm2")
		}
	}
	if e.Released != nil && (*e.Released < 1900 || *e.Released > 2100) {
		c.add(p+".released", "expected a year, got %d", *e.Released)
	}
}

// perfs checks a performance list: positive figures, each format once.
func (c *checker) perfs(path string, ps []CatalogPerf) {
	seen := map[string]int{}
	for i, pf := range ps {
		p := at(path, i)
		c.positive(p+".bits", pf.Bits)
		c.positive(p+".tops", pf.TOPS)
		if j, dup := seen[pf.Format]; dup && pf.Format != "" {
			c.add(p+".format", "format %q is also given at %s (one rate per format)", pf.Format, at(path, j))
		}
		seen[pf.Format] = i
	}
}
