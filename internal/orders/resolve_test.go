package orders

import (
	"strings"
	"testing"
)

// TestForOrderResolvesCatalogChips: a line (or a contained chip) written
// as chip: {catalog: NAME} is the catalog's chip, as catalog: NAME is; a
// chip that gives its own figures is its own.
func TestForOrderResolvesCatalogChips(t *testing.T) {
	own := &Chip{Name: "own", Catalog: "h100", Performance: []Perf{{Format: "int8", Bits: 8, TOPS: 1}}}
	tests := []struct {
		name  string
		item  Item
		want  []string // names of the line's chip, or of its contained chips
		error string
	}{
		{"chip naming a catalog entry", Item{SKU: "A", Quantity: 1, Chip: &Chip{Catalog: "h100"}}, []string{"NVIDIA H100"}, ""},
		{"contained chip naming a catalog entry", Item{SKU: "S", Quantity: 1, Contains: []Contained{{Count: 8, Chip: &Chip{Catalog: "a100"}}}}, []string{"NVIDIA A100"}, ""},
		{"chip with its own figures", Item{SKU: "B", Quantity: 1, Chip: own}, []string{"own"}, ""},
		{"chip naming no catalog entry", Item{SKU: "C", Quantity: 1, Chip: &Chip{Catalog: "nope"}}, nil, "items[0].chip.catalog"},
		{"contained chip naming no catalog entry", Item{SKU: "D", Quantity: 1, Contains: []Contained{{Count: 1, Chip: &Chip{Catalog: "nope"}}}}, nil, "items[0].contains[0].chip.catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Order{ID: "SO-1", Date: "2026-11-20", ShipFrom: "US", Destination: "DE", Items: []Item{tt.item}}
			f, err := ForOrder(orderRecord(o), FactOptions{Catalog: catalog})
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Errorf("ForOrder = %v, want an error containing %q", err, tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			it := f.Items[0]
			if it.Chip != nil {
				got = append(got, it.Chip.Name)
			}
			for _, c := range it.Contains {
				got = append(got, c.Chip.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("chips %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCheckPolicy: the check New makes, on its own (runner.LoadPolicy
// makes it for every command).
func TestCheckPolicy(t *testing.T) {
	_, pol := shared(t)
	if err := CheckPolicy(pol); err != nil {
		t.Errorf("the built-in policy: %v", err)
	}
	stub, err := stubPolicy(t, documents()[1:])
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPolicy(stub); err == nil || !strings.Contains(err.Error(), documents()[0]) {
		t.Errorf("CheckPolicy = %v, want an error naming %s", err, documents()[0])
	}
}
