package index

import (
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chipcheck/chipcheck/internal/screen/prepare"
	"github.com/chipcheck/chipcheck/internal/screen/stringscore"
)

// The neighbour search: which strong vocabulary words a word pairs with
// (tokenSimLetters > 0). Build runs it for every vocabulary word of five
// letters or more (the neighbour graph, on all cores); a query runs it for
// its words the lists do not have (typos), and with Params.LazyNeighbors for
// known words on first use. Only the words that survive these filters, in
// this order, are compared:
//
//  1. a length window: words within the length difference tokenSim allows;
//  2. a trigram count: an edit changes at most four trigrams of each word (a
//     transposition), so words within d edits share at least
//     max(|A|,|B|) - 4d distinct key trigrams;
//  3. a letter bound: each edit adds or removes at most one letter on each
//     side, so the letters the longer word has that the other lacks bound the
//     edit distance from below (first from one-word letter masks, then from
//     exact counts);
//  4. tokenSimWith, which checks the edit distance (bit-parallel, against the
//     query word set up once) before computing Jaro-Winkler.
//
// The tables are laid out for this order: the trigram postings carry each
// word's length, so the window is a binary search and the count never leaves
// the postings; lengths, trigram counts and masks are small arrays that stay
// in cache; histograms are packed so a bound is a few word-wide operations;
// the letters of all words are in one string. The result is exactly that of
// the plain search (TestNeighborsMatchReference), which this replaces at
// about a quarter of its cost.

// gramIDBits is how many low bits of a trigram posting hold the vocabulary
// id; the bits above hold the word's length (capped at 255).
const gramIDBits = 24

const gramIDMask = 1<<gramIDBits - 1

// packedHist is a letter histogram (a-z), one byte per letter, eight letters
// to a word, so the letters two words share are counted with a few word-wide
// operations (commonLetters). Counts are exact for words of up to 127 letters.
type packedHist [4]uint64

// packHist counts the letters a-z of s (other bytes are ignored).
func packHist(s string) packedHist {
	var h packedHist
	for i := 0; i < len(s); i++ {
		if c := s[i] - 'a'; c < 26 {
			if lane := (h[c/8] >> (8 * (c % 8))) & 0xff; lane < 127 {
				h[c/8] += 1 << (8 * (c % 8))
			}
		}
	}
	return h
}

const (
	laneHigh = 0x8080808080808080
	laneOnes = 0x0101010101010101
)

// commonLetters is Σ min(a[c], b[c]) over the letters, for histograms of
// words of at most 127 letters: per byte lane, (a|0x80) - b keeps its high
// bit exactly when a >= b and never borrows across lanes (a, b < 128), which
// selects the smaller of the two; a multiply then sums the lanes (at most 127
// in all).
func commonLetters(a, b *packedHist) int {
	n := 0
	for i := range a {
		x, y := a[i], b[i]
		ge := (((x | laneHigh) - y) & laneHigh) >> 7 * 0xff // 0xff where x >= y
		n += int(((y & ge) | (x &^ ge)) * laneOnes >> 56)
	}
	return n
}

// letterMask has bit c set when letter c occurs in s, and bit 32+c when it
// occurs twice or more: a histogram coarse enough to fit one word.
func letterMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		if c := s[i] - 'a'; c < 26 {
			m |= (m & (1 << c)) << 32
			m |= 1 << c
		}
	}
	return m
}

// maskBound is a lower bound of max(|A|,|B|) - commonLetters(A, B) from
// letter masks: each letter of A that B lacks leaves |A| - common at least one
// letter short (two when A has it twice), and so does each letter A has twice
// and B once; the same holds the other way round.
func maskBound(a, b uint64) int {
	return max(bits.OnesCount64(a&^b), bits.OnesCount64(b&^a))
}

// maxHistLen is the longest word commonLetters counts exactly.
const maxHistLen = 127

// wordHists are the packed histograms of a vocabulary word and of its
// phonetic key.
type wordHists struct{ Text, Key packedHist }

