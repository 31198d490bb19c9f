package rules

import (
	"maps"
	"slices"
)

// --- onboarding.yaml -----------------------------------------------------------

// Onboarding is rules/onboarding.yaml: the thresholds, jurisdictions, models
// and dates that model-access onboarding applications are judged with
// (internal/onboarding computes the facts, policies/access/onboarding
// judges them).
type Onboarding struct {
	RestrictedCountries []string                   `yaml:"restricted_countries" rules:"required"`
	RestrictedCitation  string                     `yaml:"restricted_citation" rules:"required"`
	Ownership           OnboardingOwnership        `yaml:"ownership" rules:"required"`
	Sanctions           OnboardingSanctions        `yaml:"sanctions" rules:"required"`
	AffiliatesRule      AffiliatesRule             `yaml:"affiliates_rule" rules:"required"`
	Models              map[string]OnboardingModel `yaml:"models" rules:"required"`
	Geography           onboardingGeography        `yaml:"geography" rules:"required"`
	Resellers           onboardingResellers        `yaml:"resellers" rules:"required"`
	IDDocuments         onboardingIDDocuments      `yaml:"id_documents" rules:"required"`
}

// OnboardingOwnership holds the ownership roll-up's thresholds.
type OnboardingOwnership struct {
	RestrictedDenyAbovePct      float64 `yaml:"restricted_deny_above_pct" rules:"required"`
	RestrictedReviewFromPct     float64 `yaml:"restricted_review_from_pct" rules:"required"`
	UnestablishedReviewAbovePct float64 `yaml:"unestablished_review_above_pct" rules:"required"`
	// MaxSteps bounds the walk over ownership chains (a structure that
	// needs more is not established).
	MaxSteps int    `yaml:"max_steps" rules:"required"`
	Citation string `yaml:"citation" rules:"required"`
}

// OnboardingSanctions is the OFAC 50 Percent Rule: owners on Lists, summed.
type OnboardingSanctions struct {
	SDNDenyFromPct float64  `yaml:"sdn_deny_from_pct" rules:"required"`
	Lists          []string `yaml:"lists" rules:"required"`
	Citation       string   `yaml:"citation" rules:"required"`
}

// AffiliatesRule is the BIS Affiliates Rule: dated, switchable, with its
// suspensions.
type AffiliatesRule struct {
	Enabled               bool         `yaml:"enabled" rules:"required"`
	From                  Date         `yaml:"from" rules:"required"`
	Suspended             []Suspension `yaml:"suspended"`
	Lists                 []string     `yaml:"lists" rules:"required"`
	DenyFromPct           float64      `yaml:"deny_from_pct" rules:"required"`
	MinorityReviewFromPct float64      `yaml:"minority_review_from_pct" rules:"required"`
	Citation              string       `yaml:"citation" rules:"required"`
}

// Suspension is a period [From, Until) in which a rule is not in force.
type Suspension struct {
	From   Date   `yaml:"from" rules:"required"`
	Until  Date   `yaml:"until" rules:"required"`
	Source string `yaml:"source"`
}

// OnboardingModel is one model the provider serves and its licence gate.
type OnboardingModel struct {
	Name                     string       `yaml:"name" rules:"required"`
	LicenceForForeignPersons *datedPeriod `yaml:"licence_for_foreign_persons"`
	TrustedFrom              Date         `yaml:"trusted_from"`
	TrustedPartners          []string     `yaml:"trusted_partners"`
	Citation                 string       `yaml:"citation" rules:"required"`
}

type datedPeriod struct {
	From  Date `yaml:"from" rules:"required"`
	Until Date `yaml:"until"`
}

type onboardingGeography struct {
	MismatchReviewMinCountries int      `yaml:"mismatch_review_min_countries" rules:"required"`
	ReviewIPTypes              []string `yaml:"review_ip_types"`
	Citation                   string   `yaml:"citation" rules:"required"`
}

type onboardingResellers struct {
	Authorized            []string `yaml:"authorized"`
	ReviewMinEmailDomains int      `yaml:"review_min_email_domains" rules:"required"`
	UseCaseTerms          []string `yaml:"use_case_terms"`
	Citation              string   `yaml:"citation" rules:"required"`
}

type onboardingIDDocuments struct {
	ReuseWindowDays int    `yaml:"reuse_window_days" rules:"required"`
	Citation        string `yaml:"citation" rules:"required"`
}

