package index

import (
	"slices"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/screen/internal/realdata"
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

var (
	realOnce sync.Once
	realIx   *Index
)

// realIndex indexes the real lists once per test binary with the default
// parameters and the shipped word-similarity floor.
func realIndex(t testing.TB) *Index {
	t.Helper()
	corp := realdata.Corpus(t)
	p := DefaultParams()
	p.MinTokenSimilarity = realdata.Number(t, "screening", "matcher", "min_token_similarity")
	realOnce.Do(func() { realIx = Build(corp.Entries, p) })
	return realIx
}

// Token pairs from the lists: typos and romanisation variants pair, other
// words do not, however alike they look to Jaro-Winkler.
func TestTokenSim(t *testing.T) {
	floor := realdata.Number(t, "screening", "matcher", "min_token_similarity")
	sim := func(a, b string) float64 {
		return tokenSim(a, b, prepare.PhoneticKey(a), prepare.PhoneticKey(b), DefaultParams().PhoneticWeight, floor)
	}
	for _, tc := range []struct {
		a, b string
		pair bool
	}{
		{"huawei", "huawei", true},
		{"hauwei", "huawei", true},           // transposition
		{"khuavey", "huawei", true},          // Cyrillic romanisation
		{"technology", "technologies", true}, // inflection
		{"municipal", "municipality", true},  // suffix variant
		{"muhammad", "mohammed", true},       // romanisation
		{"sergeyevich", "sergeevich", true},  // romanisation
		{"kingsway", "kinglead", false},      // different word, same prefix
		{"argument", "argut", false},         // dropped letters
		{"smic", "smich", false},             // short words pair only when equal
		{"625", "629", false},                // numbers pair only when equal
		{"nordlicht", "nordgold", false},     // different word
		{"ahmed", "ahmadi", false},           // different name
	} {
		if got := sim(tc.a, tc.b) > 0; got != tc.pair {
			t.Errorf("tokenSim(%q,%q) = %.3f, pair=%v want %v", tc.a, tc.b, sim(tc.a, tc.b), got, tc.pair)
		}
	}
}

func TestAcronymsOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"Semiconductor Manufacturing International Corporation", []string{"smic", "smi"}},
		{"China Aerospace Science and Industry Corporation", []string{"casic", "casi"}},
		{"Scientific Studies and Research Center", []string{"ssrc"}},
		{"Huawei Technologies", nil},
		{"Institute 625 of Physics", nil},
	} {
		got := AcronymsOf(prepare.Normalize(tc.name, false, prepare.DefaultTransliterator()).Tokens)
		if !slices.Equal(got, tc.want) {
			t.Errorf("AcronymsOf(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// BenchmarkNeighbors is the typo lookup of one vocabulary word (five letters
// or more), uncached: the cost a cold query pays per word it has not met.
func BenchmarkNeighbors(b *testing.B) {
	ix := realIndex(b)
	var words []int32
	for id := range ix.Vocab {
		if ix.wlen[id] > 4 {
			words = append(words, int32(id))
		}
	}
	sc := NewScratch(len(ix.Vocab))
	i := 0
	for b.Loop() {
		v := &ix.Vocab[words[i%len(words)]]
		ix.Neighbors(v.Text, v.Key, &sc)
		i++
	}
}
