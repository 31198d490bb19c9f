package lists

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// copyFixtures copies the named fixture files (all when none are named)
// into a new temporary directory, renaming per rename.
func copyFixtures(t *testing.T, rename map[string]string, names ...string) string {
	t.Helper()
	if len(names) == 0 {
		for _, s := range Sources {
			names = append(names, s.File)
		}
	}
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(fixtureLists, n))
		if err != nil {
			t.Fatal(err)
		}
		to := n
		if r, ok := rename[n]; ok {
			to = r
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// load loads dir, requiring the sets named in only (all when none are).
func load(t *testing.T, dir string, only ...string) *Corpus {
	t.Helper()
	c, err := LoadDir(context.Background(), dir, Options{CountryCode: countryCode(t), Only: only})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func find(t *testing.T, c *Corpus, list, id string) Entry {
	t.Helper()
	for _, e := range c.Entries {
		if e.List == list && e.ID == id {
			return e
		}
	}
	t.Fatalf("no %s entry %s", list, id)
	return Entry{}
}

func info(t *testing.T, c *Corpus, set string) ListInfo {
	t.Helper()
	for _, li := range c.Lists {
		if li.ID == set {
			return li
		}
	}
	t.Fatalf("no %s list loaded", set)
	return ListInfo{}
}

func TestLoadDirFixtureCounts(t *testing.T) {
	c := load(t, fixtureLists)
	if got := len(c.Entries); got != 7+8+11 {
		t.Errorf("entries = %d, want 26", got)
	}
	tests := []struct {
		set      string
		entries  int
		bySource map[string]int
		skipped  map[string]int
	}{
		// 7 sdn.csv rows; ent_num 17016 (Gazprombank) is only in the companions.
		{SetSDN, 7, map[string]int{"SDN": 7}, map[string]int{
			"orphan_address": 1, "orphan_address_rows": 5,
			"orphan_alias": 1, "orphan_alias_rows": 3,
			"orphan_comment": 1, "orphan_comment_rows": 1,
		}},
		{SetNonSDN, 8, map[string]int{"CMIC": 3, "MBS": 2, "SSI": 1, "PLC": 1, "CAP": 1}, nil},
		// 19 CSL rows: the 2 SDN rows give way to sdn.csv, the 6 SSI, PLC,
		// CAP, MBS, CMIC and FSE rows to cons_*.csv; 11 BIS/State rows stay.
		{SetCSL, 11, map[string]int{"EL": 6, "DPL": 1, "ISN": 1, "DTC": 1, "MEU": 1, "UVL": 1},
			map[string]int{"csl_sdn_superseded": 2, "csl_nonsdn_superseded": 6}},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			li := info(t, c, tt.set)
			if li.Entries != tt.entries {
				t.Errorf("Entries = %d, want %d", li.Entries, tt.entries)
			}
			if !maps.Equal(li.BySource, tt.bySource) {
				t.Errorf("BySource = %v, want %v", li.BySource, tt.bySource)
			}
			if !maps.Equal(li.Skipped, tt.skipped) {
				t.Errorf("Skipped = %v, want %v", li.Skipped, tt.skipped)
			}
		})
	}
	if got := []string{c.Lists[0].ID, c.Lists[1].ID, c.Lists[2].ID}; !slices.Equal(got, setOrder) {
		t.Errorf("list order = %v, want %v", got, setOrder)
	}
}

