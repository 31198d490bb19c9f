package index

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/chipcheck/chipcheck/internal/screen/prepare"
	"github.com/chipcheck/chipcheck/internal/screen/stringscore"
)

// refNeighbors is the straightforward neighbour search the index used before
// its tables were packed for speed (a plain count over trigram postings
// sorted by length, then the histogram bound and tokenSimLetters). The fast
// search must return exactly what it returns: the evaluation set was
// calibrated on these neighbours.
type refNeighbors struct {
	ix    *Index
	grams [][]int32 // trigram code → strong letter words, by length then id
	lens  []int     // len(text), capped at 255; 0 for weak words and words with digits
	ng    []int     // distinct key trigrams
	hist  []hist
	khist []hist
}

func newRefNeighbors(ix *Index) *refNeighbors {
	r := &refNeighbors{ix: ix, grams: make([][]int32, gramSpace)}
	for i, v := range ix.Vocab {
		r.hist = append(r.hist, letterHist(v.Text))
		r.khist = append(r.khist, letterHist(v.Key))
		l, n := 0, 0
		if !v.Class.Weak() && !v.Digit {
			l = min(255, len(v.Text))
			codes := trigrams(v.Key, nil)
			n = len(codes)
			for _, c := range codes {
				r.grams[c] = append(r.grams[c], int32(i))
			}
		}
		r.lens, r.ng = append(r.lens, l), append(r.ng, min(255, n))
	}
	for _, post := range r.grams {
		slices.SortFunc(post, func(a, b int32) int {
			if la, lb := len(ix.Vocab[a].Text), len(ix.Vocab[b].Text); la != lb {
				return la - lb
			}
			return int(a - b)
		})
	}
	return r
}

func (r *refNeighbors) neighbors(text, key string) []Neighbor {
	ix := r.ix
	var out []Neighbor
	add := func(id int32) {
		v := &ix.Vocab[id]
		if s := refTokenSimLetters(text, v.Text, key, v.Key, ix.params.PhoneticWeight, ix.params.MinTokenSimilarity); s > 0 {
			out = append(out, Neighbor{id, float32(s)})
		}
	}
	if prepare.HasDigit(text) || len(text) <= 4 {
		if id, ok := ix.VocabIDs[text]; ok {
			out = append(out, Neighbor{id, 1})
		}
		if !prepare.HasDigit(text) {
			for _, id := range ix.keyIDs[key] {
				if ix.Vocab[id].Text != text {
					add(id)
				}
			}
		}
		return out
	}
	qh, qkh := letterHist(text), letterHist(key)
	codes := trigrams(key, nil)
	count := map[int32]int{}
	var touched []int32
	ql, kl := len(text), len(key)
	for _, c := range codes {
		post := r.grams[c]
		lo := sort.Search(len(post), func(i int) bool { return r.lens[post[i]] >= ql-4 })
		for _, id := range post[lo:] {
			if r.lens[id] > ql+4 {
				break
			}
			if count[id] == 0 {
				touched = append(touched, id)
			}
			count[id]++
		}
	}
	qLetters, kLetters := distinctLetters(&qh), distinctLetters(&qkh)
	for _, id := range touched {
		vl := r.lens[id]
		if vl <= 4 {
			continue
		}
		short, diff := min(ql, vl), max(ql-vl, vl-ql)
		d := maxEdits(short)
		if short >= 7 {
			d = max(d, 2)
		}
		if diff > d+1 && !(short >= 7 && diff <= 4) {
			continue
		}
		if count[id] < max(len(codes), r.ng[id])-4*d {
			continue
		}
		if diff <= d || short < 7 {
			if edLB(&qh, &r.hist[id], qLetters, ql, vl) > d && edLB(&qkh, &r.khist[id], kLetters, kl, min(255, len(ix.Vocab[id].Key))) > d {
				continue
			}
		}
		add(id)
	}
	return out
}

// refTokenSimLetters is tokenSimLetters as first written: similarity first,
// then the edit-distance cap.
func refTokenSimLetters(a, b, ka, kb string, phoneticWeight, floor float64) float64 {
	if len(a) <= 4 || len(b) <= 4 {
		if ka == kb {
			return phoneticWeight
		}
		return 0
	}
	if ka == kb {
		return max(phoneticWeight, wordSim(a, b))
	}
	s := wordSim(a, b)
	if ka != a || kb != b {
		s = max(s, phoneticWeight*wordSim(ka, kb))
	}
	if s < floor {
		return 0
	}
	if d := min(stringscore.OSA(a, b), stringscore.OSA(ka, kb)); d > maxEdits(min(len(a), len(b))) && !suffixVariant(a, b) {
		return 0
	}
	return s
}

