package onboarding

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// party is one name screened: the organisation, an owner, a beneficial
// owner or an officer.
type party struct {
	role, name, country string
	entity              string // the ownership entity it is, if any
}

// parties lists every name an application asks to screen, in record order.
func parties(a *Application) []party {
	c := a.Customer
	country := c.Country
	if country == "" && c.Registration != nil {
		country = c.Registration.Country
	}
	out := []party{{role: "customer", name: c.LegalName, country: country}}
	o := a.Ownership
	if o == nil {
		return out
	}
	for _, id := range o.EntityOrder {
		e := o.Entities[id]
		out = append(out, party{role: "owner " + id, name: e.Name, country: cmp.Or(e.HQ, e.Incorporation), entity: id})
	}
	for _, p := range o.BeneficialOwners {
		out = append(out, party{role: "beneficial owner", name: p.Name, country: cmp.Or(p.ResidenceCountry, first(p.Nationality))})
	}
	for _, p := range o.Officers {
		out = append(out, party{role: "officer", name: p.Name, country: first(p.Nationality)})
	}
	return out
}

// screened is what screening found for one application.
type screened struct {
	hits       []decision.Hit      // every hit, for the decision
	staged     []decision.Hit      // the hits the screening stage judges
	unscreened []string            // roles whose name holds nothing to screen
	designated map[string][]string // entity -> list codes of its strong hits and declarations
}

// screen screens every party of a, and says which ownership entities are
// on which lists: a hit scoring at least denyScore (rules/screening.yaml
// deny_threshold), or the record's own declaration. A strong hit of an
// owner on one of ownerLists (the lists the OFAC and Affiliates rules
// aggregate) is judged by the ownership rules, which weigh the stake;
// every other hit by the screening stage, as on an order.
func screen(a *Application, s orders.Screener, denyScore float64, ownerLists []string) screened {
	out := screened{designated: map[string][]string{}}
	if a.Ownership != nil {
		for id, e := range a.Ownership.Entities {
			for _, code := range e.Designations {
				out.designated[id] = appendNew(out.designated[id], code)
			}
		}
	}
	if s == nil {
		return out
	}
	for _, p := range parties(a) {
		if !s.Screenable(p.name) {
			out.unscreened = append(out.unscreened, p.role)
			continue
		}
		hits := s.Screen(p.role, orders.Party{Name: p.name, Country: p.country})
		for _, h := range hits {
			if p.entity != "" && h.Score >= denyScore && slices.Contains(ownerLists, h.List) {
				out.designated[p.entity] = appendNew(out.designated[p.entity], h.List)
				continue
			}
			out.staged = append(out.staged, h)
		}
		out.hits = append(out.hits, hits...)
	}
	return out
}

