package screen

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
)

// testEntries are a few real list entries (names, aliases and countries as
// published), enough to exercise every matching path without the shared
// list files.
func testEntries() []lists.Entry {
	return []lists.Entry{
		{ID: "el-huawei", List: "EL", Type: "entity", Name: "Huawei Technologies Co., Ltd. (Huawei)", Aliases: []string{"Shenzhen Huawei Technologies", "Huawei Technology"}, Countries: []string{"CN"}},
		{ID: "el-hmn", List: "EL", Type: "entity", Name: "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd.", Aliases: []string{"Huawei Marine", "HMN Technologies"}, Countries: []string{"CN"}},
		{ID: "el-hfr", List: "EL", Type: "entity", Name: "Huawei France", Aliases: []string{"Huawei Technologies France SASU"}, Countries: []string{"FR"}},
		{ID: "el-smic", List: "EL", Type: "entity", Name: "Semiconductor Manufacturing International Corporation (SMIC)", Aliases: []string{"SMIC Shanghai"}, Countries: []string{"CN"}},
		{ID: "el-smich", List: "EL", Type: "entity", Name: "SMIC Holdings Limited", Countries: []string{"CN"}},
		{ID: "35096", List: "SDN", Type: "individual", Name: "PUTIN, Vladimir Vladimirovich", Aliases: []string{"PUTIN, Vladimir"}, Countries: []string{"RU"}},
		{ID: "37447", List: "SDN", Type: "entity", Name: "JSC ARGUMENT", Countries: []string{"RU"}},
		{ID: "17018", List: "SDN", Type: "entity", Name: "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", Aliases: []string{"SBERBANK ROSSII", "PJSC SBERBANK"}, Countries: []string{"RU"},
			IDs: []lists.Identifier{{Type: "Registration Number", Number: "1027700132195", Country: "RU"}}},
		{ID: "el-kinglead", List: "EL", Type: "entity", Name: "Kinglead Electronics Co., Ltd.", Aliases: []string{"Kinglead International Trading", "and Kinglead Trading"}, Countries: []string{"CN"}},
		{ID: "el-avant", List: "EL", Type: "entity", Name: "Avant-Space LLC", Aliases: []string{"AVANT-SPEIS", "Avant Space Systems", "and OOO Avant-Spejs"}, Countries: []string{"RU"}},
		{ID: "30946", List: "CMIC", Type: "entity", Name: "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", Aliases: []string{"HIKVISION"}, Countries: []string{"CN"}},
		{ID: "11447", List: "SDN", Type: "individual", Name: "LI, Fangwei", Aliases: []string{"LEE, Karl"}, Countries: []string{"CN"}},
		{ID: "el-orion", List: "EL", Type: "entity", Name: "Orion Trading LLC", Countries: []string{"AE"}},
		{ID: "sdn-orion", List: "SDN", Type: "entity", Name: "ORION TRADING LLC", Countries: []string{"RU"}},
		{ID: "el-casic", List: "EL", Type: "entity", Name: "China Aerospace Science and Industry Corporation", Countries: []string{"CN"}},
		{ID: "el-bit", List: "EL", Type: "entity", Name: "Beijing Institute of Technology", Countries: []string{"CN"}},
		{ID: "el-hit", List: "EL", Type: "entity", Name: "Harbin Institute of Technology", Countries: []string{"CN"}},
		{ID: "el-zubarev", List: "EL", Type: "entity", Name: "Ivan Zubarev", Countries: []string{"RU"}},
	}
}

var (
	testIxOnce sync.Once
	testIx     *Index
)

func smallIndex(t testing.TB) *Index {
	t.Helper()
	opts := testOptions(t, Options{})
	testIxOnce.Do(func() { testIx = newTestIndex(t, testEntries(), opts) })
	return testIx
}