func TestLoadDirFixtureEntries(t *testing.T) {
	c := load(t, fixtureLists)
	tests := []struct {
		list, id string
		check    func(t *testing.T, e Entry)
	}{
		{"SDN", "17018", func(t *testing.T, e Entry) {
			eq(t, "Name", e.Name, "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA")
			eq(t, "Type", e.Type, "entity") // SDN_Type -0-
			eq(t, "ListName", e.ListName, "Specially Designated Nationals (SDN) - Treasury Department")
			eqs(t, "Programs", e.Programs, []string{"UKRAINE-EO13662", "RUSSIA-EO14024"})
			eqs(t, "Countries", e.Countries, []string{"RU", "CN", "IN"})
			if len(e.Aliases) != 10 || !slices.Contains(e.Aliases, "SBERBANK OF RUSSIA") {
				t.Errorf("Aliases = %q", e.Aliases)
			}
			eq(t, "Addresses[0]", e.Addresses[0], "Vavilova St. 19, Moscow 117312, Russia")
			// sdn.csv's Remarks stops at "(EO 14024 Direct"; sdn_comments.csv
			// carries on with "ive 2): ...".
			if !strings.Contains(e.Remarks, "Listing Date (EO 14024 Directive 2): 24 Feb 2022") {
				t.Errorf("Remarks not joined with sdn_comments.csv: %q", e.Remarks)
			}
			if !slices.Contains(e.IDs, Identifier{Type: "Tax ID No.", Number: "7707083893", Country: "RU"}) {
				t.Errorf("IDs = %v, want the tax ID from the comment", e.IDs)
			}
		}},
		{"SDN", "4238", func(t *testing.T, e Entry) {
			eq(t, "Type", e.Type, "vessel")
			eqs(t, "Programs", e.Programs, []string{"CUBA"})
			// Its add.csv row and Remarks are all "-0- ".
			eqs(t, "Addresses", e.Addresses, nil)
			eqs(t, "Countries", e.Countries, nil)
			eq(t, "Remarks", e.Remarks, "")
		}},
		{"SDN", "15432", func(t *testing.T, e Entry) { eq(t, "Type", e.Type, "aircraft") }},
		{"SDN", "35096", func(t *testing.T, e Entry) {
			eq(t, "Name", e.Name, "PUTIN, Vladimir Vladimirovich")
			eq(t, "Type", e.Type, "individual")
			eqs(t, "Aliases", e.Aliases, []string{"PUTIN, Vladimir"})
			eqs(t, "Countries", e.Countries, []string{"RU"})
		}},
		{"SDN", "27063", func(t *testing.T, e Entry) {
			eqs(t, "Countries", e.Countries, []string{"CN"})
			if len(e.Aliases) != 5 {
				t.Errorf("Aliases = %q, want 5", e.Aliases)
			}
		}},
		{"CMIC", "30949", func(t *testing.T, e Entry) {
			eq(t, "Name", e.Name, "INSPUR GROUP CO., LTD.")
			eq(t, "ListName", e.ListName, "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department")
			eqs(t, "Aliases", e.Aliases, []string{"INSPUR GROUP"})
			eqs(t, "Countries", e.Countries, []string{"CN"})
			if !slices.Contains(e.IDs, Identifier{Type: "Unified Social Credit Code (USCC)", Number: "913700001630477270", Country: "CN"}) {
				t.Errorf("IDs = %v", e.IDs)
			}
		}},
		{"CMIC", "30951", func(t *testing.T, e Entry) {
			eq(t, "Name", e.Name, "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION")
		}},
		{"SSI", "17018", func(t *testing.T, e Entry) { eq(t, "SourceURL", e.SourceURL, consListURL) }},
		{"CAP", "15268", func(t *testing.T, e Entry) { eqs(t, "Programs", e.Programs, []string{"561-Related"}) }},
		{"MBS", "27016", func(t *testing.T, e Entry) { eqs(t, "Programs", e.Programs, []string{"CAATSA - RUSSIA"}) }},
		{"MBS", "31695", func(t *testing.T, e Entry) {
			eq(t, "ListName", e.ListName, "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department")
		}},
		{"PLC", "9639", func(t *testing.T, e Entry) { eq(t, "Type", e.Type, "individual") }},
	}
	for _, tt := range tests {
		t.Run(tt.list+"/"+tt.id, func(t *testing.T) { tt.check(t, find(t, c, tt.list, tt.id)) })
	}

	byName := func(name string) Entry {
		t.Helper()
		for _, e := range c.Entries {
			if e.Name == name {
				return e
			}
		}
		t.Fatalf("no entry named %q", name)
		return Entry{}
	}
	t.Run("EL affiliate", func(t *testing.T) {
		e := byName("Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd.")
		eq(t, "List", e.List, "EL")
		eq(t, "ListName", e.ListName, "Entity List (EL) - Bureau of Industry and Security")
		eq(t, "Type", e.Type, "entity") // empty type column
		eqs(t, "Aliases", e.Aliases, []string{"Huawei Marine", "HMN Technologies", "Huahai Zhihui Technology Co., Ltd.", "HMN Tech", "Huawei Marine Networks Co., Ltd."})
		eqs(t, "Countries", e.Countries, []string{"CN"})
	})
	t.Run("EL and-alias and license columns", func(t *testing.T) {
		e := byName("140 Repair Plant JSC")
		eqs(t, "Aliases", e.Aliases, []string{"Open Joint Stock Company 140 Repair Plant", "JSC 140 Repair Plant"})
		eqs(t, "Countries", e.Countries, []string{"BY"})
		eq(t, "FederalRegisterNotice", e.FederalRegisterNotice, "87 FR 20299")
		eq(t, "StartDate", e.StartDate, "2022-04-07")
		eq(t, "LicensePolicy", e.LicensePolicy, "Policy of denial.") // published with a trailing space
		if !strings.HasPrefix(e.LicenseRequirement, "For all items subject to the EAR.") {
			t.Errorf("LicenseRequirement = %q", e.LicenseRequirement)
		}
		eq(t, "SourceURL", e.SourceURL, "http://bit.ly/1L47xrV")
	})
	t.Run("EL trailing spaces", func(t *testing.T) {
		byName("HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District")
	})
	t.Run("EL mis-encoded name as published", func(t *testing.T) {
		byName("Xi?an Huawei Technologies Co., Ltd., Xi?an, Shaanxi")
	})
	t.Run("DPL", func(t *testing.T) {
		e := byName("I. ASH") // published " I. ASH"
		eq(t, "List", e.List, "DPL")
		eqs(t, "Countries", e.Countries, []string{"US"})
		eq(t, "EndDate", e.EndDate, "2056-06-29")
	})
	t.Run("UVL country by name and code", func(t *testing.T) {
		e := byName("AECC South Industry Co. Ltd")
		eq(t, "List", e.List, "UVL")
		eqs(t, "Countries", e.Countries, []string{"CN"})
	})
	t.Run("MEU", func(t *testing.T) {
		e := byName("AECC Aero Science & Technology Co. Ltd.")
		eq(t, "List", e.List, "MEU")
		if !strings.Contains(e.LicensePolicy, "744.21") {
			t.Errorf("LicensePolicy = %q", e.LicensePolicy)
		}
	})
}

