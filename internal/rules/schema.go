package rules

// The typed form of each rule file chipcheck knows. Load decodes every
// file into these as well as into the untyped data.rules map the policies
// read: a key these types do not name is an error, and a key tagged
// `rules:"required"` must be given (not null). The YAML shape is the
// struct's: a Go field `yaml:"name"` is the key name. Ranges and
// references between files are checked in check.go.

// Date is a calendar date written YYYY-MM-DD (the empty string when not
// given). Load refuses any other spelling, so that comparing two dates as
// text, as the policies do, compares them as dates.
type Date string

// ruleFiles is every rule file, typed.
type ruleFiles struct {
	Countries      map[string]country      // countries.yaml
	CountryGroups  map[string]countryGroup // country_groups.yaml
	Classification classification
	Diffusion      diffusion
	EndUse         endUse
	Exceptions     map[string]exception
	GP10           gp10
	IsInformed     isInformed
	License        license
	RedFlags       redFlags
	Screening      Screening
	Catalog        catalog
	Embargoes      embargoes  // embargo.go
	Onboarding     Onboarding // onboarding.go
	Networks       Networks   // networks.go
}

// --- countries.yaml, country_groups.yaml -------------------------------------

type country struct {
	Name    string   `yaml:"name" rules:"required"`
	Aliases []string `yaml:"aliases"`
}

type countryGroup struct {
	Members []string      `yaml:"members" rules:"required"`
	Dated   []datedMember `yaml:"dated"`
}

// datedMember is a country that belongs to a group or set from `from`
// (inclusive) until `until` (exclusive); either may be left out.
type datedMember struct {
	Country string `yaml:"country" rules:"required"`
	From    Date   `yaml:"from"`
	Until   Date   `yaml:"until"`
	Source  string `yaml:"source"`
}

// countrySet is the set spec lib.in_set reads: members of Groups on the
// date, minus members of ExceptGroups, plus Countries, Dated entries and
// the members of each DatedGroups group while that entry is in force; All
// is every country.
type countrySet struct {
	Groups       []string      `yaml:"groups"`
	ExceptGroups []string      `yaml:"except_groups"`
	Countries    []string      `yaml:"countries"`
	Dated        []datedMember `yaml:"dated"`
	DatedGroups  []datedGroup  `yaml:"dated_groups"`
	All          bool          `yaml:"all"`
}

// datedGroup is a Country Group that belongs to a set from `from`
// (inclusive) until `until` (exclusive): a control that reached a group
// later than its first countries (744.23: China, then Macau, then D:5).
type datedGroup struct {
	Group  string `yaml:"group" rules:"required"`
	From   Date   `yaml:"from"`
	Until  Date   `yaml:"until"`
	Source string `yaml:"source"`
}

// --- classification.yaml -----------------------------------------------------

type classification struct {
	Regimes []regime `yaml:"regimes" rules:"required"`
}

// regime is one version of the 3A090 text. Which prongs it needs depends
// on Test (see check.go).
type regime struct {
	ID                    string    `yaml:"id" rules:"required"`
	From                  Date      `yaml:"from" rules:"required"`
	Test                  string    `yaml:"test" rules:"required"`
	Note                  string    `yaml:"note"`
	Citation              string    `yaml:"citation"`
	A                     *prongOct `yaml:"a"`
	A1                    *prongA1  `yaml:"a1"`
	A2                    *prongA2  `yaml:"a2"`
	B1                    *prongB1  `yaml:"b1"`
	B2                    *prongB2  `yaml:"b2"`
	NonDatacenterTPPBelow *float64  `yaml:"non_datacenter_tpp_below"`
	HBM                   *hbmTest  `yaml:"hbm"`
}

type prongOct struct {
	TPPMin             float64 `yaml:"tpp_min" rules:"required"`
	InterconnectMinGBs float64 `yaml:"interconnect_min_gbs" rules:"required"`
}

type prongA1 struct {
	TPPMin float64 `yaml:"tpp_min" rules:"required"`
}

type prongA2 struct {
	TPPMin float64 `yaml:"tpp_min" rules:"required"`
	PDMin  float64 `yaml:"pd_min" rules:"required"`
}

type prongB1 struct {
	TPPMin   float64 `yaml:"tpp_min" rules:"required"`
	TPPBelow float64 `yaml:"tpp_below" rules:"required"`
	PDMin    float64 `yaml:"pd_min" rules:"required"`
	PDBelow  float64 `yaml:"pd_below" rules:"required"`
}