// indexNeighborTables fills the neighbour-search tables from ix.Vocab.
func (ix *Index) indexNeighborTables() {
	n := len(ix.Vocab)
	if n > gramIDMask {
		panic("screen: vocabulary too large for packed trigram postings")
	}
	ix.wlen = make([]uint8, n)
	ix.klen = make([]uint8, n)
	ix.wgrams = make([]uint8, n)
	ix.hists = make([]wordHists, n)
	ix.masks = make([][2]uint64, n)
	// Every word's text and key side by side in one string, in id order:
	// a candidate's letters are then one cache miss away, not three (the
	// Word, then two separately allocated strings).
	size := 0
	for i := range ix.Vocab {
		size += len(ix.Vocab[i].Text) + len(ix.Vocab[i].Key)
	}
	var letters strings.Builder
	letters.Grow(size)
	for i := range ix.Vocab {
		letters.WriteString(ix.Vocab[i].Text)
		letters.WriteString(ix.Vocab[i].Key)
	}
	ix.letters = letters.String()
	ix.wordOff = make([]uint32, 2*n+1)
	off := 0
	counts := make([]uint32, gramSpace+1)
	var codes []int32
	for i := range ix.Vocab {
		v := &ix.Vocab[i]
		tl, kl := len(v.Text), len(v.Key)
		v.Text, v.Key = ix.letters[off:off+tl], ix.letters[off+tl:off+tl+kl]
		ix.wordOff[2*i], ix.wordOff[2*i+1] = uint32(off), uint32(off+tl)
		off += tl + kl
		ix.hists[i] = wordHists{packHist(v.Text), packHist(v.Key)}
		ix.masks[i] = [2]uint64{letterMask(v.Text), letterMask(v.Key)}
		ix.klen[i] = uint8(min(255, kl))
		if v.Class.Weak() || v.Digit {
			continue // weak words and numbers pair only when equal: no fuzzy lookup
		}
		ix.wlen[i] = uint8(min(255, tl))
		codes = trigrams(v.Key, codes[:0])
		ix.wgrams[i] = uint8(min(255, len(codes)))
		for _, c := range codes {
			counts[c+1]++
		}
	}
	ix.wordOff[2*n] = uint32(off)
	// Postings of all trigrams in one array (gramOff[c]:gramOff[c+1]),
	// filled by counting sort over trigram codes.
	for c := 1; c <= gramSpace; c++ {
		counts[c] += counts[c-1]
	}
	ix.gramOff = counts
	ix.gramPost = make([]uint32, counts[gramSpace])
	next := slices.Clone(counts[:gramSpace])
	for i := range ix.Vocab {
		if ix.wlen[i] == 0 {
			continue
		}
		codes = trigrams(ix.Vocab[i].Key, codes[:0])
		for _, c := range codes {
			ix.gramPost[next[c]] = uint32(ix.wlen[i])<<gramIDBits | uint32(i)
			next[c]++
		}
	}
	// Each posting list sorted by (length, id), so a query word reads only
	// the lengths it can pair with.
	for c := range gramSpace {
		slices.Sort(ix.gramPost[ix.gramOff[c]:ix.gramOff[c+1]])
	}
}

// wordText and wordKey are vocabulary word id and its phonetic key, read
// from ix.letters.
func (ix *Index) wordText(id int32) string {
	return ix.letters[ix.wordOff[2*id]:ix.wordOff[2*id+1]]
}

func (ix *Index) wordKey(id int32) string {
	return ix.letters[ix.wordOff[2*id+1]:ix.wordOff[2*id+2]]
}

// lengthWindow is the range of word lengths a word of ql letters can pair
// with, and the edits allowed for each: d[vl-lo] is -1 for a length it
// cannot pair with. Pairs must be within maxEdits of each other (tokenSim),
// or a suffix variant that adds up to four letters to a word of seven or
// more.
type lengthWindow struct {
	lo, hi int
	d      [9]int8
}