// ownershipInput is the roll-up of a's ownership, as the policy sees it.
func ownershipInput(a *Application, ob rules.Onboarding, designated map[string][]string) map[string]any {
	g := newGraph(a.Ownership, ob.Ownership.MaxSteps)
	// A natural person counts by the country the record gives for it:
	// declaring a restricted parent a person must not hide it.
	restricted := func(id string) bool {
		e := g.entities[id]
		return e != nil && slices.Contains(ob.RestrictedCountries, cmp.Or(e.HQ, e.Incorporation))
	}
	on := func(lists []string) func(id string) bool {
		return func(id string) bool {
			return slices.ContainsFunc(designated[id], func(c string) bool { return slices.Contains(lists, c) })
		}
	}
	parents := g.share(g.root)
	established := g.share(g.terminal)
	rw := g.share(restricted)
	sdn := on(ob.Sanctions.Lists)
	aff := on(ob.AffiliatesRule.Lists)
	sdnAgg, sdnOwners := g.aggregate(sdn, ob.Sanctions.SDNDenyFromPct)
	affAgg, affOwners := g.aggregate(aff, ob.AffiliatesRule.DenyFromPct)
	sdnW, affW := g.share(sdn), g.share(aff)

	status, required := "", a.Customer.Type == LegalEntity
	if a.Ownership != nil {
		status = a.Ownership.Status
	}
	estPct := established.Pct
	if a.Customer.Listed {
		estPct = 100
	}
	complete := parents.Complete && established.Complete && rw.Complete && sdnW.Complete && affW.Complete
	cycles := make([]any, len(parents.Cycles))
	for i, c := range parents.Cycles {
		cycles[i] = g.names(c)
	}
	listed := []any{}
	if a.Ownership != nil {
		for _, id := range a.Ownership.EntityOrder {
			if len(designated[id]) == 0 {
				continue
			}
			// The walk to the roots meets every owner on every chain.
			m := g.entityFacts(id)
			m["lists"], m["effective_pct"] = anys(designated[id]), parents.Reach[id]
			listed = append(listed, m)
		}
	}
	return map[string]any{
		"listed_owners":     listed,
		"required":          required && !a.Customer.Listed,
		"status":            status,
		"complete":          complete,
		"established_pct":   estPct,
		"unestablished_pct": round6(max(0, 100-estPct)),
		"cycles":            cycles,
		"ultimate_parents":  g.parents(parents),
		"restricted":        map[string]any{"pct": rw.Pct, "chains": g.chains(rw.Chains)},
		"sdn":               map[string]any{"aggregate_pct": sdnAgg, "effective_pct": sdnW.Pct, "owners": g.entityList(sdnOwners, designated), "chains": g.chains(sdnW.Chains)},
		"affiliates":        map[string]any{"aggregate_pct": affAgg, "effective_pct": affW.Pct, "owners": g.entityList(affOwners, designated), "chains": g.chains(affW.Chains)},
	}
}

// maxChains is how many chains of one kind a decision shows (the largest).
const maxChains = 5

// chains are the largest chains, each entity named, as evidence.
func (g *graph) chains(cs []chain) []any {
	out := []any{}
	for _, c := range cs[:min(len(cs), maxChains)] {
		steps := make([]any, len(c.Nodes))
		for i, id := range c.Nodes {
			st := g.entityFacts(id)
			if i < len(c.Stakes) {
				st["stake_pct"] = c.Stakes[i]
			}
			steps[i] = st
		}
		out = append(out, map[string]any{"pct": c.Pct, "steps": steps})
	}
	return out
}

func (g *graph) entityFacts(id string) map[string]any {
	m := map[string]any{"id": id}
	if e := g.entities[id]; e != nil {
		m["name"], m["type"], m["hq"] = e.Name, e.Type, cmp.Or(e.HQ, e.Incorporation)
	}
	return m
}

func (g *graph) entityList(ids []string, designated map[string][]string) []any {
	out := []any{}
	for _, id := range ids {
		m := g.entityFacts(id)
		m["lists"] = anys(designated[id])
		out = append(out, m)
	}
	return out
}

// names are the entities of a cycle, by name and id.
func (g *graph) names(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = g.entityFacts(id)
	}
	return out
}

// parents are the ultimate owners (entities without owners) a walk
// reached, with their effective shares, largest first.
func (g *graph) parents(w walk) []any {
	var ids []string
	for id := range w.Reach {
		if g.root(id) {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(w.Reach[b], w.Reach[a]), cmp.Compare(a, b)) })
	out := make([]any, len(ids))
	for i, id := range ids {
		m := g.entityFacts(id)
		m["pct"] = w.Reach[id]
		out[i] = m
	}
	return out
}

// usersInput is the users as the licence gates and country checks see them.
func usersInput(us []User) []any {
	out := make([]any, len(us))
	for i, u := range us {
		m := map[string]any{"user_id": u.UserID, "nationality": anys(u.Nationality), "us_person": u.USPerson, "email_domain": u.EmailDomain}
		if u.Phone != nil {
			m["phone_country"], m["phone_line"] = u.Phone.Country, u.Phone.LineType
		}
		if u.IDDoc != nil {
			m["id_doc_country"] = u.IDDoc.Country
		}
		out[i] = m
	}
	return out
}

