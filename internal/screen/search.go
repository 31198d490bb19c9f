package screen

import (
	"math"
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/index"
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

// Query is one name to screen.
type Query struct {
	Name     string
	Country  string  // ISO 3166-1 alpha-2 of the party, optional
	ID       string  // a registration, tax or passport number, optional: an exact match outranks names
	Limit    int     // at most this many matches; 0 means Options.DefaultLimit
	MinScore float64 // only matches scoring at least this (the caller's review threshold)
}

// Match is one listed entry that matched a query.
type Match struct {
	Entry   *lists.Entry // shared with the index: do not modify
	Score   float64      // 0..1, the sum of Explain.Parts
	Matched string       // the entry's name or alias, as published, that matched best
	Alias   bool         // Matched is an alias (or a name found inside the published name)
	Explain Explanation
}

// preparedQuery is a normalised query with its tokens' neighbours.
type preparedQuery struct {
	norm    prepare.Name
	toks    []qToken // base tokens first, then tokens joined from adjacent pairs
	base    []int16  // the base form: indices of the base tokens
	forms   [][]int16
	country string
	id      string
	totalW  float64 // weight of the base form
	weakW   float64 // weak part of totalW
}

// qToken is one query token.
type qToken struct {
	text, raw, key string
	class          prepare.Class
	vid            int32 // exact vocabulary id, -1 if none
	w              float32
	neigh          []index.Neighbor // strong vocabulary tokens it pairs with
}

type neighbor struct {
	vid int32
	sim float32
}

// maxQueryTokens caps the query tokens considered (a pasted address is not a name).
const maxQueryTokens = 24

// prepare normalises a query and finds each token's neighbours in the
// vocabulary.
func (ix *Index) prepare(norm prepare.Name, country string, sc *scratch) *preparedQuery {
	q := &preparedQuery{norm: norm, country: strings.ToUpper(strings.TrimSpace(country))}
	toks := q.norm.Tokens
	if len(toks) > maxQueryTokens {
		toks = toks[:maxQueryTokens]
	}
	for _, t := range toks {
		qt := qToken{text: t.Text, raw: t.Raw, key: prepare.PhoneticKey(t.Text), class: t.Class, vid: -1}
		if id, ok := ix.idx.VocabIDs[index.VocabKey(t.Text, t.Class)]; ok {
			qt.vid = id
		}
		if t.Class.Weak() {
			qt.w = float32(ix.opts.WeakWeight)
		} else {
			qt.neigh = ix.idx.Lookup(qt.text, qt.key, qt.vid, &sc.ns)
			qt.w = ix.idx.MaxWeight
			if qt.vid >= 0 {
				qt.w = ix.idx.Vocab[qt.vid].WQ
			} else if len(qt.neigh) > 0 {
				best := qt.neigh[0]
				for _, nb := range qt.neigh[1:] {
					if nb.Sim > best.Sim {
						best = nb
					}
				}
				qt.w = ix.idx.Vocab[best.ID].WQ
			}
		}
		q.base = append(q.base, int16(len(q.toks)))
		q.toks = append(q.toks, qt)
		q.totalW += float64(qt.w)
		if t.Class.Weak() {
			q.weakW += float64(qt.w)
		}
	}
	q.forms = [][]int16{q.base}
	// Adjacent query words that the corpus writes as one ("Hua Wei" →
	// "Huawei", "JSC ARGUMENT" → "JSCARGUMENT") make an alternative form.
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Class.Weak() && toks[i+1].Class.Weak() {
			continue
		}
		j := toks[i].Raw + toks[i+1].Raw
		id, ok := ix.idx.VocabIDs[j]
		if !ok {
			continue
		}
		qt := qToken{text: j, raw: j, key: ix.idx.Vocab[id].Key, class: prepare.Strong, vid: id, w: ix.idx.Vocab[id].WQ, neigh: []index.Neighbor{{ID: id, Sim: 1}}}
		form := append([]int16(nil), q.base[:i]...)
		form = append(form, int16(len(q.toks)))
		form = append(form, q.base[i+2:]...)
		q.toks = append(q.toks, qt)
		q.forms = append(q.forms, form)
	}
	return q
}

