package screen

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chipcheck/chipcheck/internal/lists"
)

// Index is an immutable search index over list entries. Search is safe for
// concurrent use.
type Index struct {
	opts    Options
	entries []lists.Entry
	names   []indexedName

	vocab    []vocabToken
	vocabIDs map[string]int32   // class-qualified text → vocab id
	keyIDs   map[string][]int32 // phonetic key → strong vocab ids
	postings [][]int32          // strong vocab id → names containing it
	// neigh holds, for strong words of five letters or more, the words each
	// pairs with (the neighbour graph of the vocabulary), so a query word the
	// lists know needs no typo lookup. NewIndex fills it, unless
	// Options.LazyNeighbors leaves it to be filled as queries meet words.
	neigh []atomic.Pointer[[]neighbor]
	// The neighbour-search tables (neighbors.go).
	gramPost []uint32           // trigram postings: strong letter words, packed length<<gramIDBits | vocab id
	gramOff  []uint32           // trigram code c → its postings, gramPost[gramOff[c]:gramOff[c+1]], ascending
	letters  string             // every vocabulary word's text then key, in id order
	wordOff  []uint32           // word i: text letters[wordOff[2i]:wordOff[2i+1]], key up to wordOff[2i+2]
	wlen     []uint8            // per vocab token: len(text) capped at 255; 0 for weak words and words with digits
	klen     []uint8            // len(key) capped at 255
	wgrams   []uint8            // distinct trigrams of key, capped at 255
	hists    []wordHists        // letter histograms of text and key
	masks    [][2]uint64        // letterMask of text and key
	acronyms map[string][]int32 // acronym → names
	joins    map[string][]joinRef
	idents   map[string][]int32 // normalised identifier → entries

	maxWeight float32 // weight of a token the corpus has never seen (query side)

	cache   *resultCache
	scratch sync.Pool
}

// indexedName is one name variant of an entry.
type indexedName struct {
	entry   int32
	display string
	alias   bool
	toks    []int32 // vocab ids, in name order
	strongW float32 // sum of the entry-side weights of its strong tokens
	weakW   float32 // sum of the weights of its weak tokens
	nStrong int16
	person  bool
}

// vocabToken is one distinct token of the corpus.
type vocabToken struct {
	text    string
	key     string
	class   tokenClass
	df      int32   // entries whose names contain it
	wq, we  float32 // weight as a query token and as an entry token
	digit   bool    // contains a digit (pairs only when equal)
	generic bool    // a generic business or place word (generic.go)
}

// joinRef points at two adjacent tokens of a name whose concatenation is a
// key of Index.joins ("jsc argument" ↔ "jscargument").
type joinRef struct {
	name int32
	pos  int16
}

// pendingName is one normalised name of an entry, before the vocabulary
// exists.
type pendingName struct {
	src    nameSource
	norm   normalized
	entry  int32
	person bool
}

