package screen

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/xrash/smetrics"
)

// Our allocation-free Jaro-Winkler must agree with smetrics.
func TestJaroWinklerMatchesSmetrics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"huawei", "hauwei", "technologies", "technology", "putin", "puting", "mohammed", "muhammad", "a", "", "kinglead", "kingsway", "vladimirovich", "vladislavovich"}
	for range 2000 {
		a, b := words[rng.IntN(len(words))], words[rng.IntN(len(words))]
		if got, want := jaroWinkler(a, b), smetrics.JaroWinkler(a, b, 0.7, 4); math.Abs(got-want) > 1e-12 {
			t.Fatalf("jaroWinkler(%q,%q) = %v, smetrics %v", a, b, got, want)
		}
	}
}

func TestOSA(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"huawei", "huawei", 0}, {"huawei", "hauwei", 1}, {"kingsway", "kinglead", 3},
		{"technology", "technologies", 3}, {"dubai", "doubair", 2}, {"", "abc", 3},
	} {
		if got := osa(tc.a, tc.b); got != tc.want {
			t.Errorf("osa(%q,%q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestPhoneticKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"khuavey", "huawei"}, {"mohammed", "mohamed"}, {"aleksey", "alexey"},
		{"sovkomflot", "sovcomflot"}, {"yevgeniy", "ievgenii"},
	} {
		if phoneticKey(tc.a) != phoneticKey(tc.b) {
			t.Errorf("phoneticKey(%q) = %q, phoneticKey(%q) = %q", tc.a, phoneticKey(tc.a), tc.b, phoneticKey(tc.b))
		}
	}
}

// Token pairs from the lists: typos and romanisation variants pair, other
// words do not, however alike they look to Jaro-Winkler.
func TestTokenSim(t *testing.T) {
	sim := func(a, b string) float64 { return tokenSim(a, b, phoneticKey(a), phoneticKey(b), 0.96, 0.82) }
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
		got := acronymsOf(normalizeName(tc.name, false, DefaultTransliterator()).tokens)
		if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
			t.Errorf("acronymsOf(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The bit-parallel OSA must agree with the table: random words over small
// alphabets (so that repeats and transpositions are common), of every length
// up to past osa's 40-letter cap.
func TestOSAPatternMatchesTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		alpha := "abcdefghij"[:2+rng.IntN(8)]
		b := make([]byte, rng.IntN(44))
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(b)
	}
	var o osaPattern
	for range 200000 {
		a, b := word(), word()
		if rng.IntN(4) == 0 && len(a) > 1 { // a transposition or two of a
			b = randomEdit(rng, a)
		}
		o.set(a)
		if got, want := o.dist(b), osa(a, b); got != want {
			t.Fatalf("osaPattern(%q).dist(%q) = %d, osa = %d", a, b, got, want)
		}
	}
}
