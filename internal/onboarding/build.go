package onboarding

// Validation: the builder that turns an onboarding record's nodes into an
// Application, checking every field, so that a misspelt key, an unknown
// country or model, or an ownership graph that does not add up is refused
// with file, line and field before anything is decided.

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// Limits on one record: far above any real application, low enough that
// a hostile file cannot make one record cost much.
const (
	maxEntities = 1000
	maxEdges    = 5000
	maxUsers    = 10000
	maxPersons  = 1000
)

// Vocabulary is what validation checks codes against (rules.Set).
type Vocabulary interface {
	Country(code string) bool
	Model(id string) bool
}

// Kinds returns the kind this domain reads, checked against rs.
func Kinds(rs *rules.Set) []record.Kind {
	lists := slices.Sorted(maps.Keys(rs.Screening().Lists))
	return []record.Kind{{Name: KindOnboarding, UniqueIDs: true, Build: func(d *record.Decoder, n *record.Node) (any, string) {
		b := builder{Decoder: d, vocab: rs, lists: lists}
		a := b.application(n)
		return a, a.ID
	}}}
}

type builder struct {
	*record.Decoder
	vocab Vocabulary
	lists []string
}

var (
	applicationFields = []string{"kind", "id", "received_at", "policy_version", "provider", "requested_models", "customer",
		"ownership", "users", "billing", "signup_context", "attestations", "notes"}
	customerFields     = []string{"type", "org_id", "legal_name", "name_normalized", "country", "registration", "headquarters", "operating_countries", "declared_use_case", "website_domain", "domain_created", "is_reseller", "reseller_authorization_ref", "listed"}
	registrationFields = []string{"country", "number", "verified_via"}
	ownershipFields    = []string{"status", "source", "edges", "entities", "beneficial_owners", "officers"}
	edgeFields         = []string{"owner", "owned", "pct"}
	entityFields       = []string{"name", "type", "incorporation", "hq_country", "listed", "designations"}
	personFields       = []string{"name", "role", "nationality", "residence_country", "effective_pct", "id_doc"}
	idDocFields        = []string{"type", "country", "number_hmac", "verified", "verified_at"}
	userFields         = []string{"user_id", "email_hmac", "email_domain", "phone", "nationality", "us_person", "id_doc"}
	phoneFields        = []string{"hmac", "country", "line_type"}
	billingFields      = []string{"address_country", "instruments"}
	instrumentFields   = []string{"kind", "fingerprint_hmac", "account_hmac", "bin_country", "issuer_country", "bank_country", "primary"}
	signupFields       = []string{"ip", "ip_country", "asn", "ip_type", "device_fingerprint_hmac", "tls_ja4", "user_agent", "timezone_offset_min", "locale", "signup_path"}
	attestationFields  = []string{"no_competing_model_training", "no_resale", "not_majority_restricted_owned"}

	customerTypes   = []string{Individual, LegalEntity}
	ownershipStates = []string{"verified", "partial", "unknown"}
	entityTypes     = []string{Company, NatPerson, Government}
	lineTypes       = []string{"mobile", "voip", "landline"}
	instrumentKinds = []string{"card", "bank", "crypto", "invoice"}
)

func top(key string) record.Path { return (*record.Path)(nil).Key(key) }

func (b *builder) country(m *record.Node, p *record.Path, key string, required bool) string {
	return b.Decoder.Country(m, p, key, required, b.vocab.Country)
}

// oneOf reads an optional string that must be one of vals.
func (b *builder) oneOf(m *record.Node, p *record.Path, key string, vals []string, required bool) string {
	n := b.Field(m, p, key)
	if n == nil {
		if required {
			b.Required(m, p, key)
		}
		return ""
	}
	f := p.Key(key)
	s := b.Text(n, &f)
	if s != "" && !slices.Contains(vals, s) {
		b.Addf(n.Line(), &f, "must be one of %s, got %q", strings.Join(vals, ", "), s)
	} else if s == "" && required && n.Kind().Scalar() {
		b.Addf(n.Line(), &f, "required")
	}
	return s
}

func (b *builder) flag(m *record.Node, p *record.Path, key string) bool {
	v := b.Bool(m, p, key)
	return v != nil && *v
}

// each calls fn on every element of list key of m, at most max of them.
func (b *builder) each(m *record.Node, p *record.Path, key string, max int, fn func(e *record.Node, f *record.Path)) {
	l := b.List(m, p, key)
	if l == nil {
		return
	}
	lf := p.Key(key)
	if l.Len() > max {
		b.Addf(l.Line(), &lf, "%d entries, more than the %d one record may give", l.Len(), max)
		return
	}
	for i, e := 0, l.First(); e != nil; i, e = i+1, e.Next() {
		f := lf.At(i)
		if b.IsMap(e, &f) {
			fn(e, &f)
		}
	}
}