// normalizeEntries normalises the names of every entry, in entry order,
// dropping names that normalise to nothing or to a name the entry already
// has. Entries are independent, so they are spread over the available cores
// in contiguous blocks (normalisation is the dearest step of a build but for
// the neighbour graph).
func normalizeEntries(entries []lists.Entry, tr Transliterator) []pendingName {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(entries)/256))
	parts := make([][]pendingName, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(entries)/workers, (w+1)*len(entries)/workers
		wg.Go(func() {
			var out []pendingName
			seen := map[string]bool{}
			for i := lo; i < hi; i++ {
				e := &entries[i]
				person := e.Type == "individual"
				clear(seen)
				for _, src := range entryNames(e) {
					n := normalizeName(src.display, person, tr)
					k := n.key()
					if k == "" || seen[k] {
						continue
					}
					seen[k] = true
					out = append(out, pendingName{src, n, int32(i), person})
				}
			}
			parts[w] = out
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

func vocabKey(text string, class tokenClass) string {
	if class.weak() {
		return "\x01" + text
	}
	return text
}

// NewIndex builds an index over entries (copied; later changes to the slice
// do not affect the index).
func NewIndex(entries []lists.Entry, opts Options) *Index {
	opts = opts.withDefaults()
	ix := &Index{
		opts:     opts,
		entries:  append([]lists.Entry(nil), entries...),
		keyIDs:   map[string][]int32{},
		acronyms: map[string][]int32{},
		idents:   map[string][]int32{},
	}
	all := normalizeEntries(ix.entries, opts.Transliterator)
	for i := range ix.entries {
		for _, id := range ix.entries[i].IDs {
			if k := normIdentifier(id.Number); len(k) >= 4 {
				ix.idents[k] = appendUnique(ix.idents[k], int32(i))
			}
		}
	}
	// vocabulary and document frequency (per entry, not per alias), and
	// each name's tokens as vocabulary ids
	ix.vocabIDs = make(map[string]int32, len(all))
	lastEntry := make([]int32, 0, len(all)) // per vocab id: the last entry counted in df
	toks := make([][]int32, len(all))
	joins := 0 // at most this many join keys (the name loop below adds them)
	for i, p := range all {
		toks[i] = make([]int32, len(p.norm.tokens))
		for j, t := range p.norm.tokens {
			if !t.class.weak() && j+1 < len(p.norm.tokens) {
				joins++
			}
			if !t.class.weak() && j > 0 && p.norm.tokens[j-1].class.weak() {
				joins++
			}
			vk := vocabKey(t.text, t.class)
			id, ok := ix.vocabIDs[vk]
			if !ok {
				id = int32(len(ix.vocab))
				ix.vocabIDs[vk] = id
				ix.vocab = append(ix.vocab, vocabToken{text: t.text, key: phoneticKey(t.text), class: t.class, digit: hasDigit(t.text)})
				lastEntry = append(lastEntry, -1)
			}
			toks[i][j] = id
			if lastEntry[id] != p.entry {
				lastEntry[id] = p.entry
				ix.vocab[id].df++
			}
		}
	}
	n := max(float64(len(ix.entries)), opts.MinCorpusEntries)
	norm := math.Log(1 + n)
	for i := range ix.vocab {
		v := &ix.vocab[i]
		if v.class.weak() {
			v.wq, v.we = float32(opts.WeakWeight), float32(opts.WeakWeight)
			continue
		}
		df := float64(v.df)
		if genericWords[v.text] {
			v.generic = true
			df = max(df, opts.GenericShare*n)
		}
		idf := math.Log(1+n/df) / norm
		v.wq = float32(math.Pow(idf, opts.QueryIDFExponent))
		v.we = float32(math.Pow(idf, opts.EntryIDFExponent))
		ix.keyIDs[v.key] = append(ix.keyIDs[v.key], int32(i))
	}
	ix.indexNeighborTables()
	ix.neigh = make([]atomic.Pointer[[]neighbor], len(ix.vocab))
	// The neighbour graph needs only the vocabulary: it is built on the
	// other cores while this one builds the name tables, then on all.
	var graph *neighborBuild
	if !opts.LazyNeighbors {
		graph = ix.startNeighbors()
	}
	ix.maxWeight = 1
	ix.postings = make([][]int32, len(ix.vocab))
	ix.names = make([]indexedName, 0, len(all))
	ix.joins = make(map[string][]joinRef, joins)
	for i, p := range all {
		nm := indexedName{entry: p.entry, display: p.src.display, alias: p.src.alias, person: p.person, toks: toks[i]}
		nid := int32(len(ix.names))
		for pos, t := range p.norm.tokens {
			v := &ix.vocab[nm.toks[pos]]
			if t.class.weak() {
				nm.weakW += v.we
				continue
			}
			nm.strongW += v.we
			nm.nStrong++
			ix.postings[nm.toks[pos]] = appendUnique(ix.postings[nm.toks[pos]], nid)
			if pos+1 < len(p.norm.tokens) {
				k := t.raw + p.norm.tokens[pos+1].raw
				ix.joins[k] = append(ix.joins[k], joinRef{nid, int16(pos)})
			}
			if pos > 0 && p.norm.tokens[pos-1].class.weak() {
				k := p.norm.tokens[pos-1].raw + t.raw
				ix.joins[k] = append(ix.joins[k], joinRef{nid, int16(pos - 1)})
			}
		}
		if !p.person {
			for _, a := range acronymsOf(p.norm.tokens) {
				ix.acronyms[a] = appendUnique(ix.acronyms[a], nid)
			}
		}
		ix.names = append(ix.names, nm)
	}
	if opts.CacheSize > 0 {
		ix.cache = newResultCache(opts.CacheSize)
	}
	ix.scratch.New = func() any { return newScratch(len(ix.names), len(ix.vocab)) }
	if graph != nil {
		graph.finish()
	}
	return ix
}

// Len is the number of entries indexed.
func (ix *Index) Len() int { return len(ix.entries) }

// Names is the number of name variants indexed.
func (ix *Index) Names() int { return len(ix.names) }

func appendUnique(s []int32, v int32) []int32 {
	if len(s) > 0 && s[len(s)-1] == v {
		return s
	}
	return append(s, v)
}

// acronymsOf gives the acronyms a name can be written as: the initials of its
// words without stopwords, with and without legal forms ("Semiconductor
// Manufacturing International Corporation" → "smic", "smi"). Only names of
// three or more words have one.
func acronymsOf(toks []token) []string {
	var all, strong strings.Builder
	words := 0
	for _, t := range toks {
		switch t.class {
		case stopToken, initialToken:
			continue
		case legalToken:
			all.WriteByte(t.raw[0])
		default:
			if isDigit(t.text[0]) {
				return nil
			}
			all.WriteByte(t.text[0])
			strong.WriteByte(t.text[0])
			words++
		}
	}
	if words < 3 && all.Len() < 3 {
		return nil
	}
	out := []string{}
	if all.Len() >= 3 {
		out = append(out, all.String())
	}
	if s := strong.String(); len(s) >= 3 && s != all.String() {
		out = append(out, s)
	}
	return out
}

// normIdentifier keeps letters and digits, upper-cased.
func normIdentifier(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Trigrams of a phonetic key padded with ^ and $: the alphabet is a-z, 0-9,
// ^ and $, so a trigram packs into a code below gramSpace.
const gramAlphabet = 38
const gramSpace = gramAlphabet * gramAlphabet * gramAlphabet

func gramSym(c byte) int {
	switch {
	case c >= 'a' && c <= 'z':
		return int(c - 'a')
	case c >= '0' && c <= '9':
		return 26 + int(c-'0')
	case c == '^':
		return 36
	}
	return 37
}

// trigrams appends the distinct trigram codes of "^key$" to dst.
func trigrams(key string, dst []int32) []int32 {
	p := "^" + key + "$"
	start := len(dst)
	for i := 0; i+3 <= len(p); i++ {
		c := int32((gramSym(p[i])*gramAlphabet+gramSym(p[i+1]))*gramAlphabet + gramSym(p[i+2]))
		dup := false
		for _, d := range dst[start:] {
			if d == c {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, c)
		}
	}
	return dst
}

// sortInt32 sorts in place.
func sortInt32(s []int32) { sort.Slice(s, func(i, j int) bool { return s[i] < s[j] }) }