// TestSearchFindsVariants covers each kind of name variant on the small
// index: the expected entry must come first and score at least min.
func TestSearchFindsVariants(t *testing.T) {
	ix := smallIndex(t)
	for _, tc := range []struct {
		kind, query, country, want string
		min                        float64
	}{
		{"exact", "Huawei Technologies Co., Ltd.", "CN", "el-huawei", 0.99},
		{"alias", "Huawei", "", "el-huawei", 0.99},
		{"affiliate", "Huawei Marine Networks Co Ltd", "", "el-hmn", 0.99},
		{"legal form", "Huawei Technologies Company Limited", "", "el-huawei", 0.99},
		{"legal form", "OOO Avant-Space", "RU", "el-avant", 0.99},
		{"legal form", "Sberbank of Russia PJSC", "", "17018", 0.99},
		{"typo", "Hauwei Technologies", "", "el-huawei", 0.85},
		{"typo", "Kinglaed Electronics Co Ltd", "", "el-kinglead", 0.85},
		{"word order", "Vladimir Vladimirovich Putin", "", "35096", 0.99},
		{"word order", "Zubarev Ivan", "", "el-zubarev", 0.99},
		{"punctuation", "huawei technologies co ltd", "", "el-huawei", 0.99},
		{"partial", "Hikvision Digital", "CN", "30946", 0.8},
		{"partial", "Vladimir Putin", "", "35096", 0.9},
		{"transliteration", "Путин Владимир Владимирович", "", "35096", 0.99},
		{"transliteration", "华为技术有限公司", "", "el-huawei", 0.9},
		{"transliteration", "Хуавэй", "", "el-huawei", 0.9},
		{"transliteration", "李方伟", "", "11447", 0.99},
		{"transliteration", "ООО Авант-Спейс", "", "el-avant", 0.9},
		{"acronym", "SMIC", "", "el-smic", 0.99},
		{"acronym", "CASIC", "", "el-casic", 0.8},
		{"joined", "JSCARGUMENT", "", "37447", 0.9},
		{"joined", "Hua Wei Technologies", "", "el-huawei", 0.9},
	} {
		ms := ix.Search(Query{Name: tc.query, Country: tc.country, MinScore: 0.5})
		if len(ms) == 0 {
			t.Errorf("%s %q: no match", tc.kind, tc.query)
			continue
		}
		if ms[0].Entry.ID != tc.want || ms[0].Score < tc.min {
			t.Errorf("%s %q: top %s %q %.3f (%s), want %s ≥ %.2f", tc.kind, tc.query, ms[0].Entry.ID, ms[0].Matched, ms[0].Score, ms[0].Explain, tc.want, tc.min)
		}
	}
}

// TestSearchRejects: names that only look like listed ones stay below 0.8.
func TestSearchRejects(t *testing.T) {
	ix := smallIndex(t)
	for _, q := range []string{
		"Kingsway Electronics Co. Ltd",  // a different distinctive word
		"Sunmoor Trading LLC",           // shares only generic words
		"John Whitaker",                 // a person not on the lists
		"Argut OOO",                     // not JSC Argument
		"Harbin Technology Development", // generic words of listed names
	} {
		if ms := ix.Search(Query{Name: q, MinScore: 0.8}); len(ms) > 0 {
			t.Errorf("%q matched %s %q %.3f [%s]", q, ms[0].Entry.ID, ms[0].Matched, ms[0].Score, ms[0].Explain)
		}
	}
}

// The parent outranks the affiliates that carry its name.
func TestParentBeforeAffiliates(t *testing.T) {
	ms := smallIndex(t).Search(Query{Name: "Huawei Technologies", MinScore: 0.5})
	if len(ms) < 2 || ms[0].Entry.ID != "el-huawei" {
		t.Fatalf("top match %v", ms)
	}
}

// Country breaks ties between equal names in both directions, and is
// reported.
func TestCountryTieBreak(t *testing.T) {
	ix := smallIndex(t)
	for _, tc := range []struct{ country, want, note string }{
		{"RU", "sdn-orion", "RU matches"},
		{"AE", "el-orion", "AE matches"},
	} {
		ms := ix.Search(Query{Name: "Orion Trading LLC", Country: tc.country, MinScore: 0.5})
		if len(ms) < 2 || ms[0].Entry.ID != tc.want || ms[0].Explain.Country != tc.note {
			t.Fatalf("country %s: %+v", tc.country, ms)
		}
		if ms[0].Score <= ms[1].Score {
			t.Errorf("country %s: no tie-break: %.3f vs %.3f", tc.country, ms[0].Score, ms[1].Score)
		}
		if !strings.Contains(ms[1].Explain.Country, "not in") || ms[1].Explain.CountryAdjust >= 0 {
			t.Errorf("country %s: second hit explain %+v", tc.country, ms[1].Explain)
		}
	}
}

