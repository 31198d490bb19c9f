package lists

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Tests against the real snapshots in ../shared/data/lists. The expected
// numbers are those SOURCES.md states; the test also recounts them from
// the raw files with a plain encoding/csv pass, so that a wrong number in
// either place shows.

// rawRecords reads a file with encoding/csv alone (gunzipping if needed),
// dropping OFAC's trailing "\x1a" record.
func rawRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(recs); n > 0 && len(recs[n-1]) == 1 && recs[n-1][0] == "\x1a" {
		recs = recs[:n-1]
	}
	return recs
}

func TestRealSnapshotsOFAC(t *testing.T) {
	dir := needReal(t)
	c := load(t, dir)

	// sdn.csv: every primary record is kept.
	prim := rawRecords(t, filepath.Join(dir, "sdn.csv"))
	ents := map[string]bool{}
	types := map[string]int{}
	for _, r := range prim {
		ents[r[0]] = true
		types[ofacType(r[2])]++
	}
	if len(prim) != 15443 {
		t.Errorf("raw sdn.csv has %d records, SOURCES.md says 15,443", len(prim))
	}
	sdn := info(t, c, SetSDN)
	eq(t, "SDN entries", sdn.Entries, len(prim))
	wantTypes := map[string]int{"entity": 7270, "individual": 6927, "vessel": 872, "aircraft": 374}
	if !maps.Equal(types, wantTypes) {
		t.Errorf("raw types = %v, SOURCES.md says %v", types, wantTypes)
	}
	gotTypes := map[string]int{}
	for _, e := range c.Entries {
		if e.List == "SDN" {
			gotTypes[e.Type]++
		}
	}
	if !maps.Equal(gotTypes, wantTypes) {
		t.Errorf("loaded types = %v, want %v", gotTypes, wantTypes)
	}

	// Companion rows whose ent_num has no sdn.csv row are skipped: the
	// companions are from about 2025-01, sdn.csv from 2024-07.
	for _, tt := range []struct {
		file, key string
		want      int // distinct ent_num, per SOURCES.md
	}{
		{"add.csv", "orphan_address", 1577},
		{"alt.csv", "orphan_alias", 704},
		{"sdn_comments.csv", "orphan_comment", 1},
	} {
		distinct, rows := map[string]bool{}, 0
		for _, r := range rawRecords(t, filepath.Join(dir, tt.file)) {
			if !ents[r[0]] {
				distinct[r[0]] = true
				rows++
			}
		}
		if len(distinct) != tt.want {
			t.Errorf("%s: raw orphans %d, SOURCES.md says %d", tt.file, len(distinct), tt.want)
		}
		eq(t, "Skipped["+tt.key+"]", sdn.Skipped[tt.key], tt.want)
		eq(t, "Skipped["+tt.key+"_rows]", sdn.Skipped[tt.key+"_rows"], rows)
	}

	// Non-SDN: all 442 kept (no orphans). The list code follows the
	// program: CMIC-EO13959 68; NS-PLC 76 + "SDGT] [NS-PLC" 2; UKRAINE-EO13662
	// alone or with Russia/Venezuela/Iran programs 197+86+2+1 = 286 (SSI);
	// 561-Related 1 (CAP); EO 14024 alone 6 + CAATSA 1 + BURMA-EO14014 1 +
	// ILLICIT-DRUGS-EO14059 1 = 9 (MBS).
	cons := rawRecords(t, filepath.Join(dir, "cons_prim.csv"))
	if len(cons) != 442 {
		t.Errorf("raw cons_prim.csv has %d records, SOURCES.md says 442", len(cons))
	}
	non := info(t, c, SetNonSDN)
	eq(t, "non-SDN entries", non.Entries, 442)
	wantBy := map[string]int{"CMIC": 68, "PLC": 78, "SSI": 286, "CAP": 1, "MBS": 9}
	if !maps.Equal(non.BySource, wantBy) {
		t.Errorf("non-SDN BySource = %v, want %v", non.BySource, wantBy)
	}
	if non.Skipped != nil {
		t.Errorf("non-SDN Skipped = %v, want none", non.Skipped)
	}

	// Names the demo relies on.
	for _, want := range []struct{ list, name string }{
		{"CMIC", "INSPUR GROUP CO., LTD."},
		{"CMIC", "HUAWEI TECHNOLOGIES CO., LTD."},
		{"CMIC", "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"},
		{"CMIC", "DAWNING INFORMATION INDUSTRY CO., LTD"},
		{"SDN", "PUTIN, Vladimir Vladimirovich"},
		{"EL", "Huawei Technologies Co., Ltd. (Huawei)"},
		{"EL", "HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District"},
	} {
		found := false
		for _, e := range c.Entries {
			if e.List == want.list && e.Name == want.name {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no %s entry %q", want.list, want.name)
		}
	}

	// Every country the add.csv Country column names should map, bar the
	// few that have no ISO code.
	for name := range sdn.UnknownCountries {
		switch name {
		case "undetermined", "Netherlands Antilles", "Region: Commonwealth of Independent States":
		default:
			if !strings.Contains(name, "possibly") { // "nationality possibly Palestinian;arrested ..."
				t.Errorf("country %q (%d times) does not map: add it to rules/countries.yaml", name, sdn.UnknownCountries[name])
			}
		}
	}
}

// cslCounts are the CSL rows by source, from SOURCES.md.
var cslCounts = map[string]int{
	"SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163,
	"PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 53, "MBS": 17, "FSE": 3,
}

func TestRealSnapshotsCSL(t *testing.T) {
	dir := needReal(t)
	gz := filepath.Join(dir, "consolidated.csv.gz")
	raw := rawRecords(t, gz)
	rawBy := map[string]int{}
	for _, r := range raw[1:] {
		rawBy[cslSources[r[1]]]++
	}
	if len(raw)-1 != 14160 || !maps.Equal(rawBy, cslCounts) {
		t.Errorf("raw CSL: %d rows %v; SOURCES.md says 14,160 %v", len(raw)-1, rawBy, cslCounts)
	}

	// Alone, every row is kept.
	alone := t.TempDir()
	if err := os.Symlink(mustAbs(t, gz), filepath.Join(alone, "consolidated.csv.gz")); err != nil {
		t.Fatal(err)
	}
	c := load(t, alone, SetCSL)
	li := c.Lists[0]
	eq(t, "entries", li.Entries, 14160)
	if !maps.Equal(li.BySource, cslCounts) {
		t.Errorf("BySource = %v, want %v", li.BySource, cslCounts)
	}
	eq(t, "Snapshot", li.Snapshot, "2022-04-21")

	// Entity List by country. SOURCES.md counts rows by the code ending
	// the addresses field (RU 574, CN 445, AE 156, PK 125, IR 88, HK 84);
	// Countries holds the country of every address (and names such as
	// "..., China" too), so each count there is at least as high. Two rows
	// end in "AF; PK" and "..., LU; RU": two addresses, which SOURCES.md's
	// count read as one, so by last address PK and RU have one row more.
	byTail, byCountry := map[string]int{}, map[string]int{}
	alias, and := 0, 0
	for _, e := range c.Entries {
		if e.List == "EL" {
			if n := len(e.Addresses); n > 0 {
				last := e.Addresses[n-1]
				byTail[strings.TrimSpace(last[strings.LastIndex(last, ",")+1:])]++
			}
			for _, cc := range e.Countries {
				byCountry[cc]++
			}
		}
		if len(e.Aliases) > 0 {
			alias++
		}
		for _, a := range e.Aliases {
			if strings.HasPrefix(a, "and ") {
				and++
			}
		}
		if e.Name != strings.TrimSpace(e.Name) {
			t.Errorf("name not trimmed: %q", e.Name)
		}
	}
	for cc, want := range map[string]int{"RU": 574, "CN": 445, "AE": 156, "PK": 125, "IR": 88, "HK": 84} {
		tail := want
		if cc == "PK" || cc == "RU" {
			tail++
		}
		if byTail[cc] != tail || byCountry[cc] < want {
			t.Errorf("EL rows in %s: %d by last address, %d by Countries; SOURCES.md says %d", cc, byTail[cc], byCountry[cc], want)
		}
	}
	// 6,790 rows have alt_names; 24 Affiliated Entity rows gain one more,
	// 6 of which had none.
	if alias < 6790 {
		t.Errorf("%d entries with aliases, want at least the 6,790 rows with alt_names", alias)
	}
	eq(t, `aliases starting "and "`, and, 0)

	// With the OFAC files beside it, the CSL keeps only BIS and State rows:
	// 14,160 - 10,026 SDN - (290 SSI + 78 PLC + 68 CMIC + 53 CAP + 17 MBS + 3 FSE = 509) = 3,625.
	all := load(t, dir)
	csl := info(t, all, SetCSL)
	eq(t, "kept with OFAC files", csl.Entries, 3625)
	eq(t, "csl_sdn_superseded", csl.Skipped["csl_sdn_superseded"], 10026)
	eq(t, "csl_nonsdn_superseded", csl.Skipped["csl_nonsdn_superseded"], 509)
	want := map[string]int{"EL": 2001, "DTC": 727, "DPL": 462, "UVL": 201, "ISN": 163, "MEU": 71}
	if !maps.Equal(csl.BySource, want) {
		t.Errorf("BySource = %v, want %v", csl.BySource, want)
	}
}

// The 2025 export format: every field quoted, ids written type first.
func TestRealCSLSample2025(t *testing.T) {
	dir := needReal(t)
	sample := t.TempDir()
	if err := os.Symlink(mustAbs(t, filepath.Join(dir, "samples", "consolidated.csv")), filepath.Join(sample, "consolidated.csv")); err != nil {
		t.Fatal(err)
	}
	c := load(t, sample, SetCSL)
	eq(t, "entries", c.Lists[0].Entries, 13)
	rim := find(t, c, "SDN", "52291")
	eqs(t, "IDs", rim.IDs, []Identifier{{Type: "Passport", Number: "836238033", Country: "KP"}})
	eqs(t, "Countries", rim.Countries, []string{"CN", "KP"})
	ssi := find(t, c, "SSI", "28603")
	eqs(t, "SSI IDs", ssi.IDs, []Identifier{{"V.A.T. Number", "CHE-267.936.404", "CH"}, {"Business Registration Number", "CH-660.0.559.011-2", "CH"}})
	for _, e := range c.Entries {
		if e.List == "EL" {
			eqs(t, "EL Countries", e.Countries, []string{"CN"})
			if len(e.Aliases) != 6 || e.Aliases[5] != "CETC Research Institute 13" {
				t.Errorf("EL Aliases = %q", e.Aliases)
			}
		}
	}
}

// LoadDir on all the snapshots is the start-up cost of every screening
// command: it must stay well under a second.
func TestRealLoadTime(t *testing.T) {
	if os.Getenv("CHIPCHECK_PERF") == "" || raceEnabled {
		t.Skip("a timed gate: set CHIPCHECK_PERF=1 to run it (on a quiet machine, without -race); BenchmarkLoadDir measures the same")
	}
	dir := needReal(t)
	best := time.Hour
	for range 3 {
		start := time.Now()
		if _, err := LoadDir(context.Background(), dir, Options{CountryCode: countryCode(t)}); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	t.Logf("LoadDir(all snapshots): best of 3 = %v", best)
	if best > 500*time.Millisecond {
		t.Errorf("LoadDir took %v, budget 500ms (the whole screening load must stay under 1s)", best)
	}
}

func BenchmarkLoadDir(b *testing.B) {
	dir := needReal(b)
	opts := Options{CountryCode: countryCode(b)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadDir(context.Background(), dir, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
