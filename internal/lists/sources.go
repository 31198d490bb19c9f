package lists

// List set IDs: each is one publication that LoadDir reads and Update fetches
// as a unit.
const (
	SetSDN    = "sdn"    // OFAC SDN, legacy CSV: sdn.csv + add.csv + alt.csv + sdn_comments.csv
	SetNonSDN = "nonsdn" // OFAC consolidated (non-SDN) list, same layouts: cons_*.csv
	SetCSL    = "csl"    // trade.gov Consolidated Screening List: consolidated.csv
)

// Source is one official file: the set it belongs to, the name it has in a
// lists directory, and its documented download address.
type Source struct {
	Set  string `json:"set"`
	File string `json:"file"` // name in the lists directory (matched case-insensitively)
	URL  string `json:"url"`
}

// OFAC's Sanctions List Service serves the legacy CSV files; the old
// treasury.gov/ofac/downloads addresses redirect there.
const ofacExports = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

// Sources lists every file LoadDir reads and Update fetches, primary file
// of each set first.
var Sources = []Source{
	{SetSDN, "sdn.csv", ofacExports + "SDN.CSV"},
	{SetSDN, "add.csv", ofacExports + "ADD.CSV"},
	{SetSDN, "alt.csv", ofacExports + "ALT.CSV"},
	{SetSDN, "sdn_comments.csv", ofacExports + "SDN_COMMENTS.CSV"},
	{SetNonSDN, "cons_prim.csv", ofacExports + "CONS_PRIM.CSV"},
	{SetNonSDN, "cons_add.csv", ofacExports + "CONS_ADD.CSV"},
	{SetNonSDN, "cons_alt.csv", ofacExports + "CONS_ALT.CSV"},
	{SetNonSDN, "cons_comments.csv", ofacExports + "CONS_COMMENTS.CSV"},
	{SetCSL, "consolidated.csv", "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"},
}

// cslGzipName is the other name LoadDir accepts for the CSL (the shared
// snapshot is stored compressed); the content decides, not the suffix.
const cslGzipName = "consolidated.csv.gz"

// setOrder is the order sets are loaded into a Corpus.
var setOrder = []string{SetSDN, SetNonSDN, SetCSL}

var setNames = map[string]string{
	SetSDN:    "OFAC SDN",
	SetNonSDN: "OFAC consolidated non-SDN",
	SetCSL:    "trade.gov CSL",
}

// setFiles returns the directory file names of a set, primary first.
func setFiles(set string) []string {
	var names []string
	for _, s := range Sources {
		if s.Set == set {
			names = append(names, s.File)
		}
	}
	return names
}

// Published source names, as the CSL "source" column writes them, and the
// short codes kept in Entry.List.
var cslSources = map[string]string{
	"Specially Designated Nationals (SDN) - Treasury Department":                              "SDN",
	"Entity List (EL) - Bureau of Industry and Security":                                      "EL",
	"Denied Persons List (DPL) - Bureau of Industry and Security":                             "DPL",
	"Unverified List (UVL) - Bureau of Industry and Security":                                 "UVL",
	"Military End User (MEU) List - Bureau of Industry and Security":                          "MEU",
	"Nonproliferation Sanctions (ISN) - State Department":                                     "ISN",
	"ITAR Debarred (DTC) - State Department":                                                  "DTC",
	"Sectoral Sanctions Identifications List (SSI) - Treasury Department":                     "SSI",
	"Foreign Sanctions Evaders (FSE) - Treasury Department":                                   "FSE",
	"Palestinian Legislative Council List (PLC) - Treasury Department":                        "PLC",
	"Capta List (CAP) - Treasury Department":                                                  "CAP",
	"Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": "CMIC",
	"Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department":                   "MBS",
}

// listNames gives the published name for each list code, used for the OFAC
// files, which do not name the list; the names are the CSL's so that a hit
// reads the same whichever file it came from.
var listNames = map[string]string{
	"SDN":    "Specially Designated Nationals (SDN) - Treasury Department",
	"SSI":    "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
	"FSE":    "Foreign Sanctions Evaders (FSE) - Treasury Department",
	"PLC":    "Palestinian Legislative Council List (PLC) - Treasury Department",
	"CAP":    "Capta List (CAP) - Treasury Department",
	"CMIC":   "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
	"MBS":    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
	"NONSDN": "Consolidated Sanctions List (Non-SDN Lists) - Treasury Department",
}

// nonSDNLists are the CSL sources that OFAC's consolidated non-SDN files
// also publish; when those files are loaded the CSL copies are left out.
var nonSDNLists = map[string]bool{"SSI": true, "FSE": true, "PLC": true, "CAP": true, "CMIC": true, "MBS": true}

// OFAC's web pages for the two publications, kept as Entry.SourceURL (the
// 2025 CSL export uses the same addresses).
const (
	sdnListURL  = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
	consListURL = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"
)