// An exact identifier outranks any name.
func TestIdentifierMatch(t *testing.T) {
	ms := smallIndex(t).Search(Query{Name: "Savings Bank", ID: "1027700132195", MinScore: 0.8})
	if len(ms) == 0 || ms[0].Entry.ID != "17018" || ms[0].Score != 1 || ms[0].Explain.Identifier != "Registration Number 1027700132195" {
		t.Fatalf("identifier match: %+v", ms)
	}
}

func TestLimitAndMinScore(t *testing.T) {
	ix := smallIndex(t)
	all := ix.Search(Query{Name: "Huawei", Limit: 100, MinScore: 0.01})
	if len(all) < 3 {
		t.Fatalf("want several Huawei entries, got %d", len(all))
	}
	if got := ix.Search(Query{Name: "Huawei", Limit: 2, MinScore: 0.01}); len(got) != 2 || got[0].Entry.ID != all[0].Entry.ID {
		t.Errorf("limit 2: %d matches", len(got))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Score > all[i-1].Score {
			t.Errorf("not best first at %d", i)
		}
	}
	for _, m := range ix.Search(Query{Name: "Huawei", Limit: 100, MinScore: 0.9}) {
		if m.Score < 0.9 {
			t.Errorf("score %.3f below MinScore", m.Score)
		}
	}
}

// The parts of an explanation add up to the score, and String reads as one
// line.
func TestExplanation(t *testing.T) {
	ms := smallIndex(t).Search(Query{Name: "Huawei Technologies Co., Ltd.", Country: "CN", MinScore: 0.5})
	m := ms[0]
	sum := 0.0
	for _, p := range m.Explain.Parts {
		sum += p.Value
	}
	if math.Abs(math.Min(1, sum)-m.Score) > 0.001 {
		t.Errorf("parts sum %.4f, score %.4f: %+v", sum, m.Score, m.Explain.Parts)
	}
	want := `tokens huawei=huawei 1.00, technologies=technologies 1.00; legal form "co ltd" (weak); country CN matches`
	if got := m.Explain.String(); got != want {
		t.Errorf("String() = %q\nwant %q", got, want)
	}
	if m.Matched != "Huawei Technologies Co., Ltd" || m.Alias {
		t.Errorf("matched %q alias %v", m.Matched, m.Alias)
	}
	tr := smallIndex(t).Search(Query{Name: "Путин, Владимир", MinScore: 0.5})[0].Explain
	if got := strings.Join(tr.Normalization, ","); got != "transliterated,reordered,alias" {
		t.Errorf("normalisation %q: %s", got, tr)
	}
	pt := smallIndex(t).Search(Query{Name: "Hikvision Digital", MinScore: 0.5})[0].Explain
	if len(pt.UnmatchedEntry) != 2 || pt.UnmatchedEntry[0] != "hangzhou" || pt.EntryCoverage >= 1 || pt.QueryCoverage != 1 {
		t.Errorf("partial explanation: %s %+v", pt, pt)
	}
}

