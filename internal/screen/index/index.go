package index

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

// Params are the index's share of the matcher's options (screen.Options
// documents each): how words are weighted, which words pair, and how the
// neighbour graph is built.
type Params struct {
	QueryIDFExponent   float64
	EntryIDFExponent   float64
	GenericShare       float64
	MinCorpusEntries   float64
	WeakWeight         float64
	MinTokenSimilarity float64
	PhoneticWeight     float64
	LazyNeighbors      bool
	Transliterator     prepare.Transliterator
}

// DefaultParams are the documented defaults (screen.Options), but for
// MinTokenSimilarity, which is rule data (rules/screening.yaml) and left 0.
func DefaultParams() Params {
	return Params{
		QueryIDFExponent: 1.5,
		EntryIDFExponent: 2.5,
		WeakWeight:       0.04,
		GenericShare:     0.02,
		MinCorpusEntries: 10000,
		PhoneticWeight:   0.96,
		Transliterator:   prepare.DefaultTransliterator(),
	}
}

// Index holds the candidate tables over list entries: the vocabulary with its
// weights, the postings of each word, acronym, joined-word and identifier
// keys, and the neighbour search. It is immutable once built (the neighbour
// graph may still be filled lazily, safely) and safe for concurrent use. The
// fields are read by the scorer on its hot path; do not modify them.
type Index struct {
	params  Params
	Entries []lists.Entry
	Names   []Name

	Vocab    []Word
	VocabIDs map[string]int32   // class-qualified text (VocabKey) → vocab id
	keyIDs   map[string][]int32 // phonetic key → strong vocab ids
	Postings [][]int32          // strong vocab id → names containing it
	// neigh holds, for strong words of five letters or more, the words each
	// pairs with (the neighbour graph of the vocabulary), so a query word the
	// lists know needs no typo lookup. Build fills it, unless
	// Params.LazyNeighbors leaves it to be filled as queries meet words.
	neigh []atomic.Pointer[[]Neighbor]
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
	Acronyms map[string][]int32 // acronym → names
	Joins    map[string][]JoinRef
	Idents   map[string][]int32 // normalised identifier → entries

	MaxWeight float32 // weight of a token the corpus has never seen (query side)
}

// Name is one name variant of an entry.
type Name struct {
	Entry   int32
	Display string
	Alias   bool
	Toks    []int32 // vocab ids, in name order
	StrongW float32 // sum of the entry-side weights of its strong tokens
	WeakW   float32 // sum of the weights of its weak tokens
	NStrong int16
	Person  bool
	// Qualifier is what was cut from the published name to make this one
	// (prepare.Source.Qualifier), "" for a name as published.
	Qualifier string
	// Containable: an organisation's name of two or more strong words, one
	// of them not generic, which a longer query can contain (screen's
	// containment floor applies to no other name).
	Containable bool
}

// Word is one distinct token of the corpus.
type Word struct {
	Text    string
	Key     string
	Class   prepare.Class
	DF      int32   // entries whose names contain it
	WQ, WE  float32 // weight as a query token and as an entry token
	Digit   bool    // contains a digit (pairs only when equal)
	Generic bool    // a generic business or place word (prepare.IsGeneric)
}

// Neighbor is a vocabulary word a word pairs with, and how well.
type Neighbor struct {
	ID  int32
	Sim float32
}

// JoinRef points at two adjacent tokens of a name whose concatenation is a
// key of Index.Joins ("jsc argument" ↔ "jscargument").
type JoinRef struct {
	Name int32
	Pos  int16
}

// pendingName is one normalised name of an entry, before the vocabulary
// exists.
type pendingName struct {
	src    prepare.Source
	norm   prepare.Name
	Entry  int32
	Person bool
}