func newLengthWindow(ql int) lengthWindow {
	w := lengthWindow{lo: max(5, ql-4), hi: min(255, ql+4)}
	for vl := w.lo; vl <= w.hi; vl++ {
		short, diff := min(ql, vl), max(ql-vl, vl-ql)
		d := maxEdits(short)
		if short >= 7 {
			d = max(d, 2)
		}
		if diff > d+1 && !(short >= 7 && diff <= 4) {
			d = -1
		}
		w.d[vl-w.lo] = int8(d)
	}
	// Trim the lengths that cannot pair off both ends, so the postings of
	// those lengths are not read at all.
	for w.lo <= w.hi && w.d[0] < 0 {
		copy(w.d[:], w.d[1:])
		w.lo++
	}
	for w.hi >= w.lo && w.d[w.hi-w.lo] < 0 {
		w.hi--
	}
	return w
}

// neighbors lists the strong vocabulary tokens a query token pairs with:
// itself, its phonetic equals, and (for words of five letters or more) the
// tokens that survive the filters above and pair by tokenSimLetters.
func (ix *Index) Neighbors(text, key string, sc *Scratch) []Neighbor {
	var out []Neighbor
	floor := ix.params.MinTokenSimilarity
	pw := ix.params.PhoneticWeight
	var pt, pk *stringscore.OSAPattern
	add := func(id int32) {
		if s := tokenSimWith(text, ix.wordText(id), key, ix.wordKey(id), pw, floor, pt, pk); s > 0 {
			out = append(out, Neighbor{id, float32(s)})
		}
	}
	if prepare.HasDigit(text) || len(text) <= 4 {
		return ix.Equals(text, key)
	}
	ql, kl := len(text), len(key)
	win := newLengthWindow(ql)
	if win.lo > win.hi {
		return out
	}
	codes := trigrams(key, sc.codes[:0])
	sc.codes = codes
	// vcount[id] is stamp<<16 | count, so one load tells whether id was
	// met in this lookup and how often (a key has fewer than 1<<16 distinct
	// trigrams: gramSpace).
	if sc.stamp++; sc.stamp == 1<<16 {
		clear(sc.vcount)
		sc.stamp = 1
	}
	stamp := sc.stamp << 16
	touched := sc.vtouched[:0]
	skipped := 0
	first, last := uint32(win.lo)<<gramIDBits, uint32(win.hi)
	for _, c := range codes {
		post := ix.gramPost[ix.gramOff[c]:ix.gramOff[c+1]]
		// The commonest trigrams would cost more to count than they tell;
		// leaving one out lowers the count a match needs by one.
		if len(post) > maxGramPostings {
			skipped++
			continue
		}
		lo, _ := slices.BinarySearch(post, first)
		for _, p := range post[lo:] {
			if p>>gramIDBits > last {
				break
			}
			id := int32(p & gramIDMask)
			if c := sc.vcount[id]; c&^0xffff == stamp {
				sc.vcount[id] = c + 1
			} else {
				sc.vcount[id] = stamp | 1
				touched = append(touched, id)
			}
		}
	}
	sc.vtouched = touched
	nq := len(codes)
	exact := ql <= maxHistLen && kl <= maxHistLen
	qh, qkh := packHist(text), packHist(key)
	qm, qkm := letterMask(text), letterMask(key)
	sc.osaText.Set(text)
	sc.osaKey.Set(key)
	pt, pk = &sc.osaText, &sc.osaKey
	for _, id := range touched {
		vl := int(ix.wlen[id])
		d := int(win.d[vl-win.lo])
		if d < 0 {
			continue
		}
		if need := max(nq, int(ix.wgrams[id])) - 4*d - skipped; int(sc.vcount[id]&0xffff) < need {
			continue
		}
		// The letter bound does not hold for suffix variants, which may be
		// more than d edits apart. Beyond maxHistLen letters it is skipped:
		// such words pair only by equal keys or as suffix variants (osa
		// gives up past 40 letters), which the bound never excludes.
		if short, diff := min(ql, vl), max(ql-vl, vl-ql); (diff <= d || short < 7) && exact && vl <= maxHistLen {
			// masks first: they are small enough to stay in cache
			m := &ix.masks[id]
			if maskBound(qm, m[0]) > d && maskBound(qkm, m[1]) > d {
				continue
			}
			h := &ix.hists[id]
			if max(ql, vl)-commonLetters(&qh, &h.Text) > d && max(kl, int(ix.klen[id]))-commonLetters(&qkh, &h.Key) > d {
				continue
			}
		}
		add(id)
	}
	return out
}