// countries reads a list of country codes.
func (b *builder) countries(m *record.Node, p *record.Path, key string) []string {
	return b.Codes(m, p, key, b.vocab.Country, "country")
}

func (b *builder) application(m *record.Node) *Application {
	b.Only(m, nil, applicationFields)
	a := &Application{}
	a.ID = b.ReqStr(m, nil, "id")
	a.Date = b.DateOrTime(m, nil, "received_at", true)
	b.Str(m, nil, "policy_version")
	a.Provider = b.Str(m, nil, "provider")
	a.RequestedModels = b.Codes(m, nil, "requested_models", b.vocab.Model, "model")
	if len(a.RequestedModels) == 0 && !m.Given("requested_models") {
		f := top("requested_models")
		b.Addf(m.Line(), &f, "required: the models applied for")
	}
	if n := b.Field(m, nil, "customer"); n != nil {
		f := top("customer")
		if b.IsMap(n, &f) {
			a.Customer = b.customer(n, &f)
		}
	} else {
		b.Required(m, nil, "customer")
	}
	if n := b.Field(m, nil, "ownership"); n != nil {
		f := top("ownership")
		if b.IsMap(n, &f) {
			a.Ownership = b.ownership(n, &f)
		}
	}
	userIDs, before := map[string]int{}, b.Reported()
	b.each(m, nil, "users", maxUsers, func(e *record.Node, f *record.Path) {
		u := b.user(e, f)
		if first, dup := userIDs[u.UserID]; dup && u.UserID != "" {
			uf := f.Key("user_id")
			b.Addf(e.Line(), &uf, "user %q is given twice (first on line %d)", u.UserID, first)
		}
		userIDs[u.UserID] = e.Line()
		a.Users = append(a.Users, u)
	})
	if len(a.Users) == 0 && b.Reported() == before {
		f := top("users")
		b.Addf(m.Line(), &f, "required: at least one user, every person who will use the models, with nationality and us_person")
	}
	if n := b.Field(m, nil, "billing"); n != nil {
		f := top("billing")
		if b.IsMap(n, &f) {
			a.Billing = b.billing(n, &f)
		}
	}
	if n := b.Field(m, nil, "signup_context"); n != nil {
		f := top("signup_context")
		if b.IsMap(n, &f) {
			a.Signup = b.signup(n, &f)
		}
	}
	if n := b.Field(m, nil, "attestations"); n != nil {
		f := top("attestations")
		if b.IsMap(n, &f) {
			b.Only(n, &f, attestationFields)
			a.Attestations = map[string]bool{}
			for _, k := range attestationFields {
				if v := b.Bool(n, &f, k); v != nil {
					a.Attestations[k] = *v
				}
			}
		}
	}
	if a.Customer.Type == LegalEntity && a.Ownership == nil {
		f := top("ownership")
		b.Addf(m.Line(), &f, "required for a legal entity: give status (unknown if nothing is known) and the edges known")
	}
	return a
}

func (b *builder) customer(n *record.Node, p *record.Path) Customer {
	b.Only(n, p, customerFields)
	c := Customer{
		Type:            b.oneOf(n, p, "type", customerTypes, true),
		OrgID:           b.Str(n, p, "org_id"),
		LegalName:       b.Str(n, p, "legal_name"),
		Country:         b.country(n, p, "country", false),
		Headquarters:    b.country(n, p, "headquarters", false),
		DeclaredUseCase: b.Str(n, p, "declared_use_case"),
		WebsiteDomain:   b.Str(n, p, "website_domain"),
		IsReseller:      b.flag(n, p, "is_reseller"),
		ResellerAuthRef: b.Str(n, p, "reseller_authorization_ref"),
		Listed:          b.flag(n, p, "listed"),
	}
	b.Str(n, p, "name_normalized")
	b.Date(n, p, "domain_created", false)
	if !n.Given("legal_name") {
		b.Required(n, p, "legal_name")
	}
	c.OperatingCountries = b.countries(n, p, "operating_countries")
	if r := b.Field(n, p, "registration"); r != nil {
		f := p.Key("registration")
		if b.IsMap(r, &f) {
			b.Only(r, &f, registrationFields)
			c.Registration = &Registration{
				Country:     b.country(r, &f, "country", true),
				Number:      b.Str(r, &f, "number"),
				VerifiedVia: b.Str(r, &f, "verified_via"),
			}
		}
	}
	if c.Country == "" && c.Registration == nil && n.Kind() == record.MapNode {
		f := p.Key("country")
		b.Addf(n.Line(), &f, "required: the declared country (country, or registration.country)")
	}
	return c
}