// Search returns the entries matching q, best first: at most q.Limit, each
// scoring at least q.MinScore.
func (ix *Index) Search(q Query) []Match {
	limit := q.Limit
	if limit <= 0 {
		limit = ix.opts.DefaultLimit
	}
	norm := prepare.Normalize(q.Name, false, ix.opts.Transliterator)
	var ck string
	if ix.cache != nil {
		ck = cacheKey(norm, q, limit)
		if m, ok := ix.cache.get(ck); ok {
			return m
		}
	}
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)
	pq := ix.prepare(norm, q.Country, sc)
	pq.id = q.ID
	out := ix.search(pq, q, limit, sc)
	if ix.cache != nil {
		ix.cache.put(ck, out)
	}
	return slices.Clone(out)
}

// candidate is a name reached by the posting pass, with an upper bound on its
// score.
type candidate struct {
	name int32
	ub   float32
}

// hit is the best score so far of one entry.
type hit struct {
	entry  int32
	name   int32
	score  float64
	form   int   // index into forms, -1 for acronym
	ej     int   // merged entry pair, -1 for none
	ejq    int16 // query token matching the merged pair
	ident  bool
	adjust float64
	cnote  string
}

func (ix *Index) search(pq *preparedQuery, q Query, limit int, sc *scratch) []Match {
	sc.beginQuery(len(ix.idx.Names))
	sc.loadSims(pq)
	wqc := ix.opts.QueryCoverageWeight
	// 1. posting pass over the base form: per name, the best similarity of
	// each query token and the best entry weight it could cover.
	for _, qi := range pq.base {
		qt := &pq.toks[qi]
		if qt.class.Weak() {
			continue
		}
		if sc.tokStamp++; sc.tokStamp == 0 { // wrapped: clear once every 2^32 tokens
			clear(sc.tmark)
			sc.tokStamp = 1
		}
		tt := sc.ntouched[:0]
		for _, nb := range qt.neigh {
			we := ix.idx.Vocab[nb.ID].WE * nb.Sim
			for _, nid := range ix.idx.Postings[nb.ID] {
				if sc.tmark[nid] != sc.tokStamp {
					sc.tmark[nid] = sc.tokStamp
					sc.bq[nid], sc.be[nid] = 0, 0
					tt = append(tt, nid)
				}
				sc.bq[nid] = max(sc.bq[nid], nb.Sim)
				sc.be[nid] = max(sc.be[nid], we)
			}
		}
		for _, nid := range tt {
			sc.touch(nid)
			sc.accQ[nid] += qt.w * sc.bq[nid]
			sc.accE[nid] += sc.be[nid]
		}
		sc.ntouched = tt
	}
	// 2. forced candidates: identifier, acronym and joined-word matches,
	// which the posting pass cannot bound.
	forced := sc.forced[:0]
	if id := index.NormIdentifier(q.ID); len(id) >= 4 {
		for _, e := range ix.idx.Idents[id] {
			forced = append(forced, forcedCand{entry: e, ident: true, name: -1, ej: -1})
		}
	}
	for _, nid := range ix.acronymCandidates(pq) {
		forced = append(forced, forcedCand{name: nid, acronym: true, entry: ix.idx.Names[nid].Entry, ej: -1})
	}
	for _, qi := range pq.base {
		qt := &pq.toks[qi]
		if qt.class.Weak() {
			continue
		}
		for _, r := range ix.idx.Joins[qt.raw] {
			forced = append(forced, forcedCand{name: r.Name, entry: ix.idx.Names[r.Name].Entry, ej: int(r.Pos), ejq: qi})
		}
	}
	for f := 1; f < len(pq.forms); f++ {
		form := pq.forms[f]
		for _, qi := range form {
			if int(qi) < len(pq.base) {
				continue
			}
			for _, nid := range ix.idx.Postings[pq.toks[qi].vid] {
				forced = append(forced, forcedCand{name: nid, entry: ix.idx.Names[nid].Entry, form: f, ej: -1})
			}
		}
	}
	sc.forced = forced

	// 3. upper bounds; keep names that can still reach MinScore.
	cands := sc.cands[:0]
	for _, nid := range sc.touchedNames {
		n := &ix.idx.Names[nid]
		ubQ := min(1, (float64(sc.accQ[nid])+pq.weakW)/pq.totalW)
		ubE := min(1, float64(sc.accE[nid]+n.WeakW)/float64(n.StrongW+n.WeakW))
		ub := wqc*ubQ + (1-wqc)*ubE
		if ubE >= 1-1e-6 {
			ub = max(ub, ix.opts.ContainmentScore) // the query may contain the name
		}
		if pq.country != "" {
			ub += ix.opts.CountryBonus
		}
		if ub+1e-9 >= q.MinScore {
			cands = append(cands, candidate{nid, float32(ub)})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.ub != b.ub {
			if a.ub > b.ub {
				return -1
			}
			return 1
		}
		return int(a.name - b.name)
	})
	sc.cands = cands

	// 4. exact scores, best bound first, until no bound can beat the
	// limit-th best entry.
	hits := sc.hits[:0]
	best := sc.entryBest
	record := func(h hit) {
		if h.score < q.MinScore {
			return
		}
		if k, ok := best[h.entry]; ok {
			if h.score > hits[k].score || h.score == hits[k].score && ix.preferName(h.name, hits[k].name) {
				hits[k] = h
			}
			return
		}
		best[h.entry] = len(hits)
		hits = append(hits, h)
	}
	kth := func() float64 {
		if len(hits) < limit {
			return -1
		}
		sc.scores = sc.scores[:0]
		for _, h := range hits {
			sc.scores = append(sc.scores, h.score)
		}
		slices.Sort(sc.scores)
		return sc.scores[len(sc.scores)-limit]
	}
	for _, f := range forced {
		h := hit{entry: f.entry, name: f.name, form: f.form, ej: -1}
		e := &ix.idx.Entries[f.entry]
		h.adjust, h.cnote = ix.countryAdjust(pq.country, e)
		switch {
		case f.ident:
			h.ident, h.score, h.name = true, 1, ix.idx.FirstName(f.entry)
		case f.acronym:
			h.form = -1
			h.score = clamp01(ix.acronymScore(pq, f.name) + h.adjust)
		case f.ej >= 0:
			h.ej, h.ejq = f.ej, f.ejq
			ns := ix.scoreForm(pq, sc, pq.base, &ix.idx.Names[f.name], f.ej, f.ejq, false)
			h.score = clamp01(ns.score + h.adjust)
		default:
			ns := ix.scoreForm(pq, sc, pq.forms[f.form], &ix.idx.Names[f.name], -1, 0, false)
			h.score = clamp01(ns.score + h.adjust)
		}
		record(h)
	}
	threshold := kth()
	for _, c := range cands {
		if float64(c.ub) < q.MinScore || float64(c.ub) < threshold {
			break
		}
		n := &ix.idx.Names[c.name]
		h := hit{entry: n.Entry, name: c.name, ej: -1}
		h.adjust, h.cnote = ix.countryAdjust(pq.country, &ix.idx.Entries[n.Entry])
		ns := ix.scoreForm(pq, sc, pq.base, n, -1, 0, false)
		h.score = clamp01(ns.score + h.adjust)
		before := len(hits)
		record(h)
		if len(hits) != before || len(hits) >= limit {
			threshold = kth()
		}
	}
	sc.hits = hits
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		if ix.preferName(a.name, b.name) {
			return -1
		}
		if ix.preferName(b.name, a.name) {
			return 1
		}
		return int(a.entry - b.entry)
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		out = append(out, ix.explainHit(pq, sc, h))
	}
	for k := range best {
		delete(best, k)
	}
	return out
}

