// Package lists reads the US restricted-party lists from the files their
// publishers distribute (trade.gov CSL, OFAC SDN legacy CSV, OFAC consolidated
// non-SDN), reports what it loaded, and fetches fresh copies. Matching names
// against the loaded entries is package screen's job.
package lists

// Entry is one listed party as published, from any source list.
type Entry struct {
	ID       string `json:"id"`        // the list's own id: OFAC ent_num, CSL _id
	List     string `json:"list"`      // short source code: SDN, EL, DPL, UVL, MEU, ISN, DTC, SSI, FSE, PLC, CAP, CMIC, MBS; NONSDN for an OFAC non-SDN program not mapped yet
	ListName string `json:"list_name"` // the source list's name as published
	Type     string `json:"type"`      // individual | entity | vessel | aircraft
	Name     string `json:"name"`      // primary name as published
	// Aliases are alternate names (aka/fka/nka) as published, plus, for
	// Entity List rows named "Parent.  Affiliated Entity:  Name", that Name.
	Aliases   []string     `json:"aliases,omitempty"`
	Countries []string     `json:"countries,omitempty"` // ISO 3166-1 alpha-2, from addresses, citizenships, nationalities
	Addresses []string     `json:"addresses,omitempty"`
	Programs  []string     `json:"programs,omitempty"`
	IDs       []Identifier `json:"ids,omitempty"`
	Remarks   string       `json:"remarks,omitempty"`

	// Columns the trade.gov CSL carries for BIS lists.
	FederalRegisterNotice string `json:"federal_register_notice,omitempty"`
	StartDate             string `json:"start_date,omitempty"`
	EndDate               string `json:"end_date,omitempty"`
	LicenseRequirement    string `json:"license_requirement,omitempty"`
	LicensePolicy         string `json:"license_policy,omitempty"`
	SourceURL             string `json:"source_url,omitempty"`
}

// Identifier is a registration, tax, passport or similar number on an entry.
type Identifier struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country,omitempty"`
}

// ListInfo describes one loaded list file (or OFAC file set).
type ListInfo struct {
	ID       string         `json:"id"`       // the set: "sdn", "nonsdn" or "csl" (see Sources)
	Name     string         `json:"name"`     // e.g. "OFAC SDN", "trade.gov CSL", "OFAC consolidated non-SDN"
	Files    []string       `json:"files"`    // the files read, as given
	SHA256   string         `json:"sha256"`   // over the files' bytes, in Files order
	Snapshot string         `json:"snapshot"` // snapshot date (YYYY-MM-DD) as best known: the CSL's newest start date, the OFAC files' modification time
	AgeDays  int            `json:"age_days"` // days from Snapshot to the load's clock (Options.Now); -1 if Snapshot is unknown
	Entries  int            `json:"entries"`  // entries kept
	BySource map[string]int `json:"by_source,omitempty"`
	// Skipped counts what was left out, by reason. orphan_address,
	// orphan_alias and orphan_comment count distinct ent_num values with
	// no primary record (as SOURCES.md does); the same keys with a _rows
	// suffix count the rows. csl_sdn_superseded and csl_nonsdn_superseded
	// count CSL rows left out because OFAC's own files were loaded.
	Skipped map[string]int `json:"skipped,omitempty"`
	// UnknownCountries counts country names or codes in the files that
	// Options.CountryCode could not map (so they add nothing to Countries).
	UnknownCountries map[string]int `json:"unknown_countries,omitempty"`
	// Manifest is how the set compares with the directory's manifest.
	Manifest ManifestCheck `json:"manifest"`
}

// Corpus is every entry of every loaded list.
type Corpus struct {
	Entries []Entry    `json:"-"`
	Lists   []ListInfo `json:"lists"`
	// Warnings are problems that did not stop the load, for the caller
	// to show: the manifest could not be written, for instance.
	Warnings []string `json:"warnings,omitempty"`
}

// Oldest returns the loaded list with the oldest snapshot and its age in
// days, for callers that warn past StaleAfterDays or hold decisions for
// review past a configured maximum age. A list whose snapshot date is
// unknown counts as the oldest (age -1 then); an empty Corpus returns a
// zero ListInfo and -1.
func (c *Corpus) Oldest() (ListInfo, int) {
	if len(c.Lists) == 0 {
		return ListInfo{}, -1
	}
	oldest := c.Lists[0]
	for _, l := range c.Lists[1:] {
		if oldest.AgeDays >= 0 && (l.AgeDays < 0 || l.AgeDays > oldest.AgeDays) {
			oldest = l
		}
	}
	return oldest, oldest.AgeDays
}
