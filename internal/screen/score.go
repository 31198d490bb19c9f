package screen

import (
	"slices"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/index"
)

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
	exact      bool // every word of both names paired exactly: the names are equal
}

// belowEqual is the highest score of a name not equal to the listed one:
// neither the country bonus nor rounding lifts a near match to 1, which
// says "the same name", or ties it with an entry that is. 0.99, not a hair
// below 1, so that the difference shows where scores are printed with two
// decimals. It would change an outcome only with a deny threshold above
// 0.99 (the shipped one is 0.95).
const belowEqual = 0.99

// finalScore is a name score with its country part, within [0,1], and
// below 1 unless the names are equal.
func finalScore(ns nameScore, adjust float64) float64 {
	s := clamp01(ns.score + adjust)
	if !ns.exact {
		s = min(s, belowEqual)
	}
	return s
}

// maxToks bounds the tokens compared per side (names longer than this are
// compared on their first maxToks tokens; no listed name comes close).
const maxToks = 64

// scoreForm scores query form (indices into q.toks) against name n by best
// pairs: every strong query token pairs with at most one strong entry token
// and vice versa, greedily by similarity; weak tokens pair only with equal
// weak tokens. ej >= 0 merges entry tokens ej and ej+1 into one unit that
// query token ejq matches exactly ("JSCARGUMENT" ↔ "JSC ARGUMENT").
func (ix *Index) scoreForm(q *preparedQuery, sc *scratch, form []int16, n *index.Name, ej int, ejq int16, keepPairs bool) nameScore {
	toks := n.Toks
	if len(toks) > maxToks {
		toks = toks[:maxToks]
	}
	pairs := sc.pairs[:0]
	var qTotal, qMatched, eMatched, eStrong float64
	for _, qi := range form {
		qt := &q.toks[qi]
		qTotal += float64(qt.w)
		if qt.class.Weak() {
			continue
		}
		for j, vid := range toks {
			if ej >= 0 && (j == ej || j == ej+1) {
				continue
			}
			if ix.idx.Vocab[vid].Class.Weak() {
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
		we := ix.idx.Vocab[toks[p.e]].WE
		if ej >= 0 && int(p.e) == ej {
			we += ix.idx.Vocab[toks[ej+1]].WE
		}
		// A near match from a word the lists know is a different word, not a
		// typo: it cannot claim more evidence than it carries itself ("dubai"
		// near "doubair").
		if p.sim < 1 && qt.vid >= 0 && !qt.class.Weak() {
			we = min(we, ix.idx.Vocab[qt.vid].WE)
		}
		eMatched += float64(we) * float64(p.sim)
		kept = append(kept, p)
	}
	eStrong = eMatched
	// weak tokens: equal canonical forms
	for _, qi := range form {
		qt := &q.toks[qi]
		if !qt.class.Weak() || qt.vid < 0 {
			continue
		}
		for j, vid := range toks {
			if vid == qt.vid && usedE[j/64]&(1<<(j%64)) == 0 {
				mark(&usedE, int16(j))
				qMatched += float64(qt.w)
				eMatched += float64(ix.idx.Vocab[vid].WE)
				kept = append(kept, pair{qi, int16(j), 1})
				break
			}
		}
	}
	sc.pairs = pairs[:0]
	eTotal := float64(n.StrongW + n.WeakW)
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
	// Coverage sums weights in different orders on the two sides; a
	// rounding difference must not make equal names unequal.
	r.exact = r.qCov > 1-1e-6 && r.eCov > 1-1e-6 && r.evidence == 0
	// The query contains the listed name when the strong tokens of an
	// organisation's name of two or more paired exactly, in order and side
	// by side in the query, and one of them is distinctive. One word, a
	// person's name or a name broken up by other words is too little to go
	// on ("Lode Runner Technology Company" is not "PRC Lode Technology
	// Company").
	if r.score < ix.opts.ContainmentScore && !n.Person && ej < 0 && ix.containedIn(q, form, toks, kept) {
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
		v := &ix.idx.Vocab[vid]
		if v.Class.Weak() {
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
			if !q.toks[qi].class.Weak() {
				rank++
			}
		}
		if next >= 0 && rank != next {
			return false
		}
		next = rank + 1
		strong++
		distinct = distinct || !v.Generic
	}
	return strong >= 2 && distinct
}
