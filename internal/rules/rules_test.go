package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// writeDir creates a rules directory with the given files (name -> text)
// and returns its path.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const testCountries = `
US: {name: "United States", aliases: ["United States of America", "USA"]}
NO: {name: "Norway"}
DE: {name: "Germany"}
KP: {name: "North Korea", aliases: ["Korea, North", "North Korea", "DPRK"]}
KR: {name: "South Korea", aliases: ["Korea, South"]}
MM: {name: "Myanmar (Burma)", aliases: ["Burma"]}
CN: {name: "China"}
`

const testEndUse = `
codes:
  ai_training: {description: "training AI models"}
  military: {description: "military end use"}
`

const testRedFlags = `
flags:
  no_web_presence: {description: "minimal web presence", citation: "x"}
  cash_payment: {description: "cash", citation: "y"}
`

const testCatalog = `
entries:
  nvidia-h100-sxm5-80gb:
    name: NVIDIA H100 SXM5 80GB
    aliases: ["H100 SXM", "H100-SXM5-80G"]
    datacenter: true
    die_area_mm2: 814
    performance:
      - {format: fp8, bits: 8, tops: 1978.9}
    memory_bandwidth_gbs: 3350
    designer_country: US
  bare-entry:
    performance:
      - {format: int8, bits: 8, tops: 100}
`

const testData = `
regimes:
  - id: before
    from: 0001-01-01
  - id: oct-2022
    from: 2022-10-07
    until: "2023-11-17"
flag: NO
other: no
answer: yes
stamp: !!timestamp 2024-12-02
moment: !!timestamp 2024-12-02T10:30:00Z
dates: [2023-01-18, 2024-04-04]
tpp_min: 4800
pd_min: 5.92
negative: -3
nested: {deeper: {value: 7}}
text: "4800"
`

func fullDir(t *testing.T, extra map[string]string) string {
	t.Helper()
	files := map[string]string{
		"countries.yaml": testCountries,
		"end_use.yaml":   testEndUse,
		"red_flags.yaml": testRedFlags,
		"catalog.yaml":   testCatalog,
		"data.yml":       testData,
	}
	for k, v := range extra {
		files[k] = v
	}
	return writeDir(t, files)
}

func load(t *testing.T, dir string) *Set {
	t.Helper()
	s, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return s
}

func TestLoadData(t *testing.T) {
	dir := fullDir(t, map[string]string{
		"README.md":           "not rule data",
		"notes.txt":           "a: b",
		"sub/ignored.yaml":    "countries: {}",
		"not-yaml.yaml.bak":   "x: y",
		"countries.json.yaml": "", // an empty YAML file decodes to null
	})
	s := load(t, dir)

	if s.Dir != dir {
		t.Errorf("Dir = %q, want %q", s.Dir, dir)
	}
	var stems []string
	for k := range s.Data {
		stems = append(stems, k)
	}
	slices.Sort(stems)
	if want := []string{"catalog", "countries", "countries.json", "data", "end_use", "red_flags"}; !slices.Equal(stems, want) {
		t.Errorf("stems = %v, want %v (only *.yaml/*.yml directly in dir)", stems, want)
	}
	if _, ok := s.Files["data.yml"]; !ok {
		t.Errorf("Files lacks data.yml: %v", s.Files)
	}
	if string(s.Files["end_use.yaml"]) != testEndUse {
		t.Errorf("Files[end_use.yaml] is not the bytes as read")
	}

	data := s.Data["data"].(map[string]any)
	regimes := data["regimes"].([]any)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"date stays YYYY-MM-DD", regimes[1].(map[string]any)["from"], "2022-10-07"},
		{"year-1 date", regimes[0].(map[string]any)["from"], "0001-01-01"},
		{"quoted date", regimes[1].(map[string]any)["until"], "2023-11-17"},
		{"explicit timestamp date", data["stamp"], "2024-12-02"},
		{"explicit timestamp time", data["moment"], "2024-12-02T10:30:00Z"},
		{"date in a list", data["dates"], []any{"2023-01-18", "2024-04-04"}},
		{"NO stays a string", data["flag"], "NO"},
		{"no stays a string", data["other"], "no"},
		{"yes stays a string", data["answer"], "yes"},
		{"int", data["tpp_min"], 4800},
		{"float", data["pd_min"], 5.92},
		{"quoted number stays text", data["text"], "4800"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
	// Norway's code as a map key.
	if _, ok := s.Data["countries"].(map[string]any)["NO"]; !ok {
		t.Errorf("countries has no key NO: %v", s.Data["countries"])
	}
	if !s.Country("NO") {
		t.Error(`Country("NO") = false: the YAML key NO was not kept as the string "NO"`)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{
			name:  "duplicate stem yaml and yml",
			files: map[string]string{"countries.yaml": testCountries, "gp10.yaml": "a: 1", "gp10.yml": "a: 2"},
			want:  []string{"gp10.y", "a second file for data.rules.gp10"},
		},
		{
			name:  "bad YAML names file and line",
			files: map[string]string{"countries.yaml": testCountries, "broken.yaml": "a: 1\nb: 2\nc: [1, 2\nd: 4\n"},
			want:  []string{"broken.yaml", "line "},
		},
		{
			// yaml.v3 reports some syntax errors at the line before the
			// offending one; the file and a line are all we ask here.
			name:  "bad indentation names file and a line",
			files: map[string]string{"countries.yaml": testCountries, "indent.yaml": "a:\n  b: 1\n c: 2\n"},
			want:  []string{"indent.yaml", "yaml: line "},
		},
		{
			name:  "duplicate key is refused, with both lines",
			files: map[string]string{"countries.yaml": testCountries, "dup.yaml": "a: 1\nb: 2\na: 3\n"},
			want:  []string{"dup.yaml", "line 3", "already defined at line 1"},
		},
		{
			name:  "non-string map key",
			files: map[string]string{"countries.yaml": testCountries, "keys.yaml": "thresholds:\n  1: one\n"},
			want:  []string{"keys.yaml", "thresholds", "non-string map key"},
		},
		{
			name:  "no yaml files",
			files: map[string]string{"README.md": "x"},
			want:  []string{"no .yaml files"},
		},
		{
			name:  "no countries",
			files: map[string]string{"end_use.yaml": testEndUse},
			want:  []string{"countries.yaml lists no country codes"},
		},
		{
			name: "catalog alias names two entries",
			files: map[string]string{"countries.yaml": testCountries, "catalog.yaml": `