type prongB2 struct {
	TPPMin  float64 `yaml:"tpp_min" rules:"required"`
	PDMin   float64 `yaml:"pd_min" rules:"required"`
	PDBelow float64 `yaml:"pd_below" rules:"required"`
}

type hbmTest struct {
	DensityAboveGBsPerMM2 float64 `yaml:"density_above_gbs_per_mm2" rules:"required"`
}

// --- diffusion.yaml, end_use.yaml, exceptions.yaml, gp10.yaml ------------------

type diffusion struct {
	From            Date     `yaml:"from" rules:"required"`
	Items           []string `yaml:"items" rules:"required"`
	ExemptCountries []string `yaml:"exempt_countries" rules:"required"`
	Citation        string   `yaml:"citation" rules:"required"`
}

type endUse struct {
	Codes    map[string]described     `yaml:"codes" rules:"required"`
	Controls map[string]endUseControl `yaml:"controls" rules:"required"`
}

type described struct {
	Description string `yaml:"description" rules:"required"`
}

type endUseControl struct {
	Codes    []string   `yaml:"codes" rules:"required"`
	From     Date       `yaml:"from" rules:"required"`
	Until    Date       `yaml:"until"`
	Where    countrySet `yaml:"where" rules:"required"`
	Citation string     `yaml:"citation" rules:"required"`
}

type exception struct {
	Code             string   `yaml:"code" rules:"required"`
	Name             string   `yaml:"name" rules:"required"`
	Citation         string   `yaml:"citation" rules:"required"`
	From             Date     `yaml:"from" rules:"required"`
	NoticeDays       *int     `yaml:"notice_days"`
	Items            []string `yaml:"items" rules:"required"`
	CoveredD1D4Until Date     `yaml:"covered_d1_d4_until"`
}

type gp10 struct {
	From              Date     `yaml:"from" rules:"required"`
	Until             Date     `yaml:"until"`
	DesignerCountries []string `yaml:"designer_countries" rules:"required"`
	Items             []string `yaml:"items" rules:"required"`
	CarveOutEndUses   []string `yaml:"carve_out_end_uses"`
	Citation          string   `yaml:"citation" rules:"required"`
}

// --- is_informed.yaml ----------------------------------------------------------

type isInformed struct {
	Letters []letter `yaml:"letters" rules:"required"`
}

type letter struct {
	ID           string             `yaml:"id" rules:"required"`
	Addressee    string             `yaml:"addressee" rules:"required"`
	Aliases      []string           `yaml:"aliases"`
	Sources      map[string]string  `yaml:"sources"`
	Confidence   string             `yaml:"confidence"`
	From         Date               `yaml:"from" rules:"required"`
	Until        Date               `yaml:"until"`
	Catalog      []string           `yaml:"catalog"`
	Reaches      map[string]float64 `yaml:"reaches"`
	Destinations countrySet         `yaml:"destinations" rules:"required"`
	Headquarters bool               `yaml:"headquarters"`
	Citation     string             `yaml:"citation" rules:"required"`
}

// --- license.yaml --------------------------------------------------------------

type license struct {
	TreatAs      map[string]string     `yaml:"treat_as"`
	Domestic     string                `yaml:"domestic" rules:"required"`
	Sets         map[string]countrySet `yaml:"sets" rules:"required"`
	Destination  []licenseVersion      `yaml:"destination" rules:"required"`
	Headquarters []licenseVersion      `yaml:"headquarters" rules:"required"`
	HBM          []licenseVersion      `yaml:"hbm" rules:"required"`
	ReviewPolicy reviewPolicy          `yaml:"review_policy" rules:"required"`
}

// licenseVersion is one version of an effective-dated requirement: in
// force from From until the next version's From.
type licenseVersion struct {
	From       Date `yaml:"from" rules:"required"`
	countrySet `yaml:",inline"`
	Items      []string `yaml:"items" rules:"required"`
	Citation   string   `yaml:"citation" rules:"required"`
}

type reviewPolicy struct {
	D1D4         string     `yaml:"d1_d4" rules:"required"`
	MacauD5      string     `yaml:"macau_d5" rules:"required"`
	Headquarters string     `yaml:"headquarters" rules:"required"`
	Citation     string     `yaml:"citation" rules:"required"`
	CaseByCase   caseByCase `yaml:"case_by_case" rules:"required"`
}

