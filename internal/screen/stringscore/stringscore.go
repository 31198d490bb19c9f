// Package stringscore holds the string similarities the matcher compares words
// with: Jaro-Winkler and the optimal-string-alignment edit distance. It is a
// leaf: normalisation (legal forms with a typo), the index (neighbour search)
// and scoring all use it.
package stringscore

// JaroWinkler is Jaro-Winkler similarity with the usual boost threshold 0.7
// and prefix 4, the same definition as github.com/xrash/smetrics (a test
// checks they agree), written without allocations for words up to 64 bytes:
// it runs for every candidate token pair on the query path.
func JaroWinkler(a, b string) float64 {
	j := jaro(a, b)
	if j <= 0.7 {
		return j
	}
	p := min(4, len(a), len(b))
	n := 0
	for n < p && a[n] == b[n] {
		n++
	}
	return j + 0.1*float64(n)*(1-j)
}

func jaro(a, b string) float64 {
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return 1
	}
	if la == 0 || lb == 0 {
		return 0
	}
	var bufA, bufB [64]bool
	var ma, mb []bool
	if la <= 64 && lb <= 64 {
		ma, mb = bufA[:la], bufB[:lb]
	} else {
		ma, mb = make([]bool, la), make([]bool, lb)
	}
	rng := max(la, lb)/2 - 1
	if rng < 0 {
		rng = 0
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-rng), min(lb-1, i+rng)
		for j := lo; j <= hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	unaligned, j := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			unaligned++
		}
		j++
	}
	m := float64(matches)
	t := float64(unaligned / 2)
	return (m/float64(la) + m/float64(lb) + (m-t)/m) / 3
}

// OSA is the optimal-string-alignment edit distance (insertions, deletions,
// substitutions, adjacent transpositions), used to cap how far apart two
// words may be and still pair: Jaro-Winkler alone lets "kingsway" pair with
// "kinglead".
func OSA(a, b string) int {
	la, lb := len(a), len(b)
	if la > 40 || lb > 40 {
		return max(la, lb)
	}
	var d [41][41]uint8
	for i := 0; i <= la; i++ {
		d[i][0] = uint8(i)
	}
	for j := 0; j <= lb; j++ {
		d[0][j] = uint8(j)
	}
	for i := 1; i <= la; i++ {
		for j := 1; j <= lb; j++ {
			cost := uint8(1)
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, d[i-2][j-2]+1)
			}
			d[i][j] = v
		}
	}
	return int(d[la][lb])
}

// OSAPattern computes OSA(p, s) for one word p against many words s with
// Hyyrö's bit-parallel algorithm (Myers' edit-distance bit vectors extended
// with adjacent transpositions, Hyyrö 2003): one pass over s with a few word
// operations per letter, instead of a |p|×|s| table. The neighbour search
// calls it for every candidate that reaches tokenSim, so it is set once per
// query word. p must be at most MaxPattern bytes.
type OSAPattern struct {
	p  string
	pm [256]uint64 // bit i of pm[c] set when p[i] == c
}

const MaxPattern = 64

func (o *OSAPattern) Set(p string) {
	for i := 0; i < len(o.p); i++ {
		o.pm[o.p[i]] = 0
	}
	o.p = p
	for i := 0; i < len(p); i++ {
		o.pm[p[i]] |= 1 << i
	}
}

// Dist is OSA(o.p, s), including OSA's cap for words over 40 letters.
func (o *OSAPattern) Dist(s string) int {
	n := len(o.p)
	if n > 40 || len(s) > 40 {
		return max(n, len(s))
	}
	if n == 0 {
		return len(s)
	}
	vp, vn, d0, pmOld := ^uint64(0), uint64(0), uint64(0), uint64(0)
	last := uint64(1) << (n - 1)
	d := n
	for i := 0; i < len(s); i++ {
		pm := o.pm[s[i]]
		tr := ((^d0 & pm) << 1) & pmOld
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
		hp := vn | ^(d0 | vp)
		hn := d0 & vp
		if hp&last != 0 {
			d++
		} else if hn&last != 0 {
			d--
		}
		hp = hp<<1 | 1
		hn <<= 1
		vp = hn | ^(d0 | hp)
		vn = hp & d0
		pmOld = pm
	}
	return d
}
