package orders

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// fakeCatalog resolves names case-sensitively from a map, returning copies.
type fakeCatalog map[string]Chip

func (c fakeCatalog) CatalogChip(name string) (*Chip, bool) {
	chip, ok := c[name]
	if !ok {
		return nil, false
	}
	return &chip, true
}

var catalog = fakeCatalog{
	"h100": {ID: "h100", Catalog: "h100", Name: "NVIDIA H100", Performance: []Perf{{Format: "fp8", Bits: 8, TOPS: 1978.9}}},
	"a100": {ID: "a100", Catalog: "a100", Name: "NVIDIA A100", Performance: []Perf{{Format: "int8", Bits: 8, TOPS: 624}}},
}

// recScreener records every call and returns one hit per call.
type recScreener struct {
	mu    sync.Mutex
	calls []string // "role=name/country/headquarters"
}

func (s *recScreener) Screen(role string, p Party) []decision.Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, fmt.Sprintf("%s=%s/%s/%s", role, p.Name, p.Country, p.Headquarters))
	return []decision.Hit{{Party: role, PartyName: p.Name, List: "EL"}}
}

func (s *recScreener) Screenable(name string) bool { return screen.Screenable(name) }

func orderRecord(o *Order) *record.Record {
	return &record.Record{Kind: KindOrder, ID: o.ID, Source: record.Source{File: "orders.yaml", Line: 7}, Value: o}
}

func fullOrder() *Order {
	return &Order{
		ID: "SO-1", Date: "2026-11-20", ShipFrom: "US", Destination: "SG",
		Exporter: &Party{Name: "Exporter Inc.", Country: "US", Headquarters: "US"},
		Parties: Parties{
			Buyer: &Party{Name: "Buyer Pte", Country: "SG", Headquarters: "SG",
				UltimateParent: &Parent{Name: "Parent Co", Country: "CN", Headquarters: "CN"}},
			Consignee: &Party{Name: "Consignee Pte", Country: "SG"},
			EndUser:   &Party{Name: "End User Sdn Bhd", Country: "MY", Headquarters: "HK"},
			Intermediates: []Party{
				{Name: "Forwarder FZE", Country: "AE", Role: "freight_forwarder",
					UltimateParent: &Parent{Name: "Forwarder Holding", Headquarters: "RU"}},
				{Name: "Broker Ltd", Country: "GB"},
				{Name: "Shell Ltd", Country: "GB", UltimateParent: &Parent{Headquarters: "IR"}}, // parent without name
			},
		},
		EndUse: EndUse{Codes: []string{"ai_training"}},
		Items: []Item{
			{SKU: "H100-8", Quantity: 8, Catalog: "h100"},
			{SKU: "CUSTOM", Quantity: 1, Chip: &Chip{Name: "inline chip", Performance: []Perf{{Format: "int8", Bits: 8, TOPS: 10}}}},
			{SKU: "SRV", Quantity: 1, Contains: []Contained{
				{Count: 8, Catalog: "a100"},
				{Count: 1, Chip: &Chip{Name: "inline contained"}},
			}},
		},
	}
}