func billingInput(b *Billing) map[string]any {
	if b == nil {
		return map[string]any{"address_country": "", "instruments": []any{}}
	}
	ins := make([]any, len(b.Instruments))
	for i, in := range b.Instruments {
		var cs []string
		for _, c := range []string{in.BINCountry, in.IssuerCountry, in.BankCountry} {
			if c != "" {
				cs = appendNew(cs, c)
			}
		}
		ins[i] = map[string]any{"kind": in.Kind, "primary": in.Primary, "countries": anys(cs)}
	}
	return map[string]any{"address_country": b.AddressCountry, "instruments": ins}
}

func customerInput(c Customer) map[string]any {
	m := map[string]any{
		"type":                       c.Type,
		"org_id":                     c.OrgID,
		"country":                    c.Country,
		"headquarters":               c.Headquarters,
		"operating_countries":        anys(c.OperatingCountries),
		"is_reseller":                c.IsReseller,
		"reseller_authorization_ref": c.ResellerAuthRef,
		"declared_use_case":          strings.ToLower(c.DeclaredUseCase),
		"listed":                     c.Listed,
		"registration_country":       "",
	}
	if c.Registration != nil {
		m["registration_country"] = c.Registration.Country
	}
	return m
}

func signupInput(s *Signup) map[string]any {
	if s == nil {
		return map[string]any{"ip_country": "", "ip_type": "", "path": ""}
	}
	return map[string]any{"ip_country": s.IPCountry, "ip_type": s.IPType, "path": s.Path}
}

// reuse is an identity document of this application that verified another
// organisation's earlier application.
type reuse struct {
	holder, other, otherDate string
	days                     int
}

// maxReuses bounds the reuses one decision lists.
const maxReuses = 20

// idReuse finds, over the whole batch in input order, each identity
// document that verifies more than one organisation: for every
// application, the earlier applications of other organisations whose
// users or beneficial owners gave the same document (by its keyed hash).
// An organisation is its registration (country and number), else its
// org_id, else the application itself.
func idReuse(apps []*Application) [][]reuse {
	type use struct {
		app       int
		org, date string
		holder    string
	}
	byDoc := map[string][]use{}
	out := make([][]reuse, len(apps))
	for i, a := range apps {
		org := orgKey(a)
		seen := map[string]bool{}
		add := func(holder string, d *IDDoc) {
			if d == nil || d.NumberHMAC == "" || seen[d.NumberHMAC] {
				return
			}
			seen[d.NumberHMAC] = true
			u := use{app: i, org: org, date: cmp.Or(d.VerifiedAt, a.Date), holder: holder}
			for _, prev := range byDoc[d.NumberHMAC] {
				if prev.org == org || len(out[i]) >= maxReuses {
					continue
				}
				// The earlier of the two is the first verification.
				first, second := prev, u
				if u.date < prev.date {
					first, second = u, prev
				}
				out[second.app] = append(out[second.app], reuse{holder: second.holder, other: apps[first.app].ID, otherDate: first.date, days: daysBetween(first.date, second.date)})
			}
			byDoc[d.NumberHMAC] = append(byDoc[d.NumberHMAC], u)
		}
		for _, u := range a.Users {
			add("user "+u.UserID, u.IDDoc)
		}
		if a.Ownership != nil {
			for _, p := range a.Ownership.BeneficialOwners {
				add("beneficial owner", p.IDDoc)
			}
		}
	}
	return out
}

func orgKey(a *Application) string {
	if r := a.Customer.Registration; r != nil && r.Number != "" {
		// With the name: another organisation that gives the same
		// registration number is not the same organisation.
		return "reg:" + r.Country + ":" + strings.ToUpper(strings.Join(strings.Fields(r.Number), "")) + ":" + foldName(a.Customer.LegalName)
	}
	if a.Customer.OrgID != "" {
		return "org:" + a.Customer.OrgID
	}
	return "app:" + a.ID
}

// foldName is a name with case, punctuation and spacing removed.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return -1
	}
	return int(tb.Sub(ta).Hours() / 24)
}

func appendNew(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}