func (b *builder) ownership(n *record.Node, p *record.Path) *Ownership {
	b.Only(n, p, ownershipFields)
	o := &Ownership{Entities: map[string]*Entity{}}
	o.Status = b.oneOf(n, p, "status", ownershipStates, true)
	o.Source = b.Str(n, p, "source")
	if en := b.Field(n, p, "entities"); en != nil {
		f := p.Key("entities")
		if b.IsMap(en, &f) {
			if en.Len() > maxEntities {
				b.Addf(en.Line(), &f, "%d entities, more than the %d one record may give", en.Len(), maxEntities)
			} else {
				for e := en.First(); e != nil; e = e.Next() {
					id := e.Key()
					ef := f.Key(id)
					if id == customerNode {
						b.Addf(e.Line(), &ef, "%q names the customer itself in edges; give the entity another id", customerNode)
						continue
					}
					if _, dup := o.Entities[id]; dup {
						b.Addf(e.Line(), &ef, "entity %q is given twice", id)
						continue
					}
					if b.IsMap(e, &ef) {
						o.Entities[id] = b.entity(id, e, &ef)
						o.EntityOrder = append(o.EntityOrder, id)
					}
				}
			}
		}
	}
	owned := map[string]float64{} // owned -> stakes summed
	seen := map[[2]string]int{}
	b.each(n, p, "edges", maxEdges, func(e *record.Node, f *record.Path) {
		b.Only(e, f, edgeFields)
		ed := Edge{Owner: b.ReqStr(e, f, "owner"), Owned: b.ReqStr(e, f, "owned")}
		if v := b.Number(e, f, "pct", record.Positive); v != nil {
			ed.Pct = *v
			if ed.Pct > 100 {
				pf := f.Key("pct")
				b.Addf(e.Line(), &pf, "a stake of more than 100%%: %s", fmtPct(ed.Pct))
			}
		} else if !e.Given("pct") {
			b.Required(e, f, "pct")
		}
		of, wf := f.Key("owner"), f.Key("owned")
		switch {
		case ed.Owner == customerNode:
			b.Addf(e.Line(), &of, "the customer cannot own its owners: an edge runs from owner to owned")
		case ed.Owner != "" && o.Entities[ed.Owner] == nil:
			b.Addf(e.Line(), &of, "unknown entity %q (not in ownership.entities)%s", ed.Owner, record.DidYouMean(ed.Owner, o.EntityOrder))
		}
		if ed.Owned != "" && ed.Owned != customerNode && o.Entities[ed.Owned] == nil {
			b.Addf(e.Line(), &wf, "unknown entity %q (not in ownership.entities, and not %q)%s", ed.Owned, customerNode, record.DidYouMean(ed.Owned, append([]string{customerNode}, o.EntityOrder...)))
		}
		if ed.Owner == ed.Owned && ed.Owner != "" {
			b.Addf(e.Line(), &of, "an entity cannot own itself")
		}
		k := [2]string{ed.Owner, ed.Owned}
		if first, dup := seen[k]; dup {
			b.Addf(e.Line(), f, "a second stake of %s in %s (first on line %d): give one edge with the whole stake", ed.Owner, ed.Owned, first)
		}
		seen[k] = e.Line()
		owned[ed.Owned] += ed.Pct
		if s := owned[ed.Owned]; s > 100+1e-9 && s-ed.Pct <= 100+1e-9 {
			pf := f.Key("pct")
			b.Addf(e.Line(), &pf, "the stakes in %s add up to more than 100%%", ed.Owned)
		}
		o.Edges = append(o.Edges, ed)
	})
	b.each(n, p, "beneficial_owners", maxPersons, func(e *record.Node, f *record.Path) {
		o.BeneficialOwners = append(o.BeneficialOwners, b.person(e, f))
	})
	b.each(n, p, "officers", maxPersons, func(e *record.Node, f *record.Path) {
		o.Officers = append(o.Officers, b.person(e, f))
	})
	return o
}

func (b *builder) entity(id string, n *record.Node, p *record.Path) *Entity {
	b.Only(n, p, entityFields)
	e := &Entity{
		ID:            id,
		Name:          b.Str(n, p, "name"),
		Type:          b.oneOf(n, p, "type", entityTypes, false),
		Incorporation: b.country(n, p, "incorporation", false),
		HQ:            b.country(n, p, "hq_country", false),
		Listed:        b.flag(n, p, "listed"),
		Designations:  b.Codes(n, p, "designations", func(c string) bool { return slices.Contains(b.lists, c) }, "list"),
	}
	if e.Type == "" {
		e.Type = Company
	}
	if e.Type == NatPerson && e.Listed {
		f := p.Key("listed")
		b.Addf(n.Line(), &f, "a natural person is not a publicly listed company")
	}
	return e
}