// forcedCand is a candidate found by an exact key rather than by postings.
type forcedCand struct {
	name    int32
	entry   int32
	form    int
	ej      int
	ejq     int16
	acronym bool
	ident   bool
}

// preferName orders equal scores: a primary name before an alias, then the
// shorter name (a parent before its longer-named affiliates).
func (ix *Index) preferName(a, b int32) bool {
	if a < 0 || b < 0 {
		return false
	}
	na, nb := &ix.idx.Names[a], &ix.idx.Names[b]
	if na.Alias != nb.Alias {
		return !na.Alias
	}
	return len(na.Toks) < len(nb.Toks)
}

// acronymCandidates finds names the query abbreviates (query "SMIC", name
// "Semiconductor Manufacturing International Corporation") or that
// abbreviate the query (query "China Aerospace Science and Industry
// Corporation", alias "CASIC").
func (ix *Index) acronymCandidates(pq *preparedQuery) []int32 {
	var strong []*qToken
	for _, qi := range pq.base {
		if !pq.toks[qi].class.Weak() {
			strong = append(strong, &pq.toks[qi])
		}
	}
	var out []int32
	if len(strong) == 1 && len(pq.base) <= 2 {
		t := strong[0].text
		if len(t) >= 3 && len(t) <= 10 && !prepare.HasDigit(t) {
			out = append(out, ix.idx.Acronyms[t]...)
		}
	}
	if len(strong) >= 3 {
		toks := make([]prepare.Token, 0, len(pq.base))
		for _, qi := range pq.base {
			qt := pq.toks[qi]
			toks = append(toks, prepare.Token{Text: qt.text, Raw: qt.raw, Class: qt.class})
		}
		for _, a := range index.AcronymsOf(toks) {
			id, ok := ix.idx.VocabIDs[a]
			if !ok {
				continue
			}
			for _, nid := range ix.idx.Postings[id] {
				if ix.idx.Names[nid].NStrong == 1 && ix.corroborated(nid, strong) {
					out = append(out, nid)
				}
			}
		}
	}
	return out
}

