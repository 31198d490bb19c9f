package screen

import (
	"slices"

	"github.com/chipcheck/chipcheck/internal/lists"
)

// tokenSim is the similarity of two strong tokens in [0,1], 0 when they
// should not pair. Equal tokens score 1; tokens with digits pair only when
// equal ("Institute 625" is not "Institute 629"); short tokens (4 letters or
// fewer) pair only when equal or phonetically equal, since one edit in "smic"
// makes another word; otherwise the better of the similarity of the words and
// of their phonetic keys (scaled by phoneticWeight).
func tokenSim(a, b, ka, kb string, phoneticWeight, floor float64) float64 {
	if a == b {
		return 1
	}
	if hasDigit(a) || hasDigit(b) {
		return 0
	}
	return tokenSimLetters(a, b, ka, kb, phoneticWeight, floor)
}

// tokenSimLetters is tokenSim for two different words without digits.
func tokenSimLetters(a, b, ka, kb string, phoneticWeight, floor float64) float64 {
	return tokenSimWith(a, b, ka, kb, phoneticWeight, floor, nil, nil)
}

// tokenSimWith is tokenSimLetters, taking osa(a, ·) and osa(ka, ·) from
// patterns set to a and ka when they are given (the neighbour search compares
// one query word with many). The edit-distance cap comes before
// Jaro-Winkler: it rejects most of those candidates and costs less.
func tokenSimWith(a, b, ka, kb string, phoneticWeight, floor float64, pa, pka *osaPattern) float64 {
	if len(a) <= 4 || len(b) <= 4 {
		if ka == kb {
			return phoneticWeight
		}
		return 0
	}
	if ka == kb {
		return max(phoneticWeight, wordSim(a, b))
	}
	if !suffixVariant(a, b) {
		d := maxEdits(min(len(a), len(b)))
		if editsOver(a, b, pa, d) && editsOver(ka, kb, pka, d) {
			return 0
		}
	}
	s := wordSim(a, b)
	if ka != a || kb != b {
		s = max(s, phoneticWeight*wordSim(ka, kb))
	}
	if s < floor {
		return 0
	}
	return s
}

// editsOver reports whether osa(a, b) > d, with p set to a if not nil.
func editsOver(a, b string, p *osaPattern, d int) bool {
	if len(a)-len(b) > d || len(b)-len(a) > d {
		return true // osa is at least the length difference
	}
	if p != nil {
		return p.dist(b) > d
	}
	return osa(a, b) > d
}

// suffixVariant reports whether one word is the other with an ending added
// ("municipal", "municipality"): the shorter, of seven letters or more, is a
// prefix of the longer, which adds at most four.
func suffixVariant(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 7 && len(b)-len(a) <= 4 && b[:len(a)] == a
}

// maxEdits is how many edits a word of n letters may carry and still be the
// same word: one in five or six letters, two up to nine, three beyond (which
// also lets "technology" meet "technologies").
func maxEdits(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 6:
		return 1
	case n <= 9:
		return 2
	}
	return 3
}