// maxGramPostings bounds the trigram posting lists counted per query token.
const maxGramPostings = 100000

// neighborBuild is a neighbour graph being filled by background workers
// (Build, unless Params.LazyNeighbors).
type neighborBuild struct {
	ix   *Index
	next atomic.Int64 // next block of vocabulary ids to take
	wg   sync.WaitGroup
}

// neighborBlock is how many vocabulary ids a worker takes at a time: enough
// to make the shared counter cheap, few enough to balance the workers.
const neighborBlock = 256

// startNeighbors starts filling the neighbour graph on all cores but the
// caller's, which joins in finish.
func (ix *Index) startNeighbors() *neighborBuild {
	g := &neighborBuild{ix: ix}
	for range runtime.GOMAXPROCS(0) - 1 {
		g.wg.Go(g.work)
	}
	return g
}

// finish joins the workers and returns when the graph is complete.
func (g *neighborBuild) finish() {
	g.work()
	g.wg.Wait()
}

func (g *neighborBuild) work() {
	ix := g.ix
	sc := NewScratch(len(ix.Vocab))
	for {
		lo := int(g.next.Add(neighborBlock)) - neighborBlock
		if lo >= len(ix.Vocab) {
			return
		}
		for id := lo; id < min(lo+neighborBlock, len(ix.Vocab)); id++ {
			if ix.wlen[id] > 4 { // the words prepare looks up with KnownNeighbors
				ix.KnownNeighbors(int32(id), &sc)
			}
		}
	}
}

// KnownNeighbors returns the neighbours of vocabulary word id, looking them
// up on first use. Concurrent first uses may both compute them; the results
// are equal, and one is kept.
func (ix *Index) KnownNeighbors(id int32, sc *Scratch) []Neighbor {
	if p := ix.neigh[id].Load(); p != nil {
		return *p
	}
	v := &ix.Vocab[id]
	nb := ix.Neighbors(v.Text, v.Key, sc)
	ix.neigh[id].Store(&nb)
	return nb
}

// Equals lists the strong vocabulary words a word pairs with without a
// neighbour search: itself and the words with its phonetic key. It is all
// Neighbors does for words of four letters or fewer and words with digits,
// and the cheap lookup a query makes once its budget of neighbour searches
// is spent.
func (ix *Index) Equals(text, key string) []Neighbor {
	var out []Neighbor
	if id, ok := ix.VocabIDs[text]; ok {
		out = append(out, Neighbor{id, 1})
	}
	if prepare.HasDigit(text) {
		return out
	}
	floor, pw := ix.params.MinTokenSimilarity, ix.params.PhoneticWeight
	for _, id := range ix.keyIDs[key] {
		if ix.Vocab[id].Text != text {
			if s := tokenSim(text, ix.wordText(id), key, ix.wordKey(id), pw, floor); s > 0 {
				out = append(out, Neighbor{id, float32(s)})
			}
		}
	}
	return out
}

// Lookup returns the neighbours of a query word: from the neighbour graph for
// a vocabulary word (vid >= 0) of five letters or more, else by a neighbour
// search.
func (ix *Index) Lookup(text, key string, vid int32, sc *Scratch) []Neighbor {
	if vid >= 0 && ix.wlen[vid] > 4 {
		return ix.KnownNeighbors(vid, sc)
	}
	return ix.Neighbors(text, key, sc)
}