// corroborated reports whether another name of the entry nid belongs to
// shares a strong word with the query. Any long name abbreviates to some
// listed acronym ("Suzhou Meilan Intelligent Computing" to SMIC), so an
// acronym alone does not tie a long query to an entry.
func (ix *Index) corroborated(nid int32, strong []*qToken) bool {
	e := ix.idx.Names[nid].Entry
	for j := ix.idx.FirstName(e); int(j) < len(ix.idx.Names) && ix.idx.Names[j].Entry == e; j++ {
		if j == nid {
			continue
		}
		for _, vid := range ix.idx.Names[j].Toks {
			for _, qt := range strong {
				if qt.vid >= 0 && qt.vid == vid {
					return true
				}
			}
		}
	}
	return false
}

// acronymScore is the name score of an acronym match: shorter acronyms are
// more often accidental.
func (ix *Index) acronymScore(pq *preparedQuery, nid int32) float64 {
	short := 0
	for _, qi := range pq.base {
		if qt := pq.toks[qi]; !qt.class.Weak() {
			short = max(short, len(qt.text))
		}
	}
	n := &ix.idx.Names[nid]
	if n.NStrong == 1 {
		for _, vid := range n.Toks {
			if !ix.idx.Vocab[vid].Class.Weak() {
				short = len(ix.idx.Vocab[vid].Text)
			}
		}
	}
	if short == 3 {
		return ix.opts.AcronymScore - 0.1
	}
	return ix.opts.AcronymScore
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }
