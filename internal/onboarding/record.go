package onboarding

import "github.com/chipcheck/chipcheck/internal/record"

// KindOnboarding is the kind of record this domain reads and judges.
const KindOnboarding = "onboarding"

// Customer types.
const (
	Individual  = "individual"
	LegalEntity = "legal_entity"
)

// The customer itself, as an ownership edge names it.
const customerNode = "customer"

// Application is one onboarding record.
type Application struct {
	ID              string
	Date            string // received_at's date: the rules of this date apply
	Provider        string
	RequestedModels []string
	Customer        Customer
	Ownership       *Ownership // nil for an individual that gives none
	Users           []User
	Billing         *Billing
	Signup          *Signup
	Attestations    map[string]bool
}

// Customer is the applicant.
type Customer struct {
	Type               string // individual | legal_entity
	OrgID              string // the provider's id of the organisation (trusted-partner lists)
	LegalName          string
	Country            string // declared country
	Registration       *Registration
	Headquarters       string
	OperatingCountries []string
	DeclaredUseCase    string
	WebsiteDomain      string
	IsReseller         bool
	ResellerAuthRef    string
	Listed             bool // publicly listed: ownership established
}

// Registration is where and under which number the customer is registered.
type Registration struct {
	Country, Number, VerifiedVia string
}

// Ownership is who owns the customer: direct stakes (edges) between
// entities and the customer, the entities, beneficial owners and officers.
type Ownership struct {
	Status           string // verified | partial | unknown
	Source           string
	Edges            []Edge
	Entities         map[string]*Entity
	EntityOrder      []string // entity ids as the record lists them
	BeneficialOwners []Person
	Officers         []Person
}

// Edge is a direct stake: Owner holds Pct % of Owned.
type Edge struct {
	Owner, Owned string
	Pct          float64
}

// Entity types.
const (
	Company    = "company"
	NatPerson  = "person"
	Government = "government"
)

// Entity is an owner in the ownership graph.
type Entity struct {
	ID            string
	Name          string
	Type          string // company | person | government
	Incorporation string
	HQ            string
	Listed        bool     // publicly listed company: its ownership is established
	Designations  []string // list codes the record itself declares (SDN, EL, ...)
}

// Person is a beneficial owner or officer.
type Person struct {
	Name             string
	Role             string
	Nationality      []string
	ResidenceCountry string
	EffectivePct     *float64
	IDDoc            *IDDoc
}

// IDDoc is an identity document, by a keyed hash of its number.
type IDDoc struct {
	Type, Country, NumberHMAC string
	VerifiedAt                string // YYYY-MM-DD
}

// User is a person who will use the models.
type User struct {
	UserID      string
	EmailHMAC   string
	EmailDomain string
	Phone       *Phone
	Nationality []string
	USPerson    bool
	IDDoc       *IDDoc
}

// Phone is a user's phone line.
type Phone struct {
	HMAC, Country, LineType string
}

// Billing is how the customer pays.
type Billing struct {
	AddressCountry string
	Instruments    []Instrument
}

// Instrument is a means of payment; the first is the primary one unless
// one says primary: true.
type Instrument struct {
	Kind                      string // card | bank | crypto | invoice
	FingerprintHMAC           string
	BINCountry, IssuerCountry string
	BankCountry               string
	Primary                   bool
}

// Signup is the context of the sign-up.
type Signup struct {
	IP, IPCountry, IPType string
	ASN                   *float64
	DeviceHMAC, TLSJA4    string
	UserAgent, Locale     string
	TimezoneOffset        string
	Path                  string
}

// Of is the application a record of kind onboarding holds, or nil.
func Of(rec *record.Record) *Application {
	a, _ := rec.Value.(*Application)
	return a
}
