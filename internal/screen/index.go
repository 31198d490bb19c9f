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
	meta     []tokenMeta        // per vocab token: what the typo lookup reads, packed
	// neigh holds, for strong words of five letters or more, the words each
	// pairs with (the neighbour graph of the vocabulary), so a query word the
	// lists know needs no typo lookup once it has been looked up once. It is
	// filled as queries meet words, or all at once with
	// Options.PrecomputeNeighbors.
	neigh    []atomic.Pointer[[]neighbor]
	grams    [][]int32          // trigram code → strong vocab ids
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
	text   string
	key    string
	class  tokenClass
	df     int32   // entries whose names contain it
	wq, we float32 // weight as a query token and as an entry token
	grams  int16   // distinct trigrams of key
	digit  bool    // contains a digit (pairs only when equal)
}

// tokenMeta is what the typo lookup reads for each candidate word, in one
// 56-byte record so a candidate costs one cache miss.
type tokenMeta struct {
	len, klen, grams uint8 // len is 0 for weak words and words with digits
	hist, keyHist    hist
}

// joinRef points at two adjacent tokens of a name whose concatenation is a
// key of Index.joins ("jsc argument" ↔ "jscargument").
type joinRef struct {
	name int32
	pos  int16
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
		vocabIDs: map[string]int32{},
		keyIDs:   map[string][]int32{},
		acronyms: map[string][]int32{},
		joins:    map[string][]joinRef{},
		idents:   map[string][]int32{},
		grams:    make([][]int32, gramSpace),
	}
	type pending struct {
		src    nameSource
		norm   normalized
		entry  int32
		person bool
	}
	var all []pending
	for i := range ix.entries {
		e := &ix.entries[i]
		person := e.Type == "individual"
		seen := map[string]bool{}
		for _, src := range entryNames(e) {
			n := normalizeName(src.display, person, opts.Transliterator)
			k := n.key()
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			all = append(all, pending{src, n, int32(i), person})
		}
		for _, id := range e.IDs {
			if k := normIdentifier(id.Number); len(k) >= 4 {
				ix.idents[k] = appendUnique(ix.idents[k], int32(i))
			}
		}
	}
	// vocabulary and document frequency (per entry, not per alias)
	lastEntry := map[int32]int32{}
	for _, p := range all {
		for _, t := range p.norm.tokens {
			vk := vocabKey(t.text, t.class)
			id, ok := ix.vocabIDs[vk]
			if !ok {
				id = int32(len(ix.vocab))
				ix.vocabIDs[vk] = id
				ix.vocab = append(ix.vocab, vocabToken{text: t.text, key: phoneticKey(t.text), class: t.class, digit: hasDigit(t.text)})
				lastEntry[id] = -1
			}
			if lastEntry[id] != p.entry {
				lastEntry[id] = p.entry
				ix.vocab[id].df++
			}
		}
	}
	n := float64(len(ix.entries))
	norm := math.Log(1 + n)
	for i := range ix.vocab {
		v := &ix.vocab[i]
		if v.class.weak() {
			v.wq, v.we = float32(opts.WeakWeight), float32(opts.WeakWeight)
			continue
		}
		df := float64(v.df)
		if genericWords[v.text] {
			df = max(df, opts.GenericShare*n)
		}
		idf := math.Log(1+n/df) / norm
		v.wq = float32(math.Pow(idf, opts.QueryIDFExponent))
		v.we = float32(math.Pow(idf, opts.EntryIDFExponent))
		ix.keyIDs[v.key] = append(ix.keyIDs[v.key], int32(i))
		if v.digit {
			continue // numbers pair only when equal: no fuzzy lookup
		}
		codes := trigrams(v.key, nil)
		v.grams = int16(len(codes))
		for _, c := range codes {
			ix.grams[c] = append(ix.grams[c], int32(i))
		}
	}
	// Trigram postings sorted by word length, so a query word counts only
	// words of a length it could pair with.
	for _, post := range ix.grams {
		slices.SortFunc(post, func(a, b int32) int {
			if la, lb := len(ix.vocab[a].text), len(ix.vocab[b].text); la != lb {
				return la - lb
			}
			return int(a - b)
		})
	}
	ix.meta = make([]tokenMeta, len(ix.vocab))
	for i, v := range ix.vocab {
		m := &ix.meta[i]
		m.hist, m.keyHist = letterHist(v.text), letterHist(v.key)
		if !v.digit && !v.class.weak() {
			m.len = uint8(min(255, len(v.text)))
		}
		m.klen = uint8(min(255, len(v.key)))
		m.grams = uint8(min(255, int(v.grams)))
	}
	ix.maxWeight = 1
	ix.postings = make([][]int32, len(ix.vocab))
	ix.names = make([]indexedName, 0, len(all))
	for _, p := range all {
		nm := indexedName{entry: p.entry, display: p.src.display, alias: p.src.alias, person: p.person}
		nid := int32(len(ix.names))
		for pos, t := range p.norm.tokens {
			id := ix.vocabIDs[vocabKey(t.text, t.class)]
			nm.toks = append(nm.toks, id)
			v := &ix.vocab[id]
			if t.class.weak() {
				nm.weakW += v.we
				continue
			}
			nm.strongW += v.we
			nm.nStrong++
			ix.postings[id] = appendUnique(ix.postings[id], nid)
			if pos+1 < len(p.norm.tokens) {
				nx := p.norm.tokens[pos+1]
				ix.joins[t.raw+nx.raw] = append(ix.joins[t.raw+nx.raw], joinRef{nid, int16(pos)})
			}
			if pos > 0 && p.norm.tokens[pos-1].class.weak() {
				pv := p.norm.tokens[pos-1]
				ix.joins[pv.raw+t.raw] = append(ix.joins[pv.raw+t.raw], joinRef{nid, int16(pos - 1)})
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
	ix.neigh = make([]atomic.Pointer[[]neighbor], len(ix.vocab))
	if opts.PrecomputeNeighbors {
		ix.buildNeighbors()
	}
	return ix
}

// buildNeighbors fills the whole neighbour graph, spread over the available
// cores.
func (ix *Index) buildNeighbors() {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			sc := newScratch(0, len(ix.vocab))
			for id := w; id < len(ix.vocab); id += workers {
				ix.knownNeighbors(int32(id), sc)
			}
		})
	}
	wg.Wait()
}

// knownNeighbors returns the neighbours of vocabulary word id, looking them
// up on first use. Concurrent first uses may both compute them; the results
// are equal, and one is kept.
func (ix *Index) knownNeighbors(id int32, sc *scratch) []neighbor {
	if p := ix.neigh[id].Load(); p != nil {
		return *p
	}
	v := &ix.vocab[id]
	nb := ix.neighbors(v.text, v.key, sc)
	ix.neigh[id].Store(&nb)
	return nb
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