// Without the OFAC files every CSL row is kept, SDN included.
func TestLoadDirCSLAlone(t *testing.T) {
	c := load(t, copyFixtures(t, nil, "consolidated.csv"), SetCSL)
	if len(c.Lists) != 1 || c.Lists[0].Entries != 19 || c.Lists[0].Skipped != nil {
		t.Fatalf("Lists = %+v, want one CSL with 19 entries, none skipped", c.Lists)
	}
	want := map[string]int{"EL": 6, "DPL": 1, "ISN": 1, "DTC": 1, "MEU": 1, "UVL": 1,
		"SDN": 2, "SSI": 1, "PLC": 1, "CAP": 1, "MBS": 1, "CMIC": 1, "FSE": 1}
	if !maps.Equal(c.Lists[0].BySource, want) {
		t.Errorf("BySource = %v, want all 13 lists %v", c.Lists[0].BySource, want)
	}
	eq(t, "Snapshot", c.Lists[0].Snapshot, "2022-04-07") // newest start_date among the 19 rows

	putin := find(t, c, "SDN", "35096")
	eq(t, "Type", putin.Type, "individual")
	fse := find(t, c, "FSE", "26182")
	eqs(t, "FSE Countries", fse.Countries, []string{"TR"})
	eqs(t, "FSE IDs", fse.IDs, []Identifier{{Type: "Passport", Number: "U00242309", Country: "TR"}}) // "Male, Gender" dropped
	inspur := find(t, c, "CMIC", "30949")
	eqs(t, "CMIC IDs", inspur.IDs, []Identifier{{Type: "Unified Social Credit Code (USCC)", Number: "913700001630477270", Country: "CN"}})
	mbs := find(t, c, "MBS", "31695")
	if !slices.Contains(mbs.IDs, Identifier{Type: "SWIFT/BIC", Number: "CBRFRUMM"}) || !slices.Contains(mbs.IDs, Identifier{Type: "Tax ID No.", Number: "7702235133", Country: "RU"}) {
		t.Errorf("MBS IDs = %v", mbs.IDs)
	}
	for _, id := range mbs.IDs {
		if strings.Contains(id.Type, "Date") || strings.Contains(id.Type, "Directive") || id.Type == "Target Type" {
			t.Errorf("descriptive item kept as an ID: %+v", id)
		}
	}
	eqs(t, "MBS Countries", mbs.Countries, []string{"RU"})
}

