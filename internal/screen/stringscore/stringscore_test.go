package stringscore

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
		if got, want := JaroWinkler(a, b), smetrics.JaroWinkler(a, b, 0.7, 4); math.Abs(got-want) > 1e-12 {
			t.Fatalf("JaroWinkler(%q,%q) = %v, smetrics %v", a, b, got, want)
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
		if got := OSA(tc.a, tc.b); got != tc.want {
			t.Errorf("OSA(%q,%q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// The bit-parallel OSA must agree with the table: random words over small
// alphabets (so that repeats and transpositions are common), of every length
// up to past OSA's 40-letter cap.
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
	var o OSAPattern
	for range 200000 {
		a, b := word(), word()
		if rng.IntN(4) == 0 && len(a) > 1 { // a with two letters swapped
			bb := []byte(a)
			i := rng.IntN(len(bb) - 1)
			bb[i], bb[i+1] = bb[i+1], bb[i]
			b = string(bb)
		}
		o.Set(a)
		if got, want := o.Dist(b), OSA(a, b); got != want {
			t.Fatalf("OSAPattern(%q).Dist(%q) = %d, OSA = %d", a, b, got, want)
		}
	}
}
