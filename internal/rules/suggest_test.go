package rules

import (
	"slices"
	"strings"
	"testing"
)

func TestNearestCountry(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string // among the suggestions, first one first
		none bool
	}{
		{"UK", []string{"GB"}, false},      // an alias
		{"Germany", []string{"DE"}, false}, // a name
		{"CHN", []string{"CN"}, false},     // ISO alpha-3
		{"RUS", []string{"RU"}, false},
		{"VNM", []string{"VN"}, false},
		{"DX", []string{"DZ"}, false}, // the second letter a key away
		{"DW", []string{"DE"}, false},
		{"Switz", []string{"CH"}, false},
		{"QQ", []string{"QA"}, false},
		{"Atlantis", nil, true},
		{"", nil, true},
	}
	for _, tt := range tests {
		got := s.NearestCountry(tt.in)
		if tt.none {
			if len(got) != 0 {
				t.Errorf("NearestCountry(%q) = %v, want none", tt.in, got)
			}
			continue
		}
		if len(got) == 0 || got[0] != tt.want[0] || len(got) > maxSuggestions {
			t.Errorf("NearestCountry(%q) = %v, want %v first, at most %d", tt.in, got, tt.want[0], maxSuggestions)
		}
	}
	if h := s.CountryHint("UK"); h != `; did you mean GB (United Kingdom)?` {
		t.Errorf("CountryHint(UK) = %q", h)
	}
}

func TestNearestCatalog(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want string // among the suggestions
	}{
		{"mi300", "amd-instinct-mi300x"},             // contained in an id
		{"mi30ox", "amd-instinct-mi300x"},            // a typo
		{"nvdia-h10", "nvidia-h100-pcie-80gb"},       // a typo in the start
		{"H100 SXM5 80 GB", "nvidia-h100-sxm5-80gb"}, // spacing and case
		{"gaudi4", "intel-gaudi3"},
	}
	for _, tt := range tests {
		got := s.NearestCatalog(tt.in)
		if !slices.Contains(got, tt.want) || len(got) > maxSuggestions {
			t.Errorf("NearestCatalog(%q) = %v, want %s among at most %d", tt.in, got, tt.want, maxSuggestions)
		}
	}
	for _, in := range []string{"zzzzzz", "", "a"} {
		if got := s.NearestCatalog(in); len(got) != 0 {
			t.Errorf("NearestCatalog(%q) = %v, want none", in, got)
		}
	}
	if h := s.CatalogHint("zzzzzz"); !strings.Contains(h, "chipcheck catalog") {
		t.Errorf("CatalogHint with nothing near = %q, want a pointer to chipcheck catalog", h)
	}
}