// wordSim is Jaro-Winkler lowered when the lengths differ a lot (Jaro-Winkler
// forgives dropped letters: "argument" and "argut" would score 0.87) or the
// first letters are of different sound classes.
func wordSim(a, b string) float64 {
	s := jaroWinkler(a, b)
	la, lb := float64(len(a)), float64(len(b))
	if r := min(la, lb) / max(la, lb); r < 0.9 {
		s -= 0.5 * (0.9 - r)
	}
	if letterClass(a[0]) != letterClass(b[0]) {
		s *= 0.9
	}
	return s
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// pair is a candidate pairing of query token q with entry token e.
type pair struct {
	q, e int16
	sim  float32
}

// nameScore is the outcome of scoring one query form against one name.
type nameScore struct {
	score      float64 // name part only
	qCov, eCov float64
	evidence   float64 // the weak-evidence penalty (subtracted)
	contained  float64 // the lift to Options.ContainmentScore (added)
	pairs      []pair  // filled only when explaining
	acronym    bool
	joinedQ    bool
	joinedE    bool
}

// maxToks bounds the tokens compared per side (names longer than this are
// compared on their first maxToks tokens; no listed name comes close).
const maxToks = 64

// scoreForm scores query form (indices into q.toks) against name n by best
// pairs: every strong query token pairs with at most one strong entry token
// and vice versa, greedily by similarity; weak tokens pair only with equal
// weak tokens. ej >= 0 merges entry tokens ej and ej+1 into one unit that
// query token ejq matches exactly ("JSCARGUMENT" ↔ "JSC ARGUMENT").
func (ix *Index) scoreForm(q *preparedQuery, sc *scratch, form []int16, n *indexedName, ej int, ejq int16, keepPairs bool) nameScore {
	toks := n.toks
	if len(toks) > maxToks {
		toks = toks[:maxToks]
	}
	pairs := sc.pairs[:0]
	var qTotal, qMatched, eMatched, eStrong float64
	for _, qi := range form {
		qt := &q.toks[qi]
		qTotal += float64(qt.w)
		if qt.class.weak() {
			continue
		}
		for j, vid := range toks {
			if ej >= 0 && (j == ej || j == ej+1) {
				continue
			}
			if ix.vocab[vid].class.weak() {
				continue
			}
			if s := sc.sim(qi, vid, q); s > 0 {
				pairs = append(pairs, pair{qi, int16(j), s})
			}
		}
		if ej >= 0 && qi == ejq {
			pairs = append(pairs, pair{qi, int16(ej), 1})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return int(a.q-b.q)*maxToks + int(a.e-b.e)
	})
	var usedQ, usedE [2]uint64 // query indices may exceed 64 with joined tokens
	mark := func(b *[2]uint64, i int16) bool {
		w, m := i/64, uint64(1)<<(i%64)
		if b[w]&m != 0 {
			return false
		}
		b[w] |= m
		return true
	}
	kept := pairs[:0]
	for _, p := range pairs {
		if usedQ[p.q/64]&(1<<(p.q%64)) != 0 || usedE[p.e/64]&(1<<(p.e%64)) != 0 {
			continue
		}
		mark(&usedQ, p.q)
		mark(&usedE, p.e)
		qt := &q.toks[p.q]
		qMatched += float64(qt.w) * float64(p.sim)
		we := ix.vocab[toks[p.e]].we
		if ej >= 0 && int(p.e) == ej {
			we += ix.vocab[toks[ej+1]].we
		}
		// A near match from a word the lists know is a different word, not a
		// typo: it cannot claim more evidence than it carries itself ("dubai"
		// near "doubair").
		if p.sim < 1 && qt.vid >= 0 && !qt.class.weak() {
			we = min(we, ix.vocab[qt.vid].we)
		}
		eMatched += float64(we) * float64(p.sim)
		kept = append(kept, p)
	}
	eStrong = eMatched
	// weak tokens: equal canonical forms
	for _, qi := range form {
		qt := &q.toks[qi]
		if !qt.class.weak() || qt.vid < 0 {
			continue
		}
		for j, vid := range toks {
			if vid == qt.vid && usedE[j/64]&(1<<(j%64)) == 0 {
				mark(&usedE, int16(j))
				qMatched += float64(qt.w)
				eMatched += float64(ix.vocab[vid].we)
				kept = append(kept, pair{qi, int16(j), 1})
				break
			}
		}
	}
	sc.pairs = pairs[:0]
	eTotal := float64(n.strongW + n.weakW)
	var r nameScore
	if qTotal > 0 {
		r.qCov = min(1, qMatched/qTotal)
	}
	if eTotal > 0 {
		r.eCov = min(1, eMatched/eTotal)
	}
	wq := ix.opts.QueryCoverageWeight
	r.evidence = ix.evidencePenalty(r.eCov, eStrong)
	r.score = wq*r.qCov + (1-wq)*r.eCov - r.evidence
	// The query contains the listed name when the strong tokens of an
	// organisation's name of two or more paired exactly, in order and side
	// by side in the query, and one of them is distinctive. One word, a
	// person's name or a name broken up by other words is too little to go
	// on ("Lode Runner Technology Company" is not "PRC Lode Technology
	// Company").
	if r.score < ix.opts.ContainmentScore && !n.person && ej < 0 && ix.containedIn(q, form, toks, kept) {
		r.contained = ix.opts.ContainmentScore - r.score
		r.score = ix.opts.ContainmentScore
	}
	if keepPairs {
		r.pairs = append([]pair(nil), kept...)
	}
	return r
}

// evidencePenalty lowers a partial match whose matched part is made of
// generic words: "Beijing Technology Co., Ltd." covers two of the three words
// of "Beijing Institute of Technology", but those two say little. It is
// EvidencePenalty × (share of the entry left unmatched) × (how far the
// matched entry weight falls short of EvidenceMass); an exact match, or a
// match on a distinctive word ("Hikvision"), pays nothing.
func (ix *Index) evidencePenalty(eCov, matched float64) float64 {
	m0 := ix.opts.EvidenceMass
	if eCov >= 1 || matched >= m0 {
		return 0
	}
	return ix.opts.EvidencePenalty * (1 - eCov) * (1 - matched/m0)
}

// countryAdjust is the country part of a score: a bonus when the query
// country is one of the entry's, a penalty when the entry names countries and
// the query's is not among them, nothing when either side has none.
func (ix *Index) countryAdjust(country string, e *lists.Entry) (float64, string) {
	if country == "" || len(e.Countries) == 0 {
		return 0, ""
	}
	for _, c := range e.Countries {
		if c == country {
			return ix.opts.CountryBonus, country + " matches"
		}
	}
	return -ix.opts.CountryPenalty, country + " not in " + joinComma(e.Countries)
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

// containedIn reports whether the strong tokens of entry name toks, two or
// more with one not generic, all paired exactly (pairs) with consecutive
// strong tokens of query form, in the same order.
func (ix *Index) containedIn(q *preparedQuery, form []int16, toks []int32, pairs []pair) bool {
	next, strong, distinct := -1, 0, false
	for j, vid := range toks {
		v := &ix.vocab[vid]
		if v.class.weak() {
			continue
		}
		k := slices.IndexFunc(pairs, func(p pair) bool { return int(p.e) == j })
		if k < 0 || pairs[k].sim != 1 {
			return false
		}
		// the query token's rank among the form's strong tokens
		rank := 0
		for _, qi := range form {
			if qi == pairs[k].q {
				break
			}
			if !q.toks[qi].class.weak() {
				rank++
			}
		}
		if next >= 0 && rank != next {
			return false
		}
		next = rank + 1
		strong++
		distinct = distinct || !v.generic
	}
	return strong >= 2 && distinct
}
