package orders

import (
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// A party screened again (here as consignee after buyer) comes from the
// cache with its own role, and the first party's hits are not changed by
// it; the cached hits equal a fresh search's.
func TestIndexScreenerCachesPerParty(t *testing.T) {
	rs, _ := shared(t)
	opts, min, err := screen.FromRules(screen.DefaultOptions(), rs.Number)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := screen.NewIndex([]lists.Entry{
		{ID: "1", List: "EL", ListName: "Entity List", Type: "entity", Name: "Shady Compute Trading Ltd", Countries: []string{"HK"}},
		{ID: "2", List: "SDN", ListName: "SDN List", Type: "entity", Name: "Other Holdings", Countries: []string{"IR"}},
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	s := NewIndexScreener(ix, min)
	p := Party{Name: "Shady Compute Trading Limited", Country: "HK"}
	buyer := s.Screen("buyer", p)
	consignee := s.Screen("consignee", p)
	fresh := (&IndexScreener{Index: ix, MinScore: min}).Screen("consignee", p)
	if len(buyer) == 0 || len(buyer) != len(consignee) || len(fresh) != len(consignee) {
		t.Fatalf("hits: buyer %d, consignee %d, fresh %d", len(buyer), len(consignee), len(fresh))
	}
	for i := range buyer {
		if buyer[i].Party != "buyer" || consignee[i].Party != "consignee" {
			t.Errorf("hit %d: roles %q and %q", i, buyer[i].Party, consignee[i].Party)
		}
		if consignee[i].EntryID != fresh[i].EntryID || consignee[i].Score != fresh[i].Score || consignee[i].Explanation != fresh[i].Explanation {
			t.Errorf("hit %d: cached %+v, fresh %+v", i, consignee[i], fresh[i])
		}
	}
	if !s.Screenable(p.Name) || s.Screenable("Co., Ltd.") || s.Screenable("Co., Ltd.") {
		t.Error("Screenable, cached, changed its answer")
	}
	if hits := s.Screen("end_user", Party{Name: "Nobody Known", Country: "DE"}); len(hits) != 0 {
		t.Errorf("a clean name got %v", hits)
	}
}