// IPTypes are the sign-up IP types an onboarding record may give.
var IPTypes = []string{"residential", "mobile", "business", "hosting", "vpn", "tor", "proxy"}

// Onboarding returns the onboarding rules (rules/onboarding.yaml). The
// models map is a copy.
func (s *Set) Onboarding() Onboarding {
	o := s.typed.Onboarding
	o.Models = maps.Clone(o.Models)
	return o
}

// Model reports whether id is a model of rules/onboarding.yaml.
func (s *Set) Model(id string) bool {
	_, ok := s.typed.Onboarding.Models[id]
	return ok
}

func (c *checker) onboarding() {
	o, p := c.r.Onboarding, "onboarding"
	if c.nonEmpty(p+".restricted_countries", len(o.RestrictedCountries), "country") {
		c.countryList(p+".restricted_countries", o.RestrictedCountries)
	}
	own := o.Ownership
	c.pct(p+".ownership.restricted_deny_above_pct", own.RestrictedDenyAbovePct)
	c.pct(p+".ownership.restricted_review_from_pct", own.RestrictedReviewFromPct)
	if own.RestrictedReviewFromPct > own.RestrictedDenyAbovePct {
		c.add(p+".ownership.restricted_review_from_pct", "must be at most restricted_deny_above_pct (%s), got %s", num(own.RestrictedDenyAbovePct), num(own.RestrictedReviewFromPct))
	}
	if v := own.UnestablishedReviewAbovePct; v < 0 || v >= 100 {
		c.add(p+".ownership.unestablished_review_above_pct", "must be in [0, 100), got %s", num(v))
	}
	if own.MaxSteps < 1 {
		c.add(p+".ownership.max_steps", "must be at least 1, got %d", own.MaxSteps)
	}
	c.pct(p+".sanctions.sdn_deny_from_pct", o.Sanctions.SDNDenyFromPct)
	c.listCodes(p+".sanctions.lists", o.Sanctions.Lists)
	a, ap := o.AffiliatesRule, p+".affiliates_rule"
	c.listCodes(ap+".lists", a.Lists)
	c.pct(ap+".deny_from_pct", a.DenyFromPct)
	c.pct(ap+".minority_review_from_pct", a.MinorityReviewFromPct)
	if a.MinorityReviewFromPct > a.DenyFromPct {
		c.add(ap+".minority_review_from_pct", "must be at most deny_from_pct (%s), got %s", num(a.DenyFromPct), num(a.MinorityReviewFromPct))
	}
	for i, s := range a.Suspended {
		c.interval(at(ap+".suspended", i), s.From, s.Until)
	}
	c.nonEmpty(p+".models", len(o.Models), "model")
	for _, id := range sorted(o.Models) {
		m, mp := o.Models[id], p+".models."+id
		if l := m.LicenceForForeignPersons; l != nil {
			c.interval(mp+".licence_for_foreign_persons", l.From, l.Until)
		}
		if len(m.TrustedPartners) > 0 && m.TrustedFrom == "" {
			c.add(mp+".trusted_from", "required: trusted_partners are exempt only from a date")
		}
	}
	if n := o.Geography.MismatchReviewMinCountries; n < 2 {
		c.add(p+".geography.mismatch_review_min_countries", "must be at least 2, got %d", n)
	}
	for i, t := range o.Geography.ReviewIPTypes {
		if !slices.Contains(IPTypes, t) {
			c.add(at(p+".geography.review_ip_types", i), "unknown IP type %q (want one of %v)", t, IPTypes)
		}
	}
	if n := o.Resellers.ReviewMinEmailDomains; n < 2 {
		c.add(p+".resellers.review_min_email_domains", "must be at least 2, got %d", n)
	}
	if n := o.IDDocuments.ReuseWindowDays; n < 1 {
		c.add(p+".id_documents.reuse_window_days", "must be at least 1, got %d", n)
	}
}

// pct checks a percentage threshold in (0, 100].
func (c *checker) pct(path string, v float64) {
	if v <= 0 || v > 100 {
		c.add(path, "must be in (0, 100], got %s", num(v))
	}
}

// listCodes checks a non-empty list of restricted-party list codes.
func (c *checker) listCodes(path string, codes []string) {
	if !c.nonEmpty(path, len(codes), "list code") {
		return
	}
	for i, code := range codes {
		if !slices.Contains(listCodes, code) {
			c.add(at(path, i), "unknown list code %q (want one of %v)", code, listCodes)
		}
	}
}