// normalizeEntries normalises the names of every entry, in entry order,
// dropping names that normalise to nothing or to a name the entry already
// has. Entries are independent, so they are spread over the available cores
// in contiguous blocks (normalisation is the dearest step of a build but for
// the neighbour graph).
func normalizeEntries(entries []lists.Entry, tr prepare.Transliterator) []pendingName {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(entries)/256))
	parts := make([][]pendingName, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(entries)/workers, (w+1)*len(entries)/workers
		wg.Go(func() {
			var out []pendingName
			seen := map[string]int{} // key → its index in out
			for i := lo; i < hi; i++ {
				e := &entries[i]
				person := e.Type == "individual"
				clear(seen)
				for _, src := range prepare.EntryNames(e) {
					n := prepare.Normalize(src.Display, person, tr)
					k := n.Key()
					if k == "" {
						continue
					}
					// A name the entry publishes outranks the same name
					// made by cutting a qualifier from another.
					if j, ok := seen[k]; ok {
						if out[j].src.Qualifier != "" && src.Qualifier == "" {
							out[j].src = src
						}
						continue
					}
					seen[k] = len(out)
					out = append(out, pendingName{src, n, int32(i), person})
				}
			}
			parts[w] = out
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

func VocabKey(text string, class prepare.Class) string {
	if class.Weak() {
		return "\x01" + text
	}
	return text
}

// Build indexes entries (copied; later changes to the slice do not affect
// the index). Params must be complete, MinTokenSimilarity included (it is
// rule data): screen.NewIndex validates them before calling Build.
func Build(entries []lists.Entry, opts Params) *Index {
	ix := &Index{
		params:   opts,
		Entries:  append([]lists.Entry(nil), entries...),
		keyIDs:   map[string][]int32{},
		Acronyms: map[string][]int32{},
		Idents:   map[string][]int32{},
	}
	all := normalizeEntries(ix.Entries, opts.Transliterator)
	for i := range ix.Entries {
		for _, id := range ix.Entries[i].IDs {
			if k := NormIdentifier(id.Number); len(k) >= 4 {
				ix.Idents[k] = appendUnique(ix.Idents[k], int32(i))
			}
		}
	}
	// vocabulary and document frequency (per entry, not per alias), and
	// each name's tokens as vocabulary ids
	ix.VocabIDs = make(map[string]int32, len(all))
	lastEntry := make([]int32, 0, len(all)) // per vocab id: the last entry counted in df
	toks := make([][]int32, len(all))
	joins := 0 // at most this many join keys (the name loop below adds them)
	for i, p := range all {
		toks[i] = make([]int32, len(p.norm.Tokens))
		for j, t := range p.norm.Tokens {
			if !t.Class.Weak() && j+1 < len(p.norm.Tokens) {
				joins++
			}
			if !t.Class.Weak() && j > 0 && p.norm.Tokens[j-1].Class.Weak() {
				joins++
			}
			vk := VocabKey(t.Text, t.Class)
			id, ok := ix.VocabIDs[vk]
			if !ok {
				id = int32(len(ix.Vocab))
				ix.VocabIDs[vk] = id
				ix.Vocab = append(ix.Vocab, Word{Text: t.Text, Key: prepare.PhoneticKey(t.Text), Class: t.Class, Digit: prepare.HasDigit(t.Text)})
				lastEntry = append(lastEntry, -1)
			}
			toks[i][j] = id
			if lastEntry[id] != p.Entry {
				lastEntry[id] = p.Entry
				ix.Vocab[id].DF++
			}
		}
	}
	n := max(float64(len(ix.Entries)), opts.MinCorpusEntries)
	norm := math.Log(1 + n)
	for i := range ix.Vocab {
		v := &ix.Vocab[i]
		if v.Class.Weak() {
			v.WQ, v.WE = float32(opts.WeakWeight), float32(opts.WeakWeight)
			continue
		}
		df := float64(v.DF)
		if prepare.IsGeneric(v.Text) {
			v.Generic = true
			df = max(df, opts.GenericShare*n)
		}
		idf := math.Log(1+n/df) / norm
		v.WQ = float32(math.Pow(idf, opts.QueryIDFExponent))
		v.WE = float32(math.Pow(idf, opts.EntryIDFExponent))
		ix.keyIDs[v.Key] = append(ix.keyIDs[v.Key], int32(i))
	}
	ix.indexNeighborTables()
	ix.neigh = make([]atomic.Pointer[[]Neighbor], len(ix.Vocab))
	// The neighbour graph needs only the vocabulary: it is built on the
	// other cores while this one builds the name tables, then on all.
	var graph *neighborBuild
	if !opts.LazyNeighbors {
		graph = ix.startNeighbors()
	}
	ix.MaxWeight = 1
	ix.Postings = make([][]int32, len(ix.Vocab))
	ix.Names = make([]Name, 0, len(all))
	ix.Joins = make(map[string][]JoinRef, joins)
	for i, p := range all {
		nm := Name{Entry: p.Entry, Display: p.src.Display, Alias: p.src.Alias, Person: p.Person, Toks: toks[i], Qualifier: p.src.Qualifier}
		if nm.Qualifier != "" {
			// What the name lost counts as one weak word: a query equal to
			// the shorter name covers the listed one almost, not wholly.
			nm.WeakW += float32(opts.WeakWeight)
		}
		nid := int32(len(ix.Names))
		for pos, t := range p.norm.Tokens {
			v := &ix.Vocab[nm.Toks[pos]]
			if t.Class.Weak() {
				nm.WeakW += v.WE
				continue
			}
			nm.StrongW += v.WE
			nm.NStrong++
			nm.Containable = nm.Containable || !v.Generic
			ix.Postings[nm.Toks[pos]] = appendUnique(ix.Postings[nm.Toks[pos]], nid)
			if pos+1 < len(p.norm.Tokens) {
				k := t.Raw + p.norm.Tokens[pos+1].Raw
				ix.Joins[k] = append(ix.Joins[k], JoinRef{nid, int16(pos)})
			}
			if pos > 0 && p.norm.Tokens[pos-1].Class.Weak() {
				k := p.norm.Tokens[pos-1].Raw + t.Raw
				ix.Joins[k] = append(ix.Joins[k], JoinRef{nid, int16(pos - 1)})
			}
		}
		nm.Containable = nm.Containable && nm.NStrong >= 2 && !nm.Person
		if !p.Person {
			for _, a := range AcronymsOf(p.norm.Tokens) {
				ix.Acronyms[a] = appendUnique(ix.Acronyms[a], nid)
			}
		}
		ix.Names = append(ix.Names, nm)
	}
	if graph != nil {
		graph.finish()
	}
	return ix
}

// Len is the number of entries indexed.
func (ix *Index) Len() int { return len(ix.Entries) }

func appendUnique(s []int32, v int32) []int32 {
	if len(s) > 0 && s[len(s)-1] == v {
		return s
	}
	return append(s, v)
}

// AcronymsOf gives the acronyms a name can be written as: the initials of its
// words without stopwords, with and without legal forms ("Semiconductor
// Manufacturing International Corporation" → "smic", "smi"). Only names of
// three or more words have one.
func AcronymsOf(toks []prepare.Token) []string {
	var all, strong strings.Builder
	words := 0
	for _, t := range toks {
		switch t.Class {
		case prepare.Stop, prepare.Initial:
			continue
		case prepare.Legal:
			all.WriteByte(t.Raw[0])
		default:
			if prepare.HasDigit(t.Text[:1]) {
				return nil
			}
			all.WriteByte(t.Text[0])
			strong.WriteByte(t.Text[0])
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

// NormIdentifier keeps letters and digits, upper-cased.
func NormIdentifier(s string) string {
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

// FirstName is the index of entry e's first indexed name, -1 if it has none.
func (ix *Index) FirstName(e int32) int32 {
	i, _ := slices.BinarySearchFunc(ix.Names, e, func(n Name, e int32) int { return int(n.Entry - e) })
	if i < len(ix.Names) && ix.Names[i].Entry == e {
		return int32(i)
	}
	return -1
}