func TestForOrderResolvesCatalog(t *testing.T) {
	o := fullOrder()
	f, err := ForOrder(orderRecord(o), FactOptions{Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 3 {
		t.Fatalf("%d items, want 3", len(f.Items))
	}
	tests := []struct {
		name string
		chip *Chip
		want string
	}{
		{"item catalog", f.Items[0].Chip, "NVIDIA H100"},
		{"inline chip", f.Items[1].Chip, "inline chip"},
		{"contained catalog", f.Items[2].Contains[0].Chip, "NVIDIA A100"},
		{"contained inline", f.Items[2].Contains[1].Chip, "inline contained"},
	}
	for _, tt := range tests {
		if tt.chip == nil {
			t.Errorf("%s: chip not set", tt.name)
			continue
		}
		if tt.chip.Name != tt.want {
			t.Errorf("%s: chip %q, want %q", tt.name, tt.chip.Name, tt.want)
		}
	}
	if f.Items[0].Chip.Performance[0].TOPS != 1978.9 {
		t.Errorf("catalog figures not carried: %+v", f.Items[0].Chip)
	}
	if f.Items[2].Contains[0].Count != 8 || f.Items[0].SKU != "H100-8" || f.Items[0].Quantity != 8 {
		t.Errorf("sku/quantity/count lost: %+v", f.Items)
	}
	// The record itself is left as read.
	if o.Items[0].Chip != nil || o.Items[2].Contains[0].Chip != nil {
		t.Error("ForOrder wrote resolved chips into the input record")
	}
}

func TestForOrderDateAndExporter(t *testing.T) {
	tests := []struct {
		name, asOf, want string
	}{
		{"record date", "", "2026-11-20"},
		{"as-of overrides", "2023-06-01", "2023-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ForOrder(orderRecord(fullOrder()), FactOptions{Catalog: catalog, AsOf: tt.asOf, Exporter: "Exporter Inc."})
			if err != nil {
				t.Fatal(err)
			}
			if f.Date != tt.want {
				t.Errorf("Date = %q, want %q", f.Date, tt.want)
			}
			if f.Exporter != "Exporter Inc." {
				t.Errorf("Exporter = %q", f.Exporter)
			}
			if f.Record == nil || f.Record.ID != "SO-1" {
				t.Errorf("Record not kept")
			}
		})
	}
}

func TestForOrderCatalogErrors(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		cat   Catalog
		want  []string
	}{
		{
			name:  "unknown item catalog",
			items: []Item{{SKU: "A", Catalog: "h100"}, {SKU: "B", Catalog: "h999"}},
			cat:   catalog,
			want:  []string{"orders.yaml:7", "items[1].catalog", `"h999" is not in the catalog`},
		},
		{
			name:  "unknown contained catalog",
			items: []Item{{SKU: "S", Contains: []Contained{{Count: 1, Catalog: "a100"}, {Count: 2, Catalog: "nope"}}}},
			cat:   catalog,
			want:  []string{"orders.yaml:7", "items[0].contains[1].catalog", `"nope"`},
		},
		{
			name:  "no catalog loaded",
			items: []Item{{SKU: "A", Catalog: "h100"}},
			cat:   nil,
			want:  []string{"items[0].catalog", "no catalog loaded"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := fullOrder()
			o.Items = tt.items
			f, err := ForOrder(orderRecord(o), FactOptions{Catalog: tt.cat})
			if err == nil {
				t.Fatalf("ForOrder succeeded: %+v", f.Items)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestForOrderNotAnOrder(t *testing.T) {
	rec := &record.Record{Kind: KindChip, ID: "c", Source: record.Source{File: "chips.yaml", Line: 3}, Value: &Chip{}}
	_, err := ForOrder(rec, FactOptions{Catalog: catalog})
	if err == nil || !strings.Contains(err.Error(), "chips.yaml:3") {
		t.Errorf("ForOrder(chip record) error = %v, want one naming chips.yaml:3", err)
	}
}

func TestRoleParties(t *testing.T) {
	tests := []struct {
		name    string
		parties Parties
		want    []string // role=name
	}{
		{
			name:    "all roles in fixed order",
			parties: fullOrder().Parties,
			want: []string{"buyer=Buyer Pte", "consignee=Consignee Pte", "end_user=End User Sdn Bhd",
				"intermediate.freight_forwarder=Forwarder FZE", "intermediate=Broker Ltd", "intermediate=Shell Ltd"},
		},
		{
			name:    "missing parties are skipped",
			parties: Parties{EndUser: &Party{Name: "E"}, Buyer: &Party{Name: "B"}},
			want:    []string{"buyer=B", "end_user=E"},
		},
		{
			name:    "none",
			parties: Parties{},
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range (&Order{Parties: tt.parties}).RoleParties() {
				got = append(got, p.Role+"="+p.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("RoleParties = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRolePartiesKeepsUltimateParent(t *testing.T) {
	ps := fullOrder().RoleParties()
	if ps[0].UltimateParent == nil || ps[0].UltimateParent.Name != "Parent Co" {
		t.Errorf("buyer's ultimate parent lost: %+v", ps[0])
	}
}

func TestCountries(t *testing.T) {
	tests := []struct {
		name string
		o    *Order
		want []string
	}{
		{
			name: "first seen, once each",
			o:    fullOrder(),
			// destination, ship_from, exporter, buyer (+parent), consignee,
			// end user, intermediates (+parents)
			want: []string{"SG", "US", "CN", "MY", "HK", "AE", "RU", "GB", "IR"},
		},
		{
			name: "domestic order, no parties",
			o:    &Order{ShipFrom: "US", Destination: "US"},
			want: []string{"US"},
		},
		{
			name: "empty codes skipped",
			o: &Order{Destination: "DE", Parties: Parties{
				Buyer: &Party{Name: "x", UltimateParent: &Parent{Name: "p"}},
			}},
			want: []string{"DE"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ForOrder(orderRecord(tt.o), FactOptions{Catalog: catalog})
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Countries(); !slices.Equal(got, tt.want) {
				t.Errorf("Countries = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestScreening(t *testing.T) {
	s := &recScreener{}
	f, err := ForOrder(orderRecord(fullOrder()), FactOptions{Catalog: catalog, Screener: s})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"buyer=Buyer Pte/SG/SG",
		"buyer.ultimate_parent=Parent Co/CN/CN",
		"consignee=Consignee Pte/SG/",
		"end_user=End User Sdn Bhd/MY/HK",
		"intermediate.freight_forwarder=Forwarder FZE/AE/",
		"intermediate.freight_forwarder.ultimate_parent=Forwarder Holding//RU",
		"intermediate=Broker Ltd/GB/",
		"intermediate=Shell Ltd/GB/", // its parent has no name: nothing to screen
		"exporter=Exporter Inc./US/US",
	}
	if !slices.Equal(s.calls, want) {
		t.Errorf("screener calls:\n  %s\nwant:\n  %s", strings.Join(s.calls, "\n  "), strings.Join(want, "\n  "))
	}
	if len(f.Unscreened) != 1 || f.Unscreened[0].Party != "intermediate.ultimate_parent" || f.Unscreened[0].PartyName != "" {
		t.Errorf("Unscreened = %+v, want the intermediate's parent without a name", f.Unscreened)
	}
	if !f.Screened {
		t.Error("Screened = false with a screener")
	}
	if len(f.Hits) != len(want) {
		t.Fatalf("%d hits, want %d (one per call)", len(f.Hits), len(want))
	}
	for i, h := range f.Hits {
		if role := strings.SplitN(want[i], "=", 2)[0]; h.Party != role {
			t.Errorf("hit %d party %q, want %q (hits in screening order)", i, h.Party, role)
		}
	}
}

func TestNoScreener(t *testing.T) {
	f, err := ForOrder(orderRecord(fullOrder()), FactOptions{Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	if f.Screened || len(f.Hits) != 0 {
		t.Errorf("without a screener: Screened=%v, %d hits; want false, 0", f.Screened, len(f.Hits))
	}
}

func TestResolveChip(t *testing.T) {
	perf := []Perf{{Format: "int8", Bits: 8, TOPS: 1}}
	tests := []struct {
		name     string
		in       *Chip
		wantName string
		wantID   string
		wantErr  string
	}{
		{"catalog only", &Chip{Catalog: "h100"}, "NVIDIA H100", "h100", ""},
		{"catalog with own id", &Chip{ID: "my-h100", Catalog: "h100"}, "NVIDIA H100", "my-h100", ""},
		{"figures given win over catalog", &Chip{ID: "x", Name: "own", Catalog: "h100", Performance: perf}, "own", "x", ""},
		{"hbm given wins over catalog", &Chip{ID: "x", Name: "stack", Catalog: "h100", HBM: &HBM{BandwidthGBs: 1}}, "stack", "x", ""},
		{"no catalog", &Chip{ID: "x", Name: "plain"}, "plain", "x", ""},
		{"unknown catalog", &Chip{Catalog: "nope"}, "", "", `"nope" is not in the catalog`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveChip(tt.in, catalog)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName || got.ID != tt.wantID {
				t.Errorf("got name %q id %q, want %q %q", got.Name, got.ID, tt.wantName, tt.wantID)
			}
		})
	}
}
