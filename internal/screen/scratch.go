package screen

import (
	"github.com/chipcheck/chipcheck/internal/screen/index"
)

// scratch holds per-search working memory, reused through a sync.Pool so a
// search allocates little. Arrays indexed by name or vocabulary id are
// validated by stamps instead of being cleared.
type scratch struct {
	ns index.Scratch // vocabulary side (neighbour search)
	// a windowed query's words (by index.VocabKey), and the neighbour
	// searches it may still make (nil and unused otherwise)
	memo         map[string]qToken
	searchesLeft int
	order        []int16   // a windowed query's posting-pass order
	mult         []float32 // and how often each word occurs

	// name-side (posting pass)
	qmark        []uint32 // name in this query's candidate set
	tmark        []uint32 // name seen for the current query token
	bq, be       []float32
	accQ, accE   []float32
	ntouched     []int32
	touchedNames []int32
	qStamp       uint32
	tokStamp     uint32

	// similarity table: slot[vid] = row+1; rows hold one similarity per query token
	slot     []int32
	simTab   []float32
	slotUsed []int32
	nq       int

	pairs     []pair
	cands     []candidate
	forced    []forcedCand
	hits      []hit
	scores    []float64
	entryBest map[int32]int
}

func newScratch(names, vocab int) *scratch {
	return &scratch{
		ns:    index.NewScratch(vocab),
		qmark: make([]uint32, names), tmark: make([]uint32, names),
		bq: make([]float32, names), be: make([]float32, names),
		accQ: make([]float32, names), accE: make([]float32, names),
		slot:      make([]int32, vocab),
		entryBest: map[int32]int{},
	}
}

// beginQuery starts a new candidate set.
func (sc *scratch) beginQuery(int) {
	sc.qStamp++
	if sc.qStamp == 0 { // wrapped: clear marks once every 2^32 queries
		clear(sc.qmark)
		sc.qStamp = 1
	}
	sc.touchedNames = sc.touchedNames[:0]
}

// beginToken starts the posting pass of one query token.
func (sc *scratch) beginToken() {
	if sc.tokStamp++; sc.tokStamp == 0 { // wrapped: clear once every 2^32 tokens
		clear(sc.tmark)
		sc.tokStamp = 1
	}
	sc.ntouched = sc.ntouched[:0]
}

// reach records that the current query token pairs with similarity sim
// (and entry weight we) with a word of name nid, keeping the best of each.
func (sc *scratch) reach(nid int32, sim, we float32) {
	if sc.tmark[nid] != sc.tokStamp {
		sc.tmark[nid] = sc.tokStamp
		sc.bq[nid], sc.be[nid] = 0, 0
		sc.ntouched = append(sc.ntouched, nid)
	}
	sc.bq[nid] = max(sc.bq[nid], sim)
	sc.be[nid] = max(sc.be[nid], we)
}

// touch adds a name to the candidate set, zeroing its accumulators.
func (sc *scratch) touch(nid int32) {
	if sc.qmark[nid] == sc.qStamp {
		return
	}
	sc.qmark[nid] = sc.qStamp
	sc.accQ[nid], sc.accE[nid] = 0, 0
	sc.touchedNames = append(sc.touchedNames, nid)
}

// loadSims fills the similarity table from the query tokens' neighbours.
func (sc *scratch) loadSims(pq *preparedQuery) {
	for _, v := range sc.slotUsed {
		sc.slot[v] = 0
	}
	sc.slotUsed = sc.slotUsed[:0]
	sc.simTab = sc.simTab[:0]
	sc.nq = len(pq.toks)
	for qi := range pq.toks {
		for _, nb := range pq.toks[qi].neigh {
			r := sc.slot[nb.ID]
			if r == 0 {
				sc.slotUsed = append(sc.slotUsed, nb.ID)
				for range sc.nq {
					sc.simTab = append(sc.simTab, 0)
				}
				r = int32(len(sc.simTab) / sc.nq)
				sc.slot[nb.ID] = r
			}
			sc.simTab[int(r-1)*sc.nq+qi] = nb.Sim
		}
	}
}

// sim is the similarity of query token qi with vocabulary token vid (0 when
// they do not pair).
func (sc *scratch) sim(qi int16, vid int32, _ *preparedQuery) float32 {
	r := sc.slot[vid]
	if r == 0 {
		return 0
	}
	return sc.simTab[int(r-1)*sc.nq+int(qi)]
}