func (b *builder) person(n *record.Node, p *record.Path) Person {
	b.Only(n, p, personFields)
	ps := Person{
		Name:             b.Str(n, p, "name"),
		Role:             b.Str(n, p, "role"),
		Nationality:      b.countries(n, p, "nationality"),
		ResidenceCountry: b.country(n, p, "residence_country", false),
	}
	if v := b.Number(n, p, "effective_pct", record.NonNegative); v != nil {
		if *v > 100 {
			f := p.Key("effective_pct")
			b.Addf(n.Line(), &f, "more than 100%%: %s", fmtPct(*v))
		}
		ps.EffectivePct = v
	}
	ps.IDDoc = b.idDoc(n, p)
	return ps
}

func (b *builder) idDoc(m *record.Node, p *record.Path) *IDDoc {
	n := b.Field(m, p, "id_doc")
	if n == nil {
		return nil
	}
	f := p.Key("id_doc")
	if !b.IsMap(n, &f) {
		return nil
	}
	b.Only(n, &f, idDocFields)
	d := &IDDoc{
		Type:       b.Str(n, &f, "type"),
		Country:    b.country(n, &f, "country", false),
		NumberHMAC: b.Str(n, &f, "number_hmac"),
		VerifiedAt: b.DateOrTime(n, &f, "verified_at", false),
	}
	b.Bool(n, &f, "verified")
	return d
}

func (b *builder) user(n *record.Node, p *record.Path) User {
	b.Only(n, p, userFields)
	u := User{
		UserID:      b.ReqStr(n, p, "user_id"),
		EmailHMAC:   b.Str(n, p, "email_hmac"),
		EmailDomain: strings.ToLower(b.Str(n, p, "email_domain")),
		Nationality: b.countries(n, p, "nationality"),
	}
	if len(u.Nationality) == 0 {
		f := p.Key("nationality")
		b.Addf(n.Line(), &f, "required: at least one nationality (the per-model licence gates read it)")
	}
	switch v := b.Bool(n, p, "us_person"); {
	case v != nil:
		u.USPerson = *v
	case !n.Given("us_person"):
		f := p.Key("us_person")
		b.Addf(n.Line(), &f, "required: true or false (EAR 772.1 foreign-person test)")
	}
	if ph := b.Field(n, p, "phone"); ph != nil {
		f := p.Key("phone")
		if b.IsMap(ph, &f) {
			b.Only(ph, &f, phoneFields)
			u.Phone = &Phone{HMAC: b.Str(ph, &f, "hmac"), Country: b.country(ph, &f, "country", false), LineType: b.oneOf(ph, &f, "line_type", lineTypes, false)}
		}
	}
	u.IDDoc = b.idDoc(n, p)
	return u
}

func (b *builder) billing(n *record.Node, p *record.Path) *Billing {
	b.Only(n, p, billingFields)
	bl := &Billing{AddressCountry: b.country(n, p, "address_country", false)}
	primaries := 0
	b.each(n, p, "instruments", maxPersons, func(e *record.Node, f *record.Path) {
		b.Only(e, f, instrumentFields)
		in := Instrument{
			Kind:            b.oneOf(e, f, "kind", instrumentKinds, true),
			FingerprintHMAC: b.Str(e, f, "fingerprint_hmac"),
			BINCountry:      b.country(e, f, "bin_country", false),
			IssuerCountry:   b.country(e, f, "issuer_country", false),
			BankCountry:     b.country(e, f, "bank_country", false),
			Primary:         b.flag(e, f, "primary"),
		}
		if in.FingerprintHMAC == "" {
			in.FingerprintHMAC = b.Str(e, f, "account_hmac")
		} else {
			b.Str(e, f, "account_hmac")
		}
		if in.Primary {
			if primaries++; primaries == 2 {
				pf := f.Key("primary")
				b.Addf(e.Line(), &pf, "a second primary instrument")
			}
		}
		bl.Instruments = append(bl.Instruments, in)
	})
	if primaries == 0 && len(bl.Instruments) > 0 {
		bl.Instruments[0].Primary = true
	}
	return bl
}

func (b *builder) signup(n *record.Node, p *record.Path) *Signup {
	b.Only(n, p, signupFields)
	return &Signup{
		IP:             b.Str(n, p, "ip"),
		IPCountry:      b.country(n, p, "ip_country", false),
		IPType:         b.oneOf(n, p, "ip_type", rules.IPTypes, false),
		ASN:            b.Number(n, p, "asn", record.NonNegative),
		DeviceHMAC:     b.Str(n, p, "device_fingerprint_hmac"),
		TLSJA4:         b.Str(n, p, "tls_ja4"),
		UserAgent:      b.Str(n, p, "user_agent"),
		TimezoneOffset: b.Str(n, p, "timezone_offset_min"),
		Locale:         b.Str(n, p, "locale"),
		Path:           b.Str(n, p, "signup_path"),
	}
}

// fmtPct writes a percentage without trailing zeros.
func fmtPct(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", v), "0"), ".")
}