// Concurrent searches give the same answers as serial ones (run with -race).
func TestConcurrentSearch(t *testing.T) {
	for _, opts := range []Options{
		{CacheSize: 4},
		{CacheSize: 4, LazyNeighbors: true}, // concurrent first lookups of a word
	} {
		ix := newTestIndex(t, testEntries(), opts)
		queries := []string{"Huawei", "SMIC", "Vladimir Putin", "华为技术有限公司", "Kinglead", "Orion Trading", "JSCARGUMENT", "Hikvision"}
		// Expected results come from another index, so that ix meets every
		// word for the first time in the concurrent searches.
		render := func(ms []Match) string {
			var b strings.Builder
			for _, m := range ms {
				fmt.Fprintf(&b, "%s %s %v %q %s; ", m.Entry.List, m.Entry.ID, m.Score, m.Matched, m.Explain)
			}
			return b.String()
		}
		want := map[string]string{}
		for _, q := range queries {
			want[q] = render(smallIndex(t).Search(Query{Name: q, MinScore: 0.5}))
		}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 200 {
					q := queries[(g+i)%len(queries)]
					if got := render(ix.Search(Query{Name: q, MinScore: 0.5})); got != want[q] {
						t.Errorf("lazy %v: concurrent %q differs", opts.LazyNeighbors, q)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}

// A caller changing a returned slice does not change what the cache returns.
func TestCacheReturnsCopies(t *testing.T) {
	ix := newTestIndex(t, testEntries(), Options{})
	a := ix.Search(Query{Name: "Huawei", MinScore: 0.5})
	a[0].Score = -1
	if b := ix.Search(Query{Name: "Huawei", MinScore: 0.5}); b[0].Score < 0 {
		t.Fatal("cache handed out a shared slice")
	}
}

// A query with nothing to match on returns nothing.
func TestEmptyQueries(t *testing.T) {
	for _, q := range []string{"", "   ", "Co., Ltd.", "?!"} {
		if ms := smallIndex(t).Search(Query{Name: q, MinScore: 0.1}); len(ms) != 0 {
			t.Errorf("%q matched %d entries", q, len(ms))
		}
	}
}

// TestContainment: a query holding a listed organisation's whole name, word
// for word and side by side, is at least Options.ContainmentScore, however
// many words it adds; a name broken up by other words, a one-word name, a
// person's name or a name of generic words only is not lifted.
func TestContainment(t *testing.T) {
	ix := smallIndex(t)
	floor := DefaultOptions().ContainmentScore
	for _, tc := range []struct {
		query, country, entry string
		lifted                bool
	}{
		{"Huawei Technologies Dusseldorf Regional Office GmbH", "CN", "el-huawei", true},
		{"Kinglead Electronics Singapore Branch", "", "el-kinglead", true},
		{"Kinglead Consumer Electronics", "", "el-kinglead", false},          // broken up
		{"Electronics Kinglead", "", "el-kinglead", false},                   // out of order
		{"Beijing Institute of Technology Alumni Fund", "", "el-bit", false}, // generic words only
		{"Ivan Zubarev Petrovich Holdings", "", "el-zubarev", true},          // an entity (EL) of two words
	} {
		ms := ix.Search(Query{Name: tc.query, Country: tc.country, MinScore: 0.3, Limit: 50})
		var got *Match
		for i := range ms {
			if ms[i].Entry.ID == tc.entry {
				got = &ms[i]
				break
			}
		}
		if got == nil {
			if tc.lifted {
				t.Errorf("%q: %s not found", tc.query, tc.entry)
			}
			continue
		}
		if got.Explain.Contains != tc.lifted || tc.lifted && got.Score < floor {
			t.Errorf("%q: %s score %.3f contains=%v [%s], want contains=%v", tc.query, tc.entry, got.Score, got.Explain.Contains, got.Explain, tc.lifted)
		}
		sum := 0.0
		for _, p := range got.Explain.Parts {
			sum += p.Value
		}
		if math.Abs(sum-got.Score) > 0.002 && got.Score < 1 {
			t.Errorf("%q: parts %v sum to %.4f, score %.4f", tc.query, got.Explain.Parts, sum, got.Score)
		}
	}
	// A person's name is not lifted.
	ms := ix.Search(Query{Name: "Putin Vladimir Holdings International", MinScore: 0.3})
	for _, m := range ms {
		if m.Explain.Contains {
			t.Errorf("person %s lifted: %s", m.Entry.ID, m.Explain)
		}
	}
}

// TestSmallListWeights: on a list far smaller than MinCorpusEntries a word
// the list holds once still outweighs a generic word, so a query of generic
// words cannot stand for a name whose distinctive word it lacks.
func TestSmallListWeights(t *testing.T) {
	ix := newTestIndex(t, []lists.Entry{
		{ID: "1", List: "SDN", Type: "entity", Name: "BEIJING XINGHUA HENGCHENG TECHNOLOGY DEVELOPMENT COMPANY LIMITED", Countries: []string{"CN"}},
		{ID: "2", List: "EL", Type: "entity", Name: "Orion Trading LLC", Countries: []string{"AE"}},
	}, Options{})
	if ms := ix.Search(Query{Name: "Beijing Technology Development Co., Ltd.", Country: "CN", MinScore: 0.81}); len(ms) > 0 {
		t.Errorf("generic words matched %q %.3f [%s]", ms[0].Matched, ms[0].Score, ms[0].Explain)
	}
	if ms := ix.Search(Query{Name: "Beijing Xinghua Hengcheng Technology Development Co Ltd", Country: "CN", MinScore: 0.95}); len(ms) != 1 {
		t.Errorf("exact name: %v", ms)
	}
}