type caseByCase struct {
	From                  Date     `yaml:"from" rules:"required"`
	Policy                string   `yaml:"policy" rules:"required"`
	ShipFrom              []string `yaml:"ship_from" rules:"required"`
	Destinations          []string `yaml:"destinations" rules:"required"`
	TPPBelow              float64  `yaml:"tpp_below" rules:"required"`
	DRAMBandwidthBelowGBs float64  `yaml:"dram_bandwidth_below_gbs" rules:"required"`
	Citation              string   `yaml:"citation" rules:"required"`
}

// --- red_flags.yaml ------------------------------------------------------------

type redFlags struct {
	Flags map[string]redFlag `yaml:"flags" rules:"required"`
}

type redFlag struct {
	Description string `yaml:"description" rules:"required"`
	Citation    string `yaml:"citation" rules:"required"`
}

// --- screening.yaml ------------------------------------------------------------

// Screening is rules/screening.yaml: what a restricted-party match means.
type Screening struct {
	// A hit scoring at least ReviewThreshold is reported and reviewed.
	ReviewThreshold float64 `yaml:"review_threshold" rules:"required"`
	// A hit scoring at least DenyThreshold on a list that restricts
	// exports takes that list's outcome.
	DenyThreshold float64 `yaml:"deny_threshold" rules:"required"`
	// Lists maps a list code (lists.Entry.List) to its rule.
	Lists   map[string]ListRule `yaml:"lists" rules:"required"`
	Matcher Matcher             `yaml:"matcher" rules:"required"`
}

// ListRule is what a hit on one restricted-party list means.
type ListRule struct {
	Name      string `yaml:"name" rules:"required"`
	Restricts bool   `yaml:"restricts" rules:"required"` // the list itself restricts the export
	Outcome   string `yaml:"outcome" rules:"required"`   // of a hit at or above DenyThreshold
	Citation  string `yaml:"citation" rules:"required"`
}

// Matcher holds the name matcher's scores (internal/screen); Load checks
// them against the thresholds (see check.go).
type Matcher struct {
	// A name that holds a listed organisation's whole name scores at
	// least this.
	ContainmentFloor float64 `yaml:"containment_floor" rules:"required"`
	// Added when the party's country is one of the entry's.
	CountryBonus float64 `yaml:"country_bonus" rules:"required"`
	// Taken off when it is not.
	CountryPenalty float64 `yaml:"country_penalty" rules:"required"`
	// The score of an acronym match.
	AcronymScore float64 `yaml:"acronym_score" rules:"required"`
	// Two words at least this similar pair up (typos, spellings).
	MinTokenSimilarity float64 `yaml:"min_token_similarity" rules:"required"`
}

// --- catalog.yaml --------------------------------------------------------------

type catalog struct {
	Entries map[string]CatalogEntry `yaml:"entries" rules:"required"`
}

// CatalogEntry is a chip specification of rules/catalog.yaml, as the file
// gives it, plus its sources. The domain (orders.NewCatalog) makes its
// chips of them.
type CatalogEntry struct {
	Name               string            `yaml:"name"`
	Aliases            []string          `yaml:"aliases"`
	Vendor             string            `yaml:"vendor"`
	DesignerCountry    string            `yaml:"designer_country"`
	Datacenter         *bool             `yaml:"datacenter"`
	DieAreaMM2         *float64          `yaml:"die_area_mm2"`
	Performance        []CatalogPerf     `yaml:"performance"`
	Dies               []CatalogDie      `yaml:"dies"`
	MemoryBandwidthGBs *float64          `yaml:"memory_bandwidth_gbs"`
	InterconnectGBs    *float64          `yaml:"interconnect_gbs"`
	HBM                *CatalogHBM       `yaml:"hbm"`
	GP10Named          bool              `yaml:"gp10_named"`
	Released           *int              `yaml:"released"`
	Sources            map[string]string `yaml:"sources"`
	Notes              string            `yaml:"notes"`
}

// CatalogPerf is one dense peak rate of a catalog chip or die.
type CatalogPerf struct {
	Format string  `yaml:"format" rules:"required"`
	Bits   float64 `yaml:"bits" rules:"required"`
	TOPS   float64 `yaml:"tops" rules:"required"`
}

// CatalogDie is one die of a multi-die catalog chip.
type CatalogDie struct {
	Name        string        `yaml:"name"`
	Count       *float64      `yaml:"count"`
	DieAreaMM2  *float64      `yaml:"die_area_mm2"`
	Performance []CatalogPerf `yaml:"performance"`
}

// CatalogHBM describes a bare high-bandwidth-memory stack.
type CatalogHBM struct {
	BandwidthGBs   float64 `yaml:"bandwidth_gbs" rules:"required"`
	PackageAreaMM2 float64 `yaml:"package_area_mm2" rules:"required"`
}
