package orders

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestAddressedLetters: which letters bind an order's exporter, whatever
// its spelling, and whose name counts: the order's own, else the
// configured one.
func TestAddressedLetters(t *testing.T) {
	rs, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Letters: LettersOf(rs)}, false)
	tests := []struct {
		exporter string
		known    bool
		letters  string
	}{
		{"NVIDIA Corporation", true, "[nvidia-h20-2025-04]"},
		{"  nvidia corp. ", true, "[nvidia-h20-2025-04]"},
		{"NVIDIA CORPORATION", true, "[nvidia-h20-2025-04]"},
		{"Nvidia, Inc.", true, "[nvidia-h20-2025-04]"}, // legal forms do not tell companies apart
		{"Advanced Micro Devices Inc", true, "[amd-mi308-2025-04]"},
		{"AMD", true, "[amd-mi308-2025-04]"},
		{"Habana Labs", true, "[intel-gaudi-2025-04]"},
		{"NVIDIA Research Labs", true, "[]"},
		{"Lakeshore Silicon Inc.", true, "[]"},
		{"", false, "[]"},
		{"Inc.", false, "[]"}, // nothing but a legal form: no exporter known
	}
	for _, tt := range tests {
		got := d.addressed(tt.exporter)
		if got["known"] != tt.known || fmt.Sprint(got["letters"]) != tt.letters {
			t.Errorf("addressed(%q) = %v, want known %v, letters %s", tt.exporter, got, tt.known, tt.letters)
		}
	}
}

func TestExporterOfTheOrderFirst(t *testing.T) {
	rs, _ := shared(t)
	recs := readYAML(t, rs, `
kind: order
id: SO-1
date: 2026-11-20
ship_from: US
destination: CN
exporter: {name: Lakeshore Silicon Inc., country: US}
items:
  - {sku: H20, quantity: 1, catalog: nvidia-h20}
---
kind: order
id: SO-2
date: 2026-11-20
ship_from: US
destination: CN
exporter: {country: US}
items:
  - {sku: H20, quantity: 1, catalog: nvidia-h20}
`)
	opts := FactOptions{Catalog: NewCatalog(rs), Exporter: " NVIDIA Corporation "}
	for i, want := range []string{"Lakeshore Silicon Inc.", "NVIDIA Corporation"} {
		f, err := ForOrder(&recs[i], opts)
		if err != nil || f.Exporter != want {
			t.Errorf("%s: exporter %q (%v), want %q", recs[i].ID, f.Exporter, err, want)
		}
	}
}

// TestLettersStageSharedWhenNoLetterIsAddressed: an exporter no letter is
// addressed to makes the letters stage see neither items nor parties, so
// orders that differ in both share one evaluation (every hit verified
// against a fresh one); the letter's addressee still meets its letter.
func TestLettersStageSharedWhenNoLetterIsAddressed(t *testing.T) {
	rs, pol := shared(t)
	orders := readYAML(t, rs, `
kind: order
id: A
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Buyer A, country: CN, headquarters: CN}
items:
  - {sku: H20, quantity: 1, catalog: nvidia-h20}
---
kind: order
id: B
date: 2026-11-20
ship_from: US
destination: CN
parties:
  buyer: {name: Buyer B, country: DE, headquarters: DE, ultimate_parent: {name: P, headquarters: CN}}
items:
  - {sku: MI308, quantity: 2, catalog: amd-instinct-mi308x}
  - {sku: H20, quantity: 1, catalog: nvidia-h20}
`)
	tests := []struct {
		exporter   string
		wantMisses int64
		letter     bool // EAR-IS-INFORMED on the first order
	}{
		{"Lakeshore Silicon Inc.", 1, false},
		{"NVIDIA Corporation", 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.exporter, func(t *testing.T) {
			d, eng := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), Letters: LettersOf(rs), Exporter: tt.exporter}, true)
			var rules []string
			for i := range orders {
				dec := d.Decide(context.Background(), &orders[i])
				if i == 0 {
					for _, r := range dec.Reasons {
						rules = append(rules, r.Rule)
					}
				}
			}
			if got := slices.Contains(rules, "EAR-IS-INFORMED"); got != tt.letter {
				t.Errorf("EAR-IS-INFORMED on order A: %v, want %v (%v)", got, tt.letter, rules)
			}
			for _, s := range eng.Stats() {
				if s.Query == "letters" && s.Misses != tt.wantMisses {
					t.Errorf("letters evaluated %d times, want %d", s.Misses, tt.wantMisses)
				}
			}
		})
	}
}