entries:
  a: {aliases: ["Same Name"]}
  b: {aliases: ["same  name"]}
`},
			want: []string{"catalog.yaml", "names both"},
		},
		{
			name: "catalog entry of the wrong shape",
			files: map[string]string{"countries.yaml": testCountries, "catalog.yaml": `
entries:
  a: {die_area_mm2: "big"}
`},
			want: []string{"catalog.yaml", "entries.a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, tt.files)
			s, err := LoadDir(dir)
			if err == nil {
				t.Fatalf("Load succeeded (%d stems), want an error", len(s.Data))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadBadYAMLLine(t *testing.T) {
	// The line in the message is the line of the file, so an editor can
	// jump to it.
	dir := writeDir(t, map[string]string{"countries.yaml": testCountries, "bad.yaml": "ok: 1\nalso: 2\nc: d: e\n"})
	_, err := LoadDir(dir)
	if err == nil {
		t.Fatal("Load succeeded on a bad mapping")
	}
	if !strings.Contains(err.Error(), filepath.Join(dir, "bad.yaml")) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %q: want the path of bad.yaml and line 3", err)
	}
}

func TestLoadMissingDir(t *testing.T) {
	if _, err := LoadDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("Load of a missing directory succeeded")
	}
}

func TestVocabulary(t *testing.T) {
	s := load(t, fullDir(t, nil))
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"country", s.Country, "US", true},
		{"country NO", s.Country, "NO", true},
		{"country unknown", s.Country, "XX", false},
		{"country empty", s.Country, "", false},
		{"end use", s.EndUse, "ai_training", true},
		{"end use military", s.EndUse, "military", true},
		{"end use unknown", s.EndUse, "ai_trainingx", false},
		{"end use from another list", s.EndUse, "cash_payment", false},
		{"red flag", s.RedFlag, "no_web_presence", true},
		{"red flag unknown", s.RedFlag, "suspicious", false},
		{"red flag from another list", s.RedFlag, "ai_training", false},
		{"catalog id", s.Catalog, "nvidia-h100-sxm5-80gb", true},
		{"catalog id upper case", s.Catalog, "NVIDIA-H100-SXM5-80GB", true},
		{"catalog alias", s.Catalog, "H100 SXM", true},
		{"catalog alias other case and spaces", s.Catalog, "  h100   sxm ", true},
		{"catalog alias with dashes", s.Catalog, "h100-sxm5-80g", true},
		{"catalog entry without name or alias", s.Catalog, "BARE-ENTRY", true},
		{"catalog name is not an alias", s.Catalog, "NVIDIA H100 SXM5 80GB", false},
		{"catalog unknown", s.Catalog, "H200", false},
		{"catalog empty", s.Catalog, "", false},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCatalogChip(t *testing.T) {
	s := load(t, fullDir(t, nil))
	c, ok := s.CatalogChip("h100 sxm")
	if !ok {
		t.Fatal(`CatalogChip("h100 sxm") not found`)
	}
	if c.ID != "nvidia-h100-sxm5-80gb" || c.Catalog != "nvidia-h100-sxm5-80gb" {
		t.Errorf("ID, Catalog = %q, %q, want the entry id", c.ID, c.Catalog)
	}
	if c.Name != "NVIDIA H100 SXM5 80GB" {
		t.Errorf("Name = %q", c.Name)
	}
	if c.DieAreaMM2 == nil || *c.DieAreaMM2 != 814 || len(c.Performance) != 1 || c.Performance[0].TOPS != 1978.9 || c.Performance[0].Bits != 8 {
		t.Errorf("figures not decoded: %+v", c)
	}
	if c.Datacenter == nil || !*c.Datacenter || c.DesignerCountry != "US" {
		t.Errorf("datacenter/designer not decoded: %+v", c)
	}

	// A copy: changing it does not change the catalog.
	c.Name = "changed"
	c.ID = "changed"
	again, _ := s.CatalogChip("nvidia-h100-sxm5-80gb")
	if again.Name != "NVIDIA H100 SXM5 80GB" || again.ID != "nvidia-h100-sxm5-80gb" {
		t.Errorf("CatalogChip returned the catalog's own entry: %+v", again)
	}

	bare, ok := s.CatalogChip("bare-entry")
	if !ok || bare.Name != "bare-entry" {
		t.Errorf("entry without name: got %+v, %v; want Name defaulting to the id", bare, ok)
	}
	if _, ok := s.CatalogChip("nope"); ok {
		t.Error(`CatalogChip("nope") found something`)
	}
}

func TestCountryCode(t *testing.T) {
	s := load(t, fullDir(t, nil))
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"US", "US", true},
		{"us", "US", true},
		{"United States", "US", true},
		{"UNITED STATES OF AMERICA", "US", true},
		{"Korea, North", "KP", true},
		{"korea,  north", "KP", true},
		{" North Korea ", "KP", true},
		{"DPRK", "KP", true},
		{"Korea, South", "KR", true},
		{"Burma", "MM", true},
		{"Myanmar (Burma)", "MM", true},
		{"Norway", "NO", true},
		{"NO", "NO", true},
		{"Korea", "", false},
		{"Atlantis", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := s.CountryCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CountryCode(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNumber(t *testing.T) {
	s := load(t, fullDir(t, nil))
	tests := []struct {
		path    []string
		want    float64
		wantErr string
	}{
		{[]string{"data", "tpp_min"}, 4800, ""},
		{[]string{"data", "pd_min"}, 5.92, ""},
		{[]string{"data", "negative"}, -3, ""},
		{[]string{"data", "nested", "deeper", "value"}, 7, ""},
		{[]string{"data", "text"}, 0, "want a number"},
		{[]string{"data", "flag"}, 0, "want a number"},
		{[]string{"data", "missing"}, 0, "data.missing"},
		{[]string{"nostem", "x"}, 0, "nostem.x"},
		{[]string{"data", "tpp_min", "below"}, 0, "not found"},
		{[]string{"data", "nested"}, 0, "want a number"},
	}
	for _, tt := range tests {
		got, err := s.Number(tt.path...)
		name := strings.Join(tt.path, ".")
		if tt.wantErr == "" {
			if err != nil || got != tt.want {
				t.Errorf("Number(%s) = %v, %v, want %v", name, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Number(%s) = %v, want an error", name, got)
		} else if !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Number(%s) error %q, want it to contain %q", name, err, tt.wantErr)
		}
	}
}

func TestCodes(t *testing.T) {
	s := load(t, fullDir(t, nil))
	if got, want := s.Codes("end_use", "codes"), []string{"ai_training", "military"}; !slices.Equal(got, want) {
		t.Errorf("Codes(end_use.codes) = %v, want %v", got, want)
	}
	if got := s.Codes("red_flags", "flags"); !slices.Equal(got, []string{"cash_payment", "no_web_presence"}) {
		t.Errorf("Codes(red_flags.flags) = %v, want sorted", got)
	}
	if got := s.Codes("nope"); len(got) != 0 {
		t.Errorf("Codes(nope) = %v, want none", got)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Korea, North", "korea, north"},
		{"  H100\tSXM \n", "h100 sxm"},
		{"A  B   C", "a b c"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestShippedRules checks the rules/ directory of the repository: the
// vocabularies CONTRACT.md promises and the country aliases the list
// loaders depend on.
func TestShippedRules(t *testing.T) {
	s := load(t, filepath.Join("..", "..", "rules"))
	for _, c := range []string{"ai_training", "supercomputer", "advanced_ic_production",
		"semiconductor_equipment_production", "military", "military_intelligence", "wmd"} {
		if !s.EndUse(c) {
			t.Errorf("end-use code %s (CONTRACT.md) is not in rules/end_use.yaml", c)
		}
	}
	for _, f := range []string{"new_customer_large_volume", "residential_address", "no_web_presence",
		"no_business_need", "datacenter_capacity_unconfirmed", "freight_forwarder_destination",
		"unclear_ultimate_consignee", "evasive_end_use", "unusual_routing", "cash_payment",
		"declines_installation_or_training"} {
		if !s.RedFlag(f) {
			t.Errorf("red-flag code %s (CONTRACT.md) is not in rules/red_flags.yaml", f)
		}
	}
	for in, want := range map[string]string{
		"Korea, North": "KP", "Korea, South": "KR", "Burma": "MM", "Norway": "NO",
		"UAE": "AE", "Hong Kong": "HK", "China": "CN", "Germany": "DE",
	} {
		if got, ok := s.CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v, want %s", in, got, ok, want)
		}
	}
	for _, c := range []string{"US", "NO", "CN", "HK", "MO", "XK"} {
		if !s.Country(c) {
			t.Errorf("Country(%q) = false", c)
		}
	}
	if c, ok := s.CatalogChip("H100-SXM5-80G"); !ok || c.ID != "nvidia-h100-sxm5-80gb" {
		t.Errorf("catalog alias H100-SXM5-80G: %+v, %v", c, ok)
	}
	// Effective dates reach Rego as strings.
	regimes, _ := s.Data["classification"].(map[string]any)["regimes"].([]any)
	if len(regimes) < 2 {
		t.Fatalf("classification.regimes: %v", regimes)
	}
	for _, r := range regimes {
		from := r.(map[string]any)["from"]
		if f, ok := from.(string); !ok || len(f) != 10 {
			t.Errorf("regime from = %#v, want a YYYY-MM-DD string", from)
		}
	}
}