// hist is a letter histogram of a word (a-z; other bytes ignored).
type hist [26]uint8

func letterHist(s string) hist {
	var h hist
	for i := 0; i < len(s); i++ {
		if c := s[i] - 'a'; c < 26 && h[c] < 255 {
			h[c]++
		}
	}
	return h
}

// distinctLetters lists the letters present in h.
func distinctLetters(h *hist) []uint8 {
	var out []uint8
	for i, n := range h {
		if n > 0 {
			out = append(out, uint8(i))
		}
	}
	return out
}

// edLB is the letters of the longer word the other lacks.
func edLB(a, b *hist, letters []uint8, la, lb int) int {
	common := 0
	for _, c := range letters {
		common += int(min(a[c], b[c]))
	}
	return max(la, lb) - common
}

// TestNeighborsMatchReference checks the fast neighbour search against
// refNeighbors over every word of the real vocabulary and a few thousand
// typos of them (words the index has never seen), and the neighbour graph
// NewIndex built in parallel against it too.
func TestNeighborsMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("compares every vocabulary word; skipped in -short mode")
	}
	ix := realIndex(t)
	ref := newRefNeighbors(ix)
	sc := NewScratch(len(ix.Vocab))
	rng := rand.New(rand.NewPCG(7, 11))
	mismatches, words, graph := 0, 0, 0
	check := func(w string, id int) {
		words++
		k := prepare.PhoneticKey(w)
		want := ref.neighbors(w, k)
		if got := ix.Neighbors(w, k, &sc); !slices.Equal(got, want) {
			if mismatches++; mismatches <= 10 {
				t.Errorf("neighbors(%q):\n got %v\nwant %v", w, got, want)
			}
		}
		if id < 0 || ix.wlen[id] <= 4 {
			return // not a word prepare takes from the graph
		}
		graph++
		if p := ix.neigh[id].Load(); p == nil {
			t.Errorf("graph: no neighbours for %q", w)
		} else if !slices.Equal(*p, want) {
			t.Errorf("graph: neighbours of %q\n got %v\nwant %v", w, *p, want)
		}
	}
	for id, v := range ix.Vocab {
		if v.Class.Weak() {
			continue
		}
		check(v.Text, id)
		if rng.IntN(8) == 0 {
			check(randomEdit(rng, v.Text), -1)
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d words differ", mismatches, words)
	}
	t.Logf("%d words compared, %d of them also in the graph", words, graph)
}

// randomEdit applies one random edit (substitution, insertion, deletion or
// transposition of letters) to w.
func randomEdit(rng *rand.Rand, w string) string {
	b := []byte(w)
	i := rng.IntN(len(b))
	c := byte('a' + rng.IntN(26))
	switch rng.IntN(4) {
	case 0:
		b[i] = c
	case 1:
		b = slices.Insert(b, i, c)
	case 2:
		if len(b) > 1 {
			b = slices.Delete(b, i, i+1)
		}
	default:
		if i+1 < len(b) {
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}

// The packed letter counts agree with plain histograms, and the mask bound
// never exceeds the bound it stands in for (random words, repeats common).
func TestLetterBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	word := func() string {
		b := make([]byte, rng.IntN(maxHistLen+1))
		for i := range b {
			b[i] = "aabcdeeefxyz-'"[rng.IntN(14)]
		}
		return string(b)
	}
	for range 100000 {
		a, b := word(), word()
		ha, hb := letterHist(a), letterHist(b)
		want := 0
		for c := range ha {
			want += int(min(ha[c], hb[c]))
		}
		pa, pb := packHist(a), packHist(b)
		if got := commonLetters(&pa, &pb); got != want {
			t.Fatalf("commonLetters(%q, %q) = %d, want %d", a, b, got, want)
		}
		if mb, lb := maskBound(letterMask(a), letterMask(b)), max(len(a), len(b))-want; mb > lb {
			t.Fatalf("maskBound(%q, %q) = %d, above the letter bound %d", a, b, mb, lb)
		}
	}
}
