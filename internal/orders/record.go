package orders

import "github.com/chipcheck/chipcheck/internal/record"

// Kinds of record this domain reads and judges.
const (
	KindChip  = "chip"
	KindOrder = "order"
)

// OrderOf is the order a record of kind order holds, or nil.
func OrderOf(rec *record.Record) *Order {
	o, _ := rec.Value.(*Order)
	return o
}

// ChipOf is the chip a record of kind chip holds, or nil.
func ChipOf(rec *record.Record) *Chip {
	c, _ := rec.Value.(*Chip)
	return c
}

// Perf is one dense peak rate of a chip in one number format.
type Perf struct {
	Format string  `json:"format"`
	Bits   float64 `json:"bits"`
	TOPS   float64 `json:"tops"`
}

// Die is one processing unit (die or chiplet) of a multi-die IC, for specs
// that give figures per die rather than per package. Count defaults to 1.
type Die struct {
	Name        string   `json:"name,omitempty"`
	Count       float64  `json:"count"`
	DieAreaMM2  *float64 `json:"die_area_mm2,omitempty"`
	Performance []Perf   `json:"performance,omitempty"`
}

// HBM describes a bare high-bandwidth-memory stack (3A090.c).
type HBM struct {
	BandwidthGBs   float64 `json:"bandwidth_gbs"`
	PackageAreaMM2 float64 `json:"package_area_mm2"`
}

// Chip is one accelerator's public specification. Pointer fields are
// optional: nil means "not given", which the policy treats differently
// from zero.
type Chip struct {
	ID                 string   `json:"id,omitempty"`
	Name               string   `json:"name,omitempty"`
	Catalog            string   `json:"catalog,omitempty"` // set when the spec came from the catalog
	Datacenter         *bool    `json:"datacenter,omitempty"`
	DieAreaMM2         *float64 `json:"die_area_mm2,omitempty"`
	Performance        []Perf   `json:"performance,omitempty"`
	Dies               []Die    `json:"dies,omitempty"`
	MemoryBandwidthGBs *float64 `json:"memory_bandwidth_gbs,omitempty"`
	InterconnectGBs    *float64 `json:"interconnect_gbs,omitempty"`
	DesignerCountry    string   `json:"designer_country,omitempty"`
	HBM                *HBM     `json:"hbm,omitempty"`
	// GP10Named marks a catalog entry that BIS guidance names as a PRC-designed
	// advanced IC (e.g. Huawei Ascend 910B/C/D). Only the catalog sets it.
	GP10Named bool `json:"gp10_named,omitempty"`
}

// Parent is a party's ultimate parent company.
type Parent struct {
	Name         string `json:"name,omitempty"`
	Country      string `json:"country,omitempty"`
	Headquarters string `json:"headquarters,omitempty"`
}

// Party is anyone named on an order.
type Party struct {
	Name           string  `json:"name,omitempty"`
	Country        string  `json:"country,omitempty"`
	Address        string  `json:"address,omitempty"`
	Headquarters   string  `json:"headquarters,omitempty"`
	Role           string  `json:"role,omitempty"`
	UltimateParent *Parent `json:"ultimate_parent,omitempty"`
}

// Parties groups the parties of an order by role.
type Parties struct {
	Buyer         *Party  `json:"buyer,omitempty"`
	Consignee     *Party  `json:"consignee,omitempty"`
	EndUser       *Party  `json:"end_user,omitempty"`
	Intermediates []Party `json:"intermediates,omitempty"`
}

// EndUse is the declared end use of an order.
type EndUse struct {
	Codes       []string `json:"codes"`
	Description string   `json:"description,omitempty"`
}

// Contained is a chip inside a computer or assembly (4A090).
type Contained struct {
	Count   float64 `json:"count"`
	Catalog string  `json:"catalog,omitempty"`
	Chip    *Chip   `json:"chip,omitempty"`
}

// Item is one order line. Exactly one of Chip, Catalog and Contains is given
// on input; after catalog resolution (ForOrder) Chip is always set for a
// chip line.
type Item struct {
	SKU          string      `json:"sku"`
	Quantity     float64     `json:"quantity"`
	UnitValueUSD *float64    `json:"unit_value_usd,omitempty"`
	Catalog      string      `json:"catalog,omitempty"`
	Chip         *Chip       `json:"chip,omitempty"`
	Contains     []Contained `json:"contains,omitempty"`
}

// License is the authorization the order claims.
type License struct {
	Type       string `json:"type"` // license | NAC | ACA
	Number     string `json:"number,omitempty"`
	NotifiedOn string `json:"notified_on,omitempty"` // YYYY-MM-DD
}

// Order is a sales order or shipment.
type Order struct {
	// check is the license register's finding for the order's claim, set
	// by Prepare in input order (the drawdown) and read by Decide.
	check *licenseCheck

	ID   string `json:"id"`
	Date string `json:"date"` // YYYY-MM-DD
	// ShipDate, when given, is the date of export: the date whose rules
	// apply (JudgingDate), on or after Date.
	ShipDate          string   `json:"ship_date,omitempty"`
	DestinationRegion string   `json:"destination_region,omitempty"` // a region of the destination that rules/embargoes.yaml names
	ShipFrom          string   `json:"ship_from"`
	Destination       string   `json:"destination"`
	Exporter          *Party   `json:"exporter,omitempty"`
	Parties           Parties  `json:"parties"`
	EndUse            EndUse   `json:"end_use"`
	Items             []Item   `json:"items"`
	License           *License `json:"license,omitempty"`
	RedFlags          []string `json:"red_flags,omitempty"`
}

// Vocabulary is what validation (Kinds) checks codes against. It comes
// from rules/ (rules.Set) so that a compliance officer can add an end-use
// or red-flag code without touching Go.
type Vocabulary interface {
	Country(code string) bool // ISO 3166-1 alpha-2 code known to rules/countries.yaml
	EndUse(code string) bool
	RedFlag(code string) bool
	Catalog(name string) bool // a catalog id or alias
	// Region reports whether code is a region of country that
	// rules/embargoes.yaml names (destination_region).
	Region(country, code string) bool
}

// Hinter is a Vocabulary that can name the nearest known codes (rules.Set
// does): its hints end the messages that refuse an unknown one.
type Hinter interface {
	CountryHint(code string) string // "; did you mean ...?" or ""
	CatalogHint(name string) string // "; nearest: ..." or ""
}
