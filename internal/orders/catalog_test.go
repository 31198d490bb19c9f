package orders

import (
	"encoding/json"
	"testing"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// TestCatalogChipsMatchData: the chip an order gets for a catalog name is
// the catalog entry as the policies' data holds it (an entry without a name
// is named by its id).
func TestCatalogChipsMatchData(t *testing.T) {
	s, _ := shared(t)
	cat := NewCatalog(s)
	entries := s.Data["catalog"].(map[string]any)["entries"].(map[string]any)
	if len(entries) < 30 {
		t.Fatalf("%d catalog entries", len(entries))
	}
	for id, v := range entries {
		b, _ := json.Marshal(v)
		var want Chip
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		want.ID, want.Catalog = id, id
		if want.Name == "" {
			want.Name = id
		}
		got, ok := cat.CatalogChip(id)
		if !ok {
			t.Fatalf("CatalogChip(%s) not found", id)
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s:\n got %s\nwant %s", id, gb, wb)
		}
	}
}

func TestCatalogChip(t *testing.T) {
	s, _ := shared(t)
	cat := NewCatalog(s)
	c, ok := cat.CatalogChip("h100 sxm")
	if !ok {
		t.Fatal(`CatalogChip("h100 sxm") not found`)
	}
	if c.ID != "nvidia-h100-sxm5-80gb" || c.Catalog != "nvidia-h100-sxm5-80gb" || c.Name != "NVIDIA H100 SXM5 80GB" {
		t.Errorf("ID, Catalog, Name = %q, %q, %q", c.ID, c.Catalog, c.Name)
	}
	if c.DieAreaMM2 == nil || *c.DieAreaMM2 != 814 || len(c.Performance) != 4 || c.Performance[0] != (Perf{Format: "fp8", Bits: 8, TOPS: 1978.9}) {
		t.Errorf("figures not decoded: %+v", c)
	}
	if c.Datacenter == nil || !*c.Datacenter || c.DesignerCountry != "US" {
		t.Errorf("datacenter/designer not decoded: %+v", c)
	}
	hbm, _ := cat.CatalogChip("skhynix-hbm3e-8h-24gb")
	if hbm.HBM == nil || hbm.HBM.BandwidthGBs != 1180 || hbm.HBM.PackageAreaMM2 != 121 {
		t.Errorf("hbm not decoded: %+v", hbm)
	}
	ascend, _ := cat.CatalogChip("huawei-ascend-910c")
	if !ascend.GP10Named {
		t.Errorf("gp10_named not decoded: %+v", ascend)
	}
	// A copy: changing it does not change the catalog.
	c.Name, c.ID = "changed", "changed"
	again, _ := cat.CatalogChip("nvidia-h100-sxm5-80gb")
	if again.Name != "NVIDIA H100 SXM5 80GB" || again.ID != "nvidia-h100-sxm5-80gb" {
		t.Errorf("CatalogChip returned the catalog's own entry: %+v", again)
	}
	if _, ok := cat.CatalogChip("nope"); ok {
		t.Error(`CatalogChip("nope") found something`)
	}
	// An entry without a name is named by its id; a die without a count is one.
	bare := catalogChip("bare-entry", rules.CatalogEntry{Dies: []rules.CatalogDie{{Performance: []rules.CatalogPerf{{Format: "int8", Bits: 8, TOPS: 100}}}}})
	if bare.Name != "bare-entry" || len(bare.Dies) != 1 || bare.Dies[0].Count != 1 || bare.Dies[0].Performance[0].TOPS != 100 {
		t.Errorf("bare entry: %+v", bare)
	}
}