// The CSL is recognised as gzip by its first bytes, whatever its name.
func TestLoadDirGzipDetection(t *testing.T) {
	buf := bytes.NewBuffer(gzipFixture(t, "consolidated.csv"))
	for _, name := range []string{"consolidated.csv.gz", "consolidated.csv", "CONSOLIDATED.CSV.GZ"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			c := load(t, dir, SetCSL)
			if c.Lists[0].Entries != 19 {
				t.Errorf("Entries = %d, want 19", c.Lists[0].Entries)
			}
			sum := sha256.Sum256(buf.Bytes()) // the hash is over the bytes as stored
			eq(t, "SHA256", c.Lists[0].SHA256, hex.EncodeToString(sum[:]))
		})
	}
	t.Run("plain named .gz", func(t *testing.T) {
		c := load(t, copyFixtures(t, map[string]string{"consolidated.csv": "consolidated.csv.gz"}, "consolidated.csv"), SetCSL)
		if c.Lists[0].Entries != 19 {
			t.Errorf("Entries = %d, want 19", c.Lists[0].Entries)
		}
	})
	t.Run("broken gzip", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "consolidated.csv.gz"), buf.Bytes()[:buf.Len()/2], 0o644)
		_, err := LoadDir(context.Background(), dir, Options{Only: []string{SetCSL}})
		if err == nil || !strings.Contains(err.Error(), "consolidated.csv.gz") {
			t.Errorf("err = %v, want one naming the file", err)
		}
	})
}

func TestLoadDirFileNamesCaseInsensitive(t *testing.T) {
	rename := map[string]string{}
	for _, s := range Sources {
		rename[s.File] = strings.ToUpper(s.File)
	}
	c := load(t, copyFixtures(t, rename))
	if len(c.Entries) != 26 {
		t.Errorf("entries = %d, want 26", len(c.Entries))
	}
}

func TestLoadDirSHA256AndSnapshot(t *testing.T) {
	dir := copyFixtures(t, nil)
	published := time.Date(2025, 1, 6, 15, 4, 5, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "sdn.csv"), published, published); err != nil {
		t.Fatal(err)
	}
	c := load(t, dir)
	sdn := info(t, c, SetSDN)
	eq(t, "SDN snapshot (sdn.csv mtime)", sdn.Snapshot, "2025-01-06")
	eq(t, "CSL snapshot (newest start_date kept or not)", info(t, c, SetCSL).Snapshot, "2022-04-07")
	h := sha256.New()
	for _, f := range sdn.Files {
		b, _ := os.ReadFile(f)
		h.Write(b)
	}
	eq(t, "SHA256", sdn.SHA256, hex.EncodeToString(h.Sum(nil)))
	eqs(t, "Files", sdn.Files, []string{
		filepath.Join(dir, "sdn.csv"), filepath.Join(dir, "add.csv"),
		filepath.Join(dir, "alt.csv"), filepath.Join(dir, "sdn_comments.csv"),
	})
}

