package screen

import (
	"cmp"
	"fmt"
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

// A name of more than window words is screened in windows of that many
// words, windowStep apart, so every word is read and any run of up to
// window-windowStep+1 words (longer than any listed name but a handful)
// lies whole in one window: padding before or after a listed name cannot
// hide it, and a window scores as a query of its length always did.
const (
	window     = 24
	windowStep = 12
)

// maxSearchedWords bounds the typo lookups (neighbour searches, the dearest
// step of a query) one windowed query makes for words the lists do not have;
// past it such words still pair with the listed words spelt or sounding the
// same (Index.Equals). Known words need no lookup. This caps the work, not
// the words read: a padded 10,000-character name stays a few milliseconds.
const maxSearchedWords = 64

// prepare finds each token's neighbours in the vocabulary and the query's
// alternative forms (joined words).
func (ix *Index) prepare(norm prepare.Name, country string, sc *scratch) *preparedQuery {
	q := &preparedQuery{norm: norm, country: strings.ToUpper(strings.TrimSpace(country))}
	toks := q.norm.Tokens
	for _, t := range toks {
		qt := ix.queryToken(t, sc)
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

// queryToken is a query word with its vocabulary id, weight and neighbours.
// A windowed query remembers its words, as each is in two windows, and
// spends a bounded budget of neighbour searches (maxSearchedWords) on words
// the lists do not have.
func (ix *Index) queryToken(t prepare.Token, sc *scratch) qToken {
	vk := index.VocabKey(t.Text, t.Class)
	if sc.memo != nil {
		if qt, ok := sc.memo[vk]; ok {
			return qt
		}
	}
	qt := qToken{text: t.Text, raw: t.Raw, key: prepare.PhoneticKey(t.Text), class: t.Class, vid: -1}
	if id, ok := ix.idx.VocabIDs[vk]; ok {
		qt.vid = id
	}
	if t.Class.Weak() {
		qt.w = float32(ix.opts.WeakWeight)
	} else {
		switch {
		case sc.memo == nil || qt.vid >= 0:
			qt.neigh = ix.idx.Lookup(qt.text, qt.key, qt.vid, &sc.ns)
		case sc.searchesLeft > 0:
			sc.searchesLeft--
			qt.neigh = ix.idx.Lookup(qt.text, qt.key, qt.vid, &sc.ns)
		default:
			qt.neigh = ix.idx.Equals(qt.text, qt.key)
		}
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
	if sc.memo != nil {
		sc.memo[vk] = qt
	}
	return qt
}

// Screenable reports whether a name holds anything to screen: a word that
// is not only a legal form once normalised. A blank or punctuation-only
// name ("", "-", "Co., Ltd.") matches nothing, and a caller must not take
// its empty result for "screened, no hit".
func Screenable(name string) bool {
	for _, t := range prepare.Normalize(name, false, prepare.DefaultTransliterator()).Tokens {
		if t.Class != prepare.Legal {
			return true
		}
	}
	return false
}

// Search returns the entries matching q, best first: at most q.Limit, each
// scoring at least q.MinScore. A name that is not Screenable gets none.
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
	var out []Match
	if len(norm.Tokens) <= window {
		pq := ix.prepare(norm, q.Country, sc)
		pq.id = q.ID
		out = ix.search(pq, q, limit, sc)
	} else {
		out = ix.searchWindows(norm, q, limit, sc)
	}
	if ix.cache != nil {
		ix.cache.put(ck, out)
	}
	return slices.Clone(out)
}

// searchWindows screens a long name window by window and keeps each entry's
// best match.
func (ix *Index) searchWindows(norm prepare.Name, q Query, limit int, sc *scratch) []Match {
	sc.memo, sc.searchesLeft = map[string]qToken{}, maxSearchedWords
	defer func() { sc.memo = nil }()
	var out []Match
	at := map[*lists.Entry]int{} // entry → its match in out
	for start := 0; ; start += windowStep {
		end := min(start+window, len(norm.Tokens))
		w := norm
		w.Tokens = norm.Tokens[start:end]
		pq := ix.prepare(w, q.Country, sc)
		pq.id = q.ID
		for _, m := range ix.search(pq, q, limit, sc) {
			m.Explain.Normalization = append(m.Explain.Normalization, fmt.Sprintf("long name: words %d-%d of %d", start+1, end, len(norm.Tokens)))
			if k, ok := at[m.Entry]; !ok {
				at[m.Entry] = len(out)
				out = append(out, m)
			} else if m.Score > out[k].Score {
				out[k] = m
			}
		}
		if end == len(norm.Tokens) {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int { return cmp.Compare(b.Score, a.Score) })
	return out[:min(len(out), limit)]
}

// postingOrder is the order of the posting pass: the base form, except in a
// windowed query (a long name, often padded with ordinary words), where each
// word comes once with the times it occurs (mult) and known generic words
// go last, from index late on, weighing lateW together. Plain queries keep
// their order, so their sums are what they always were.
func (ix *Index) postingOrder(pq *preparedQuery, sc *scratch) (order []int16, mult []float32, late int, lateW float64) {
	if sc.memo == nil {
		return pq.base, nil, len(pq.base), 0
	}
	generic := func(qi int16) bool {
		qt := &pq.toks[qi]
		return qt.vid >= 0 && ix.idx.Vocab[qt.vid].Generic
	}
	order, mult = sc.order[:0], sc.mult[:0]
	for pass := range 2 {
		if pass == 1 {
			late = len(order)
		}
	next:
		for _, qi := range pq.base {
			qt := &pq.toks[qi]
			if qt.class.Weak() || generic(qi) != (pass == 1) {
				continue
			}
			for k, o := range order {
				if pq.toks[o].text == qt.text {
					mult[k]++
					continue next
				}
			}
			order, mult = append(order, qi), append(mult, 1)
		}
	}
	for k := late; k < len(order); k++ {
		lateW += float64(mult[k] * pq.toks[order[k]].w)
	}
	sc.order, sc.mult = order, mult
	return order, mult, late, lateW
}

// reachedOnly runs the posting pass of query token qi (occurring m times)
// over the names already reached only: by reading their words when there
// are few, else by walking the token's postings and skipping the others.
func (ix *Index) reachedOnly(qi int16, qt *qToken, m float32, sc *scratch) {
	post := 0
	for _, nb := range qt.neigh {
		post += len(ix.idx.Postings[nb.ID])
	}
	if len(sc.touchedNames)*8 <= post {
		for _, nid := range sc.touchedNames {
			var bq, be float32
			for _, vid := range ix.idx.Names[nid].Toks {
				if s := sc.sim(qi, vid, nil); s > 0 {
					bq = max(bq, s)
					be = max(be, ix.idx.Vocab[vid].WE*s)
				}
			}
			sc.accQ[nid] += m * qt.w * bq
			sc.accE[nid] += m * be
		}
		return
	}
	sc.beginToken()
	for _, nb := range qt.neigh {
		we := ix.idx.Vocab[nb.ID].WE * nb.Sim
		for _, nid := range ix.idx.Postings[nb.ID] {
			if sc.qmark[nid] == sc.qStamp { // others cannot reach MinScore any more
				sc.reach(nid, nb.Sim, we)
			}
		}
	}
	for _, nid := range sc.ntouched {
		sc.accQ[nid] += m * qt.w * sc.bq[nid]
		sc.accE[nid] += m * sc.be[nid]
	}
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
	order, mult, late, lateW := ix.postingOrder(pq, sc)
	bonus := 0.0
	if pq.country != "" {
		bonus = ix.opts.CountryBonus
	}
	for k, qi := range order {
		qt := &pq.toks[qi]
		if qt.class.Weak() {
			continue
		}
		// From here on a name no earlier word reached cannot be contained
		// (that needs an exact non-generic word) and, once the words left
		// weigh too little, cannot reach MinScore by coverage either: such
		// names need not be added, only those already reached updated.
		m := float32(1) // times the word occurs in the query
		if mult != nil {
			m = mult[k]
		}
		onlyReached := false
		if k >= late {
			onlyReached = wqc*min(1, (lateW+pq.weakW)/pq.totalW)+(1-wqc)+bonus+1e-9 < q.MinScore
			lateW -= float64(m * qt.w)
		}
		if onlyReached {
			ix.reachedOnly(qi, qt, m, sc)
			continue
		}
		sc.beginToken()
		for _, nb := range qt.neigh {
			we := ix.idx.Vocab[nb.ID].WE * nb.Sim
			for _, nid := range ix.idx.Postings[nb.ID] {
				sc.reach(nid, nb.Sim, we)
			}
		}
		for _, nid := range sc.ntouched {
			sc.touch(nid)
			sc.accQ[nid] += m * qt.w * sc.bq[nid]
			sc.accE[nid] += m * sc.be[nid]
		}
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
		if ubE >= 1-1e-6 && n.Containable {
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
			h.score = min(belowEqual, clamp01(ix.acronymScore(pq, f.name)+h.adjust))
		case f.ej >= 0:
			h.ej, h.ejq = f.ej, f.ejq
			ns := ix.scoreForm(pq, sc, pq.base, &ix.idx.Names[f.name], f.ej, f.ejq, false)
			h.score = finalScore(ns, h.adjust)
		default:
			ns := ix.scoreForm(pq, sc, pq.forms[f.form], &ix.idx.Names[f.name], -1, 0, false)
			h.score = finalScore(ns, h.adjust)
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
		h.score = finalScore(ns, h.adjust)
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