func TestLoadDirSetErrors(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"empty directory", nil, "no list files"},
		{"companion missing", []string{"sdn.csv", "add.csv", "sdn_comments.csv"}, "alt.csv missing"},
		{"primary missing", []string{"add.csv", "alt.csv", "sdn_comments.csv", "consolidated.csv"}, "sdn.csv missing"},
		{"non-SDN comments missing", []string{"cons_prim.csv", "cons_add.csv", "cons_alt.csv"}, "cons_comments.csv missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if len(tt.files) > 0 {
				dir = copyFixtures(t, nil, tt.files...)
			}
			_, err := LoadDir(context.Background(), dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("ambiguous CSL", func(t *testing.T) {
		dir := copyFixtures(t, nil, "consolidated.csv")
		b, _ := os.ReadFile(filepath.Join(dir, "consolidated.csv"))
		os.WriteFile(filepath.Join(dir, "consolidated.csv.gz"), b, 0o644)
		if _, err := LoadDir(context.Background(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "keep one") {
			t.Errorf("err = %v, want ambiguity", err)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		if _, err := LoadDir(context.Background(), filepath.Join(t.TempDir(), "nope"), Options{}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := LoadDir(ctx, fixtureLists, Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

// Every broken file stops the load with an error naming file and line.
func TestLoadDirParseErrors(t *testing.T) {
	sdnRow := "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
	tests := []struct {
		name, file, content, want string
	}{
		{"bare quote", "sdn.csv", sdnRow + strings.Replace(sdnRow, "36", "38", 1) + "37,\"BROKEN \"NAME\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a", "sdn.csv:3:"},
		{"short row", "sdn.csv", sdnRow + "37,\"SHORT\",-0- \r\n\x1a", "sdn.csv:2: expected 12 fields, found 3"},
		{"bad ent_num", "add.csv", "X1,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n\x1a", "add.csv:1: ent_num \"X1\""},
		{"duplicate ent_num", "sdn.csv", sdnRow + sdnRow + "\x1a", "sdn.csv:2: ent_num 36 appears twice"},
		{"data after EOF marker", "alt.csv", "\x1a\r\n36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n", "alt.csv:2: data after the end-of-file marker"},
		{"empty primary", "sdn.csv", "\x1a", "sdn.csv:1: no records"},
		{"empty alt.csv", "alt.csv", "", "alt.csv:1: no records"},
		{"comments file with only the marker", "sdn_comments.csv", "\x1a", "sdn_comments.csv:1: no records"},
		{"OFAC file cut at a line end", "sdn.csv", sdnRow + strings.Replace(sdnRow, "36", "38", 1), "sdn.csv:3: no end-of-file marker (0x1A) after the last record: the file is cut short"},
		{"OFAC file cut inside a quoted field", "alt.csv", "36,12,\"aka\",\"AERO-CARIB", "alt.csv:1: column"},
		{"OFAC file cut between fields", "add.csv", "36,25,-0- ,\"Havana\"", "add.csv:1: expected 6 fields, found 4"},
		{"nameless primary", "sdn.csv", strings.Replace(sdnRow, "\"AEROCARIBBEAN AIRLINES\"", "-0- ", 1), "sdn.csv:1: ent_num 36 has no name"},
		{"CSL field count", "consolidated.csv", "_id,source,name\n1,Entity List (EL) - Bureau of Industry and Security,A\n2,Entity List (EL) - Bureau of Industry and Security\n", "consolidated.csv:3: expected 3 fields, found 2"},
		{"CSL not a CSL", "consolidated.csv", "<html><body>Service Unavailable</body></html>\n", "consolidated.csv:1: no \"_id\" column"},
		{"CSL header only", "consolidated.csv", "_id,source,name\n", "consolidated.csv:2: no records"},
		{"CSL empty", "consolidated.csv", "", "consolidated.csv:1: empty file"},
		{"CSL cut inside a quoted field", "consolidated.csv", "_id,source,name\n1,Entity List (EL) - Bureau of Industry and Security,A\n2,\"Entity List (EL) - Bur", "consolidated.csv:3: column"},
		{"CSL cut between fields", "consolidated.csv", "_id,source,name\n1,Entity List (EL) - Bureau of Industry and Security,A\n2,Entity List (EL) - Bureau of Industry and Security", "consolidated.csv:3: expected 3 fields, found 2"},
		{"CSL row without name", "consolidated.csv", "_id,source,name\n1,Entity List (EL) - Bureau of Industry and Security,\n", "consolidated.csv:2: row has no _id or no name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFixtures(t, nil) // every set, so that only the file broken here can fail
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadDir(context.Background(), dir, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), filepath.Join(dir, tt.want)) {
				t.Errorf("err = %v\nwant it to contain %q", err, filepath.Join(dir, tt.want))
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != path {
				t.Errorf("err is not a *ParseError for %s: %#v", path, err)
			}
		})
	}
}

func TestCountryLookup(t *testing.T) {
	cc := newCountries(countryCode(t))
	tests := []struct{ in, want string }{
		{"China", "CN"},
		{"CN", "CN"},
		{"Korea, North", "KP"},
		{"Region: Crimea", "UA"},
		{"Bosnia and Herzegovina", "BA"},
		{"Saint Kitts and Nevis", "KN"},
		{"Saint Vincent and the Grenadines", "VC"},
		{"Trinidad and Tobago", "TT"},
		{"undetermined", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cc.code(tt.in, true); got != tt.want {
			t.Errorf("code(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if cc.unknown["undetermined"] != 1 {
		t.Errorf("unknown = %v, want undetermined counted", cc.unknown)
	}
	if got := newCountries(nil).code("China", true); got != "" {
		t.Errorf("nil CountryCode gave %q", got)
	}
}

func TestAddressCountry(t *testing.T) {
	cc := newCountries(countryCode(t))
	tests := []struct{ in, want string }{
		{"Bantian Huawei Base, Longgang District, Shenzhen, 518129, CN", "CN"},
		{"Komitas 26/114, Yerevan, Armenia, AM", "AM"},
		{"Dongjiaduan, Lusong District, Zhuzhou, Hunan Province, China", "CN"},
		{"No. 6 Chengdu, China 610036", "CN"},
		{"SY", "SY"},
		{"P.O. BOX 3000, ANTHONY, NM, 88201", ""}, // DPL prison address without a country
		{"c/o GEOFARMA S.A. DE C.V.", ""},
	}
	for _, tt := range tests {
		if got := addressCountry(tt.in, cc); got != tt.want {
			t.Errorf("addressCountry(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if len(cc.unknown) != 0 {
		t.Errorf("unknown = %v: city or postcode tails should not be reported", cc.unknown)
	}
}

func TestSplitPrograms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"CUBA", []string{"CUBA"}},
		{"UKRAINE-EO13662] [RUSSIA-EO14024", []string{"UKRAINE-EO13662", "RUSSIA-EO14024"}},
		{"UKRAINE-EO13662] [IRAN-CON-ARMS-EO] [RUSSIA-EO14024", []string{"UKRAINE-EO13662", "IRAN-CON-ARMS-EO", "RUSSIA-EO14024"}},
		{"", nil},
	}
	for _, tt := range tests {
		eqs(t, tt.in, splitPrograms(tt.in), tt.want)
	}
}

func TestNonSDNList(t *testing.T) {
	tests := []struct {
		programs []string
		want     string
	}{
		{[]string{"CMIC-EO13959"}, "CMIC"},
		{[]string{"UKRAINE-EO13662"}, "SSI"},
		{[]string{"UKRAINE-EO13662", "RUSSIA-EO14024"}, "SSI"},
		{[]string{"UKRAINE-EO13662", "VENEZUELA-EO13850"}, "SSI"},
		{[]string{"NS-PLC"}, "PLC"},
		{[]string{"SDGT", "NS-PLC"}, "PLC"},
		{[]string{"561-Related"}, "CAP"},
		{[]string{"RUSSIA-EO14024"}, "MBS"},
		{[]string{"UKRAINE-EO13662", "MBS"}, "MBS"},
		{[]string{"CAATSA - RUSSIA"}, "MBS"},
		{[]string{"BURMA-EO14014"}, "MBS"},
		{[]string{"FSE-IR"}, "FSE"},
		{[]string{"SYRIA", "FSE-SY"}, "FSE"},
		{[]string{"SOMETHING-NEW"}, "NONSDN"},
		{nil, "NONSDN"},
	}
	for _, tt := range tests {
		if got := nonSDNList(tt.programs); got != tt.want {
			t.Errorf("nonSDNList(%q) = %q, want %q", tt.programs, got, tt.want)
		}
		if listNames[tt.want] == "" {
			t.Errorf("no ListName for %s", tt.want)
		}
	}
}

func TestParseRemarks(t *testing.T) {
	tests := []struct {
		remarks   string
		ids       []Identifier
		countries []string
	}{
		{"DOB 09 Jan 1956; Passport N302083 (Thailand); National ID No. 3101701873838 (Thailand).",
			[]Identifier{{"Passport", "N302083", "TH"}, {"National ID No.", "3101701873838", "TH"}}, nil},
		{"Tax ID No. 9715250083 (Russia); Registration Number 1167746288976 (Russia); Linked To: ZAKHAROV, Andrey Georgiyevich.",
			[]Identifier{{"Tax ID No.", "9715250083", "RU"}, {"Registration Number", "1167746288976", "RU"}}, nil},
		{"DOB 07 Oct 1952; POB Leningrad, Russia; nationality Russia; citizen Russia; Gender Male.", nil, []string{"RU"}},
		{"nationality Iran; alt. nationality Iraq; alt. Passport A123 (Iraq)", []Identifier{{"Passport", "A123", "IQ"}}, []string{"IR", "IQ"}},
		{"Vessel Registration Identification IMO 7406784; MMSI 572469210", []Identifier{{"Vessel Registration Identification", "IMO 7406784", ""}, {"MMSI", "572469210", ""}}, nil},
		{"Matricula Mercantil No 01302280 (Cali)", []Identifier{{"Matricula Mercantil No", "01302280", "Cali"}}, nil},
		{"Secondary sanctions risk: See Section 11 of Executive Order 14024.; Target Type Government Entity", nil, nil},
		{"", nil, nil},
	}
	for _, tt := range tests {
		e := Entry{Remarks: tt.remarks}
		parseRemarks(&e, newCountries(countryCode(t)))
		eqs(t, "IDs of "+tt.remarks, e.IDs, tt.ids)
		eqs(t, "Countries of "+tt.remarks, e.Countries, tt.countries)
		eq(t, "Remarks unchanged", e.Remarks, tt.remarks)
	}
}

func TestParseCSLIDs(t *testing.T) {
	tests := []struct {
		name, ids string
		want      []Identifier
	}{
		{"2022 layout", "RU, 7702235133, Tax ID No.; www.cbr.ru, Website; 13 Jul 1990, Organization Established Date; CBRFRUMM, SWIFT/BIC; Male, Gender",
			[]Identifier{{"Tax ID No.", "7702235133", "RU"}, {"Website", "www.cbr.ru", ""}, {"SWIFT/BIC", "CBRFRUMM", ""}}},
		{"2025 layout", "Passport, 836238033, KP; Secondary sanctions risk:, North Korea Sanctions Regulations, sections 510.201 and 510.210; Gender, Male; Registration ID, C122790",
			[]Identifier{{"Passport", "836238033", "KP"}, {"Registration ID", "C122790", ""}}},
		{"directive notes", "Subject to Directive 1, Executive Order 13662 Directive Determination -; For more information on directives, please visit the following link: https://x, Executive Order 14024 Directive Information -", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typeFirst := idLayoutVote(tt.ids) > 0
			eqs(t, "IDs", parseCSLIDs(tt.ids, typeFirst), tt.want)
		})
	}
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func eqs[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// Every set is required unless Options.Only names the ones to use: without
// the CSL there is no Entity List, without the SDN files no SDN.
func TestLoadDirRequiresEverySet(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files []string
		want  []string
	}{
		{"missing CSL", append(setFiles(SetSDN), setFiles(SetNonSDN)...),
			[]string{"trade.gov CSL (consolidated.csv or consolidated.csv.gz", "Entity List"}},
		{"missing SDN set", append(setFiles(SetNonSDN), "consolidated.csv"),
			[]string{"OFAC SDN (sdn.csv, add.csv, alt.csv, sdn_comments.csv)"}},
		{"missing non-SDN set", append(setFiles(SetSDN), "consolidated.csv"),
			[]string{"OFAC consolidated non-SDN (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFixtures(t, nil, tt.files...)
			_, err := LoadDir(context.Background(), dir, Options{})
			if !errors.Is(err, ErrIncomplete) {
				t.Fatalf("err = %v, want ErrIncomplete", err)
			}
			for _, want := range append(tt.want, "missing", "chipcheck lists update --lists "+dir, "--lists-only") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v\nwant it to say %q", err, want)
				}
			}
		})
	}
}

func TestLoadDirOnly(t *testing.T) {
	t.Run("partial directory", func(t *testing.T) {
		dir := copyFixtures(t, nil, append(setFiles(SetSDN), "consolidated.csv")...)
		c := load(t, dir, SetCSL, SetSDN)
		if len(c.Lists) != 2 || c.Lists[0].ID != SetSDN || c.Lists[1].ID != SetCSL {
			t.Fatalf("Lists = %+v, want sdn and csl", c.Lists)
		}
		// sdn.csv supersedes the CSL's SDN rows; its non-SDN lists stay.
		csl := c.Lists[1]
		eq(t, "csl_sdn_superseded", csl.Skipped["csl_sdn_superseded"], 2)
		eq(t, "CMIC from the CSL", csl.BySource["CMIC"], 1)
	})
	t.Run("other sets in the directory are ignored", func(t *testing.T) {
		c := load(t, copyFixtures(t, nil), SetCSL)
		if len(c.Lists) != 1 || c.Lists[0].Entries != 19 {
			t.Errorf("Lists = %+v, want the CSL alone with all 19 rows", c.Lists)
		}
	})
	t.Run("a named set must be there", func(t *testing.T) {
		dir := copyFixtures(t, nil, setFiles(SetSDN)...)
		if _, err := LoadDir(context.Background(), dir, Options{Only: []string{SetSDN, SetCSL}}); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "trade.gov CSL") {
			t.Errorf("err = %v, want the CSL missing", err)
		}
	})
	t.Run("unknown set", func(t *testing.T) {
		if _, err := LoadDir(context.Background(), fixtureLists, Options{Only: []string{"eu"}}); err == nil || !strings.Contains(err.Error(), `unknown list set "eu"`) {
			t.Errorf("err = %v", err)
		}
	})
}

// A gzip stream that ends early, or whose checksum fails, is an error
// naming the file and the line where the good data ended.
func TestLoadDirTruncatedGzip(t *testing.T) {
	gz := gzipFixture(t, "consolidated.csv")
	badSum := bytes.Clone(gz)
	badSum[len(badSum)-8] ^= 0xff // the CRC-32 in the trailer
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"half", gz[:len(gz)/2], "cut short"},
		{"trailer missing", gz[:len(gz)-8], "cut short"},
		{"last byte missing", gz[:len(gz)-1], "cut short"},
		{"header only", gz[:10], "cut short"},
		{"header cut", gz[:5], "gzip"},
		{"checksum", badSum, "checksum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFixtures(t, nil, append(setFiles(SetSDN), setFiles(SetNonSDN)...)...)
			path := filepath.Join(dir, "consolidated.csv.gz")
			os.WriteFile(path, tt.data, 0o644)
			_, err := LoadDir(context.Background(), dir, Options{})
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != path || pe.Line < 1 {
				t.Fatalf("err = %#v, want a *ParseError for %s with a line", err, path)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSnapshotAge(t *testing.T) {
	dir := copyFixtures(t, nil)
	for file, day := range map[string]time.Time{
		"sdn.csv":          time.Date(2022, 5, 1, 23, 0, 0, 0, time.UTC),
		"cons_prim.csv":    time.Date(2022, 5, 7, 1, 0, 0, 0, time.UTC),
		"consolidated.csv": time.Date(2022, 5, 2, 0, 0, 0, 0, time.UTC),
	} {
		os.Chtimes(filepath.Join(dir, file), day, day)
	}
	now := time.Date(2022, 5, 7, 18, 30, 0, 0, time.FixedZone("PDT", -7*3600)) // 2022-05-08 UTC
	c, err := LoadDir(context.Background(), dir, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for set, want := range map[string]int{SetSDN: 7, SetNonSDN: 1, SetCSL: 31} { // CSL: newest start_date 2022-04-07
		eq(t, set+" AgeDays", info(t, c, set).AgeDays, want)
	}
	oldest, days := c.Oldest()
	eq(t, "Oldest", oldest.ID, SetCSL)
	eq(t, "Oldest days", days, 31)

	t.Run("start dates after the file's time are not the snapshot", func(t *testing.T) {
		dir := copyFixtures(t, nil, "consolidated.csv")
		path := filepath.Join(dir, "consolidated.csv")
		b, _ := os.ReadFile(path)
		os.WriteFile(path, bytes.Replace(b, []byte("2022-04-07"), []byte("2099-01-01"), 1), 0o644)
		written := time.Date(2022, 5, 2, 0, 0, 0, 0, time.UTC)
		os.Chtimes(path, written, written)
		li := load(t, dir, SetCSL).Lists[0]
		if li.Snapshot >= "2022-04-07" || !isDate(li.Snapshot) {
			t.Errorf("Snapshot = %s, want the newest start date other than the one moved to 2099", li.Snapshot)
		}
	})
}

func TestAgeDaysAndOldest(t *testing.T) {
	now := time.Date(2025, 3, 1, 0, 0, 1, 0, time.UTC)
	for _, tt := range []struct {
		snapshot string
		want     int
	}{
		{"2025-03-01", 0}, {"2025-02-28", 1}, {"2024-03-01", 365}, {"2025-03-05", 0}, {"", -1}, {"2025-02-30", -1},
	} {
		eq(t, "ageDays("+tt.snapshot+")", ageDays(tt.snapshot, now), tt.want)
	}
	c := &Corpus{Lists: []ListInfo{{ID: "a", AgeDays: 3}, {ID: "b", AgeDays: 40}, {ID: "c", AgeDays: 12}}}
	if l, d := c.Oldest(); l.ID != "b" || d != 40 {
		t.Errorf("Oldest = %s, %d; want b, 40", l.ID, d)
	}
	c.Lists = append(c.Lists, ListInfo{ID: "unknown", AgeDays: -1})
	if l, d := c.Oldest(); l.ID != "unknown" || d != -1 {
		t.Errorf("Oldest = %s, %d; want the list of unknown age", l.ID, d)
	}
	if l, d := (&Corpus{}).Oldest(); l.ID != "" || d != -1 {
		t.Errorf("empty Oldest = %+v, %d", l, d)
	}
}
